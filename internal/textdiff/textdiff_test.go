package textdiff

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// apply applies edits to a's lines and returns the lines of both sides.
func sides(edits []Edit) (a, b []string) {
	for _, e := range edits {
		if e.Op != Insert {
			a = append(a, e.Line)
		}
		if e.Op != Delete {
			b = append(b, e.Line)
		}
	}
	return a, b
}

// lcs is the length of the longest common subsequence, by dynamic
// programming: a shortest script has len(x)+len(y)-2·lcs changes.
func lcs(x, y []string) int {
	prev := make([]int, len(y)+1)
	for i := 1; i <= len(x); i++ {
		cur := make([]int, len(y)+1)
		for j := 1; j <= len(y); j++ {
			if x[i-1] == y[j-1] {
				cur[j] = prev[j-1] + 1
			} else {
				cur[j] = max(prev[j], cur[j-1])
			}
		}
		prev = cur
	}
	return prev[len(y)]
}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(strconv.Itoa(r.IntN(4)))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestLinesShortest: on random texts, the script turns a into b with the
// fewest changes.
func TestLinesShortest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		a, b := randomText(r, r.IntN(30)), randomText(r, r.IntN(30))
		edits := Lines(a, b)
		ga, gb := sides(edits)
		if strings.Join(ga, "\n") != strings.Join(split(a), "\n") || strings.Join(gb, "\n") != strings.Join(split(b), "\n") {
			t.Fatalf("script does not turn\n%q into\n%q: %v", a, b, edits)
		}
		ins, del := Stat(edits)
		if want := len(split(a)) + len(split(b)) - 2*lcs(split(a), split(b)); ins+del != want {
			t.Fatalf("%d changes for\n%q ->\n%q; the shortest has %d", ins+del, a, b, want)
		}
	}
}

func TestLinesPastMaxEdits(t *testing.T) {
	var a, b strings.Builder
	for i := range MaxEdits {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
	}
	edits := Lines("same\n"+a.String(), "same\n"+b.String())
	ins, del := Stat(edits)
	if ins != MaxEdits || del != MaxEdits || edits[0] != (Edit{Equal, "same"}) {
		t.Errorf("past MaxEdits: %d inserted, %d deleted, first %v", ins, del, edits[0])
	}
}

// TestUnifiedGolden compares with what GNU diff -u prints for the same
// texts (GNU diffutils 3.8, diff -u --label a --label b).
func TestUnifiedGolden(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n"
	b := "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n14\n15\n16\n"
	want := `--- a
+++ b
@@ -1,6 +1,6 @@
 1
 2
-3
+three
 4
 5
 6
@@ -10,6 +10,6 @@
 10
 11
 12
-13
 14
 15
+16
`
	if got := Unified("a", "b", a, b); got != want {
		t.Errorf("Unified:\n%s\nwant:\n%s", got, want)
	}
	if got := Unified("a", "b", a, a); got != "" {
		t.Errorf("Unified of equal texts = %q", got)
	}
	if got, want := Unified("a", "b", "", "x\n"), "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n"; got != want {
		t.Errorf("from nothing: %q; want %q", got, want)
	}
}

// patch applies a unified diff to a, as patch(1) would, for the tests.
func patch(t *testing.T, a, diff string) string {
	t.Helper()
	in := split(a)
	var out []string
	pos := 0 // next line of in to copy
	lines := split(diff)
	for i := 2; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "@@ ") {
			var as, al, bs, bl int
			spec := strings.Fields(l)
			parse := func(s string) (int, int) {
				st, n, ok := strings.Cut(s[1:], ",")
				start, _ := strconv.Atoi(st)
				if !ok {
					return start, 1
				}
				cnt, _ := strconv.Atoi(n)
				return start, cnt
			}
			as, al = parse(spec[1])
			bs, bl = parse(spec[2])
			_, _ = bs, bl
			if al == 0 {
				as++ // the range names the line before
			}
			for pos < as-1 {
				out = append(out, in[pos])
				pos++
			}
			continue
		}
		switch l[0] {
		case ' ':
			if in[pos] != l[1:] {
				t.Fatalf("context %q does not match line %d %q", l[1:], pos+1, in[pos])
			}
			out = append(out, in[pos])
			pos++
		case '-':
			if in[pos] != l[1:] {
				t.Fatalf("deleted %q is not line %d %q", l[1:], pos+1, in[pos])
			}
			pos++
		case '+':
			out = append(out, l[1:])
		}
	}
	out = append(out, in[pos:]...)
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

func FuzzUnified(f *testing.F) {
	f.Add("1\n2\n3\n", "1\nx\n3\n")
	f.Add("", "a\n")
	f.Add("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nc\nd\ne\nf\ng\nh\ni\nJ\n")
	f.Add("server:\n  addr: x\n", "server:\n  addr: y\nroutes: {}\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.Contains(a, "\r") || strings.Contains(b, "\r") {
			return
		}
		a, b = norm(a), norm(b)
		d := Unified("a", "b", a, b)
		if (d == "") != (a == b) {
			t.Fatalf("empty diff %v for a == b %v", d == "", a == b)
		}
		if d == "" {
			return
		}
		if got := patch(t, a, d); got != b {
			t.Fatalf("patch(a, Unified(a, b)) = %q; want %q\n%s", got, b, d)
		}
	})
}

// norm gives s a final line break, as configuration texts have.
func norm(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}
