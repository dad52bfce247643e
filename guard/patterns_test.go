package guard

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestRedactorPatterns(t *testing.T) {
	r, err := New(Options{
		Secrets: []string{"hunter22"},
		Patterns: []Pattern{
			{Name: "employee_id", Expr: `EMP-\d{6}`},
			{Name: "tax_id", Expr: `\b\d{3}-\d{2}-\d{4}\b`},
			{Name: "ticket", Expr: `(?i)ticket #\d+`},
			{Name: "word_redacted", Expr: `REDACTED`},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"employee EMP-123456 left", "employee [REDACTED:employee_id] left"},
		{"EMP-12345 is too short", "EMP-12345 is too short"},
		// At the same start a custom pattern names the mask, not the
		// built-in kind (an SSN here).
		{"id 078-05-1120.", "id [REDACTED:tax_id]."},
		{"see TICKET #42 and ticket #7", "see [REDACTED:ticket] and [REDACTED:ticket]"},
		// The built-in kinds and the secrets still apply.
		{"EMP-000001 mailed jane@example.com with hunter22", "[REDACTED:employee_id] mailed [REDACTED:email] with [REDACTED:secret]"},
		// A pattern never matches inside a placeholder.
		{"[REDACTED:email] and REDACTED", "[REDACTED:email] and [REDACTED:word_redacted]"},
	}
	for _, tt := range tests {
		got := r.Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := r.Redact(got); again != got {
			t.Errorf("not idempotent: %q → %q", got, again)
		}
	}
	m := r.Find("EMP-123456 at 10.0.0.1")
	want := []Match{{0, 10, "employee_id"}, {14, 22, KindIP}}
	if len(m) != len(want) || m[0] != want[0] || m[1] != want[1] {
		t.Errorf("Find = %+v, want %+v", m, want)
	}
}

// TestRedactorPatternsConcurrent: one Redactor with patterns serves many
// goroutines (run with -race).
func TestRedactorPatternsConcurrent(t *testing.T) {
	r, err := New(Options{Patterns: []Pattern{{Name: "employee_id", Expr: `EMP-\d{6}`}}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if got := r.Redact("EMP-123456"); got != "[REDACTED:employee_id]" {
					t.Errorf("Redact = %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestPatternCheck(t *testing.T) {
	long := strings.Repeat("a", maxNameLen)
	tests := []struct {
		p              Pattern
		field, problem string
	}{
		{Pattern{"employee_id", `EMP-\d{6}`}, "", ""},
		{Pattern{long, `x`}, "", ""},
		{Pattern{"", `x`}, "name", "must be 1 to 32 characters"},
		{Pattern{long + "a", `x`}, "name", "must be 1 to 32 characters"},
		{Pattern{"Employee", `x`}, "name", "must start with a lower-case letter"},
		{Pattern{"1st", `x`}, "name", "must start with a lower-case letter"},
		{Pattern{"emp-id", `x`}, "name", `has '-'`},
		{Pattern{"emp", ``}, "expr", "is empty"},
		{Pattern{"emp", `EMP-(\d{6}`}, "expr", "is not a valid regular expression: error parsing regexp: missing closing ): `EMP-(\\d{6}`"},
		{Pattern{"emp", `(?<=x)y`}, "expr", "is not a valid regular expression"},
		{Pattern{"emp", `\d*`}, "expr", "matches the empty string"},
	}
	for _, tt := range tests {
		err := tt.p.Check()
		_, newErr := New(Options{Patterns: []Pattern{tt.p}})
		if tt.field == "" {
			if err != nil || newErr != nil {
				t.Errorf("%+v: Check = %v, New = %v, want nil", tt.p, err, newErr)
			}
			continue
		}
		var pe *PatternError
		if !errors.As(err, &pe) || pe.Field != tt.field || !strings.Contains(pe.Problem, tt.problem) || pe.Name != tt.p.Name {
			t.Errorf("%+v: Check = %#v, want field %q and a problem with %q", tt.p, err, tt.field, tt.problem)
		}
		if !errors.As(newErr, &pe) || pe.Field != tt.field {
			t.Errorf("%+v: New = %v, want the same error", tt.p, newErr)
		}
	}
}

// TestNewRedactorUnchanged: the older constructor still masks exact
// secrets, and New with only secrets is the same Redactor.
func TestNewRedactorUnchanged(t *testing.T) {
	r, err := New(Options{Secrets: []string{"hunter22", "abc"}})
	if err != nil {
		t.Fatal(err)
	}
	in := "abc hunter22 sk-abcdefghijk"
	if got, want := r.Redact(in), NewRedactor("hunter22", "abc").Redact(in); got != want || got != "abc [REDACTED:secret] [REDACTED:api_key]" {
		t.Errorf("New = %q, NewRedactor = %q", got, want)
	}
}
