package drift

import (
	"fmt"
	"strings"
)

// DecodeError is one mistake in a set file, with its position.
type DecodeError struct {
	File         string
	Line, Column int
	// Path is the field, e.g. "prompts[3].expect.regex".
	Path    string
	Problem string
}

// Error formats the error as "file:line:col: path: problem".
func (e *DecodeError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + ":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Line, e.Column)
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// DecodeErrors is every mistake found in a set file (at most 50), in the
// order found.
type DecodeErrors []*DecodeError

// Error joins the errors with newlines.
func (es DecodeErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the errors, so errors.As finds a *DecodeError.
func (es DecodeErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
