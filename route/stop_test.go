package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestStopSequenceLimits checks that a request with more stop sequences
// than a wire format takes skips those deployments (OpenAI's format: 4,
// Gemini: 5, Anthropic: no bound), saying why, and that when none is
// left the error is a 400 on param stop.
func TestStopSequenceLimits(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	stops := func(n int) func(*Input) { return func(in *Input) { in.Features.StopSequences = n } }
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "claude,gpt,flash"}, {4, "claude,gpt,flash"}, {5, "claude,flash"}, {6, "claude"}, {100, "claude"}} {
		if got := order(mustPlan(t, p, req("mixed", llm.CategoryChat, stops(tt.n)))); got != tt.want {
			t.Errorf("%d stop sequences: plan %s, want %s", tt.n, got, tt.want)
		}
	}
	r := findRejection(mustPlan(t, p, req("mixed", llm.CategoryChat, stops(6))), "flash")
	if r == nil || r.Reason != ReasonStopSequences || r.By != "request" || r.Detail() != "takes at most 5 stop sequences, and the request has 6" {
		t.Errorf("flash rejection %+v", r)
	}
	for _, model := range []string{"gpt", "flash"} {
		_, err := p.Plan(req(model, llm.CategoryChat, stops(6), func(in *Input) { in.Overrides.NoFallback = true }))
		if e := wantErr(t, err, llm.KindInvalidRequest, "stop sequences"); e.Param != "stop" || e.HTTPStatus() != 400 {
			t.Errorf("%s: param %q status %d", model, e.Param, e.HTTPStatus())
		}
	}
}
