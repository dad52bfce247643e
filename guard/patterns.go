package guard

import (
	"fmt"
	"regexp"
)

// Pattern is a custom kind of text to mask, such as an employee id: every
// match of Expr is replaced by "[REDACTED:" + Name + "]".
type Pattern struct {
	// Name names the placeholder: 1 to 32 lower-case letters, digits and
	// '_', starting with a letter ("employee_id").
	Name string
	// Expr is a regular expression in Go's RE2 syntax (`EMP-\d{6}`;
	// "(?i)" makes it case-insensitive). It must not match the empty
	// string.
	Expr string
}

// PatternError is why a Pattern is not valid. Field is "name" or "expr".
type PatternError struct {
	Name    string // the pattern's name, as given
	Field   string
	Problem string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("guard: pattern %q: %s %s", e.Name, e.Field, e.Problem)
}

// maxNameLen is the longest name a placeholder holds.
const maxNameLen = 32

// nameByte reports whether c may be part of a placeholder's name.
func nameByte(c byte) bool { return c >= 'a' && c <= 'z' || isDigit(c) || c == '_' }

// Check returns a *PatternError when p is not valid, else nil.
func (p Pattern) Check() error {
	_, err := p.compile()
	return err
}

// compiled is a valid Pattern, ready to match.
type compiled struct {
	kind Kind
	re   *regexp.Regexp
}

func (p Pattern) compile() (compiled, error) {
	fail := func(field, problem string) (compiled, error) {
		return compiled{}, &PatternError{Name: p.Name, Field: field, Problem: problem}
	}
	if problem := checkName(p.Name); problem != "" {
		return fail("name", problem)
	}
	re, err := regexp.Compile(p.Expr)
	switch {
	case p.Expr == "":
		return fail("expr", "is empty")
	case err != nil:
		return fail("expr", "is not a valid regular expression: "+err.Error())
	case re.MatchString(""):
		return fail("expr", "matches the empty string, which would mask nothing everywhere")
	}
	return compiled{Kind(p.Name), re}, nil
}

// checkName returns what is wrong with a pattern's name, or "".
func checkName(name string) string {
	if name == "" || len(name) > maxNameLen {
		return fmt.Sprintf("must be 1 to %d characters", maxNameLen)
	}
	if name[0] < 'a' || name[0] > 'z' {
		return "must start with a lower-case letter"
	}
	for k := 0; k < len(name); k++ {
		if !nameByte(name[k]) {
			return fmt.Sprintf("has %q: only lower-case letters, digits and '_' are allowed", name[k])
		}
	}
	return ""
}

// spans appends every match of c in s that overlaps no placeholder.
func (c compiled) spans(s string, spans []span) []span {
	for _, m := range c.re.FindAllStringIndex(s, -1) {
		if m[1] > m[0] && !inPlaceholder(s, m[0], m[1]) {
			spans = append(spans, span{m[0], m[1], c.kind})
		}
	}
	return spans
}
