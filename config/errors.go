package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// FieldError is one mistake in a configuration: where it is, what is wrong
// and what would be right. It never holds a secret value (API keys, auth
// keys, header values).
type FieldError struct {
	// File is the configuration file's path, set by Load; empty for Parse
	// and Validate.
	File string
	// Path is the dotted path of the offending field, e.g.
	// "deployments.gpt-4o-mini.price.input", with "[i]" for list elements.
	// It is empty for errors about the file as a whole (YAML syntax).
	Path string
	// Line and Column locate the offending YAML node (1-based); zero when
	// unknown, as for a Config built in Go.
	Line, Column int
	// Problem says what is wrong.
	Problem string
	// Hint says what would be right; may be empty.
	Hint string
}

// Error formats the error as "file:line:col: path: problem (hint)", leaving
// out the parts that are unknown.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Line, e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Errors is every mistake found in a configuration, sorted by position. Parse,
// Load and Validate return it (never empty) as their error.
type Errors []*FieldError

// Error joins the errors' messages with newlines.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the errors, so errors.As finds a *FieldError.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sort orders the errors by file position; errors without one (Line 0)
// come last, in path order.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b *FieldError) int {
		return cmp.Or(
			cmp.Compare(unknownLast(a.Line), unknownLast(b.Line)),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Path, b.Path),
		)
	})
}

func unknownLast(line int) int {
	if line == 0 {
		return 1
	}
	return 0
}

// orNil returns es as an error, or a nil error when es is empty.
func (es Errors) orNil() error {
	if len(es) == 0 {
		return nil
	}
	es.sort()
	return es
}

// suggest returns the candidate closest to s when it is close enough to be
// a likely typo, or "".
func suggest(s string, candidates []string) string {
	if s == "" {
		return ""
	}
	best, bestDist := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := min(3, max(1, len(s)/3))
	// A candidate that shares nothing with s is no suggestion ("x" → "d").
	if bestDist < 0 || bestDist > limit || bestDist >= len([]rune(s)) || best == s {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and adjacent transpositions cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 { // not a typo; keep the cost bounded
		return max(len(ra), len(rb))
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// choices formats the allowed values for a hint, with a did-you-mean for
// got: `did you mean "price"?; allowed: provider, model, price`. noun names
// the list ("allowed", "configured providers"); empty lists say "none".
func choices(got, noun string, allowed []string) string {
	list := "none"
	if len(allowed) > 0 {
		const maxShown = 20
		shown := allowed
		if len(shown) > maxShown {
			shown = shown[:maxShown]
		}
		list = strings.Join(shown, ", ")
		if len(allowed) > maxShown {
			list += fmt.Sprintf(", … and %d more", len(allowed)-maxShown)
		}
	}
	hint := noun + ": " + list
	if s := suggest(got, allowed); s != "" {
		hint = fmt.Sprintf("did you mean %q?; %s", s, hint)
	}
	return hint
}
