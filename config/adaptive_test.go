package config

import (
	"strings"
	"testing"
	"time"
)

// adaptiveYAML is a route whose adaptive section's fields start on line
// 7, column 7.
func adaptiveYAML(body string) string {
	return okProvider + "deployments: {d: {provider: openai}, e: {provider: openai}}\nroutes:\n  r:\n    deployments: [d, e]\n    adaptive:\n" + body
}

func TestAdaptiveDecode(t *testing.T) {
	c := mustParse(t, []byte(adaptiveYAML("      enabled: true\n      lambda: 0.2\n      explore: 0.1\n      min_outcomes: 5\n      half_life: 1h\n      prior_weight: 4\n      pool: 20\n")), nil)
	got := *c.Routes["r"].Adaptive
	want := Adaptive{Enabled: true, Lambda: 0.2, Explore: 0.1, MinOutcomes: 5, HalfLife: time.Hour, PriorWeight: 4, Pool: 20}
	if got != want {
		t.Errorf("adaptive = %+v, want %+v", got, want)
	}
	c = mustParse(t, []byte(adaptiveYAML("      enabled: true\n")), nil)
	if got := *c.Routes["r"].Adaptive; got != *DefaultAdaptive() {
		t.Errorf("defaults = %+v, want %+v", got, *DefaultAdaptive())
	}
	c = mustParse(t, []byte(adaptiveYAML("      enabled: false\n      lambda: 1\n")), nil)
	if c.Routes["r"].Adaptive.On() {
		t.Error("enabled: false is on")
	}
	c = mustParse(t, []byte(okProvider+"deployments: {d: {provider: openai}}\nroutes: {r: {deployments: [d]}}\n"), nil)
	if c.Routes["r"].Adaptive.On() {
		t.Error("a route without adaptive is on")
	}
}

func TestAdaptiveMistakes(t *testing.T) {
	tests := []struct {
		name, body, path string
		line, col        int
		problem, hint    string
	}{
		{"negative lambda", "      lambda: -1\n", "routes.r.adaptive.lambda", 7, 15, "must be >= 0, got -1", "0 ignores cost"},
		{"explore above the cap", "      explore: 0.7\n", "routes.r.adaptive.explore", 7, 16, "must be between 0 and 0.5, got 0.7", "e.g. 0.05"},
		{"explore negative", "      explore: -0.1\n", "routes.r.adaptive.explore", 7, 16, "must be between 0 and 0.5, got -0.1", ""},
		{"min_outcomes negative", "      min_outcomes: -3\n", "routes.r.adaptive.min_outcomes", 7, 21, "must be >= 0, got -3", "e.g. 30"},
		{"min_outcomes fractional", "      min_outcomes: 2.5\n", "routes.r.adaptive.min_outcomes", 7, 21, "must be an integer", "e.g. 30"},
		{"half_life too short", "      half_life: 10s\n", "routes.r.adaptive.half_life", 7, 18, "must be at least 1m0s, got 10s", "24h"},
		{"half_life without unit", "      half_life: 24\n", "routes.r.adaptive.half_life", 7, 18, "must be a duration", "ms, s, m or h"},
		{"prior_weight below one", "      prior_weight: 0.5\n", "routes.r.adaptive.prior_weight", 7, 21, "must be at least 1, got 0.5", "e.g. 10"},
		{"pool below one", "      pool: -2\n", "routes.r.adaptive.pool", 7, 13, "must be at least 1, got -2", ""},
		{"unknown field", "      explor: 0.1\n", "routes.r.adaptive", 7, 7, `unknown field "explor"`, `did you mean "explore"?`},
		{"enabled not a bool", "      enabled: yes please\n", "routes.r.adaptive.enabled", 7, 16, "must be true or false", "true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(adaptiveYAML(tt.body)), nil)
			fe := findError(t, err, tt.path, tt.problem)
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
