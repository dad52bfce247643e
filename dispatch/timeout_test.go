package dispatch

import (
	"context"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// Each target has its own first-token timeout when the plan gives one,
// and every timeout grows with the prompt by the target's prefill speed.
func TestPerTargetTimeoutAndPromptAllowance(t *testing.T) {
	for _, tc := range []struct {
		name    string
		own     time.Duration // a's own timeout (0: the tier's)
		prompt  int
		prefill float64
		want    string
	}{
		{"tier timeout applies", 0, 0, 0, "b"},
		{"own longer timeout", 5 * time.Second, 0, 0, "a"},
		{"prompt allowance", 0, 10000, 5000, "a"}, // +2s
		{"small prompt, small allowance", 0, 10, 5000, "b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := newFake("a", script{delay: 300 * time.Millisecond}), newFake("b", script{})
			ta := target(a)
			ta.PrefillTokensPerSecond = tc.prefill
			p := &Plan{PromptTokens: tc.prompt, Tiers: []Tier{
				{Targets: []*Target{ta}, TTFTTimeout: 50 * time.Millisecond, TTFTTimeouts: []time.Duration{tc.own}},
				{Targets: []*Target{target(b)}, TTFTTimeout: time.Second},
			}}
			var served llm.Served
			s, err := New(Options{}).Stream(context.Background(), req(), p, &served)
			if err != nil {
				t.Fatal(err)
			}
			drain(s)
			if served.Deployment != tc.want {
				t.Errorf("served by %s, want %s", served.Deployment, tc.want)
			}
			waitIdle(t, a, b)
		})
	}
}

// Timeouts of large prompts are the request's doing: many of them do not
// open the deployment's breaker for everyone, while the same number of
// timeouts of ordinary prompts does.
func TestLargePromptTimeoutsDoNotOpenTheBreaker(t *testing.T) {
	for _, tc := range []struct {
		prompt   int
		wantOpen bool
	}{{40000, false}, {100, true}} {
		tr := health.NewTracker(health.Config{}, nil, health.Options{})
		a, b := newFake("a", script{delay: time.Hour}), newFake("b", script{})
		ta := target(a)
		ta.PrefillTokensPerSecond = 1e12 // no allowance: the timeout strikes at once
		d := New(Options{Health: tr, MaxRetries: -1})
		for i := 0; i < 6; i++ {
			p := &Plan{PromptTokens: tc.prompt, Tiers: []Tier{
				{Targets: []*Target{ta}, TTFTTimeout: 10 * time.Millisecond},
				{Targets: []*Target{target(b)}, TTFTTimeout: time.Second},
			}}
			s, err := d.Stream(context.Background(), req(), p, &llm.Served{})
			if err != nil {
				t.Fatal(err)
			}
			drain(s)
		}
		if open := tr.Status("a").Breaker == health.Open; open != tc.wantOpen {
			t.Errorf("prompt of %d tokens: breaker open %v, want %v", tc.prompt, open, tc.wantOpen)
		}
		waitIdle(t, a, b)
	}
}
