// Package textdiff computes line diffs of texts and writes them in the
// unified format (diff -u), as the versioned configuration shows how one
// version differs from the one before.
package textdiff

import (
	"fmt"
	"strings"
)

// Op is what an Edit does with one line.
type Op byte

// The edit operations.
const (
	Equal  Op = ' '
	Delete Op = '-'
	Insert Op = '+'
)

// Edit is one line of a diff: kept, deleted from a or inserted from b.
type Edit struct {
	Op   Op
	Line string // without its line break
}

// MaxEdits bounds the edit distance Lines searches (Myers' D), and so
// its memory (about 8·MaxEdits² bytes); past it the texts are so unlike
// that the diff deletes all of a and inserts all of b.
const MaxEdits = 1000

// Lines returns a shortest edit script turning the lines of a into the
// lines of b (Myers' algorithm, O((N+M)·D) time), or one deleting every
// line of a and inserting every line of b when they differ by more than
// MaxEdits lines.
func Lines(a, b string) []Edit {
	x, y := split(a), split(b)
	// Common prefix and suffix are kept as they are.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var out []Edit
	for _, l := range x[:pre] {
		out = append(out, Edit{Equal, l})
	}
	out = append(out, myers(x[pre:len(x)-suf], y[pre:len(y)-suf])...)
	for _, l := range x[len(x)-suf:] {
		out = append(out, Edit{Equal, l})
	}
	return out
}

// split returns the lines of s, without their breaks; a final line break
// ends the last line rather than starting an empty one.
func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// myers returns a shortest edit script from x to y.
func myers(x, y []string) []Edit {
	n, m := len(x), len(y)
	maxD := min(n+m, MaxEdits)
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	// trace[d] is the frontier before step d, over diagonals -d-1..d+1.
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				i = v[off+k+1] // down: an insertion
			} else {
				i = v[off+k-1] + 1 // right: a deletion
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
			}
			v[off+k] = i
			if i >= n && j >= m {
				return backtrack(x, y, trace, d)
			}
		}
	}
	out := make([]Edit, 0, n+m)
	for _, l := range x {
		out = append(out, Edit{Delete, l})
	}
	for _, l := range y {
		out = append(out, Edit{Insert, l})
	}
	return out
}

// backtrack walks the saved frontiers back from (len(x), len(y)), reached
// at step final, to the start, and returns the script in order.
func backtrack(x, y []string, trace [][]int, final int) []Edit {
	i, j := len(x), len(y)
	var rev []Edit
	for d := final; d >= 0; d-- {
		v := trace[d]
		at := func(k int) int { return v[k+d+1] }
		k := i - j
		prevK := k - 1
		if k == -d || k != d && at(k-1) < at(k+1) {
			prevK = k + 1
		}
		pi := at(prevK)
		pj := pi - prevK
		for i > pi && j > pj {
			rev = append(rev, Edit{Equal, x[i-1]})
			i, j = i-1, j-1
		}
		if d > 0 {
			if i == pi {
				rev = append(rev, Edit{Insert, y[j-1]})
			} else {
				rev = append(rev, Edit{Delete, x[i-1]})
			}
		}
		i, j = pi, pj
	}
	out := make([]Edit, len(rev))
	for n, e := range rev {
		out[len(rev)-1-n] = e
	}
	return out
}

// Context is the number of unchanged lines Unified shows around a change.
const Context = 3

// Unified returns the unified diff of a and b (diff -u with Context lines
// of context), headed "--- aName" and "+++ bName"; "" when they are the
// same.
func Unified(aName, bName, a, b string) string {
	edits := Lines(a, b)
	var sb strings.Builder
	for _, h := range hunks(edits) {
		if sb.Len() == 0 {
			fmt.Fprintf(&sb, "--- %s\n+++ %s\n", aName, bName)
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", span(h.aStart, h.aLen), span(h.bStart, h.bLen))
		for _, e := range edits[h.from:h.to] {
			sb.WriteByte(byte(e.Op))
			sb.WriteString(e.Line)
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// Stat returns the lines inserted and deleted by the edits.
func Stat(edits []Edit) (inserted, deleted int) {
	for _, e := range edits {
		switch e.Op {
		case Insert:
			inserted++
		case Delete:
			deleted++
		}
	}
	return inserted, deleted
}

// hunk is a range of edits [from, to) and the lines it covers in a and b
// (1-based starts).
type hunk struct {
	from, to     int
	aStart, aLen int
	bStart, bLen int
}

// hunks groups the changes of edits with Context lines around each,
// merging changes whose contexts touch.
func hunks(edits []Edit) []hunk {
	var out []hunk
	for i := 0; i < len(edits); {
		if edits[i].Op == Equal {
			i++
			continue
		}
		from := max(0, i-Context)
		to := i
		for to < len(edits) {
			if edits[to].Op != Equal {
				to++
				continue
			}
			run := to
			for run < len(edits) && edits[run].Op == Equal {
				run++
			}
			if run == len(edits) || run-to > 2*Context {
				to = min(len(edits), to+Context)
				break
			}
			to = run
		}
		out = append(out, cover(edits, from, to))
		i = to
	}
	return out
}

// cover returns the hunk of edits[from:to] with its line ranges.
func cover(edits []Edit, from, to int) hunk {
	h := hunk{from: from, to: to, aStart: 1, bStart: 1}
	for _, e := range edits[:from] {
		if e.Op != Insert {
			h.aStart++
		}
		if e.Op != Delete {
			h.bStart++
		}
	}
	for _, e := range edits[from:to] {
		if e.Op != Insert {
			h.aLen++
		}
		if e.Op != Delete {
			h.bLen++
		}
	}
	return h
}

// span formats a hunk's range as diff -u does: "start,len", "start" for
// one line, and the line before for none.
func span(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
