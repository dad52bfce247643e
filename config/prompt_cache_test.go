package config

import (
	"strings"
	"testing"
)

func TestPromptCache(t *testing.T) {
	// p is a provider whose fields start on line 4, column 5.
	p := func(body string) string {
		return "deployments: {d: {provider: p}}\nroutes: {r: {deployments: [d]}}\nproviders:\n  p:\n" + body
	}
	for _, tt := range []struct {
		name, body string
		auto       bool
	}{
		{"auto on anthropic", "    kind: anthropic\n    api_key: k\n    prompt_cache: auto\n", true},
		{"off on anthropic", "    kind: anthropic\n    api_key: k\n    prompt_cache: off\n", false},
		{"off on openai", "    kind: openai\n    api_key: k\n    prompt_cache: off\n", false},
		{"unset", "    kind: anthropic\n    api_key: k\n", false},
	} {
		c := mustParse(t, []byte(p(tt.body)), nil)
		if got := c.Providers["p"].AutoCache(); got != tt.auto {
			t.Errorf("%s: AutoCache() = %v, want %v", tt.name, got, tt.auto)
		}
	}
	for _, tt := range []struct {
		name, body    string
		line, col     int
		problem, hint string
	}{
		{"auto on openai", "    kind: openai\n    api_key: k\n    prompt_cache: auto\n", 7, 19,
			"prompt_cache: auto is only for kind anthropic, not openai", "remove it"},
		{"auto on gemini", "    kind: gemini\n    api_key: k\n    prompt_cache: auto\n", 7, 19,
			"prompt_cache: auto is only for kind anthropic, not gemini", "without breakpoints"},
		{"unknown value", "    kind: anthropic\n    api_key: k\n    prompt_cache: atuo\n", 7, 19,
			`unknown prompt_cache "atuo"`, `did you mean "auto"?; values: auto, off`},
		{"not a string", "    kind: anthropic\n    api_key: k\n    prompt_cache: [auto]\n", 7, 19,
			"must be a string", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(p(tt.body)), nil)
			fe := findError(t, err, "providers.p.prompt_cache", tt.problem)
			if fe.Line != tt.line || fe.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, tt.line, tt.col, fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
			if errs := err.(Errors); len(errs) != 1 {
				t.Errorf("%d errors, want 1:\n%v", len(errs), err)
			}
		})
	}
}
