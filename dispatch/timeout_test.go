package dispatch

import (
	"context"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// Each target has its own first-token timeout when the plan gives one,
// and every timeout grows with the prompt by the target's prefill speed
// (or the default's); a zero timeout stays "none".
func TestPerTargetTimeoutAndPromptAllowance(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tier    time.Duration
		own     time.Duration // a's own timeout (0: the tier's)
		prompt  int
		prefill float64
		want    time.Duration
	}{
		{"tier timeout applies", 50 * time.Millisecond, 0, 0, 0, 50 * time.Millisecond},
		{"own timeout wins", 50 * time.Millisecond, 5 * time.Second, 0, 0, 5 * time.Second},
		{"prompt allowance at the target's speed", 50 * time.Millisecond, 0, 10000, 5000, 2050 * time.Millisecond},
		{"prompt allowance at the default speed", 50 * time.Millisecond, 0, 1000, 0, 250 * time.Millisecond},
		{"allowance on the own timeout", 0, time.Second, 2000, 1000, 3 * time.Second},
		{"no timeout stays none", 0, 0, 2000, 1000, 0},
		{"a negative own timeout is none (a flex attempt)", 50 * time.Millisecond, -1, 2000, 1000, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := target(newFake("a", script{}))
			ta.PrefillTokensPerSecond = tc.prefill
			p := &Plan{PromptTokens: tc.prompt, Tiers: []Tier{
				{Targets: []*Target{ta}, TTFTTimeout: tc.tier, TTFTTimeouts: []time.Duration{tc.own}},
			}}
			if got := New(Options{}).flatten(p)[0].ttft; got != tc.want {
				t.Errorf("timeout %s, want %s", got, tc.want)
			}
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
		tr := health.NewTracker(health.Config{FailingAttemptsPerSecond: 1000}, nil, health.Options{})
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
