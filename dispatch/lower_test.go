package dispatch

import (
	"context"
	"slices"
	"testing"
	"time"

	"switchyard/llm"
)

// The refusals that state a model's output limit, as OpenAI's Chat
// Completions and Anthropic word them (provider.OutputLimit).
var (
	errOpenAIOutput = &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeModelUnsupported, Param: "max_tokens",
		Message: "max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000."}
	errAnthropicOutput = &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeModelUnsupported,
		Message: "max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-1-20250805"}
)

// lowerRun runs plan p for a request of max_tokens want and returns what
// was served and the error.
func lowerRun(t *testing.T, p *Plan, want int) (llm.Served, error) {
	t.Helper()
	r := req()
	r.MaxTokens = &want
	var served llm.Served
	_, err := New(Options{MaxRetries: 1}).Chat(context.Background(), r, p, &served)
	if *r.MaxTokens != want {
		t.Errorf("the request's max_tokens became %d", *r.MaxTokens)
	}
	return served, err
}

// A target refusing max_tokens with its limit stated, with no later target
// that writes the full amount, is sent the request again at once with
// max_tokens lowered to that limit: one more attempt, named as clamped.
func TestLowerMaxTokensOnRefusal(t *testing.T) {
	for _, c := range []struct {
		name      string
		err       *llm.Error
		want, got int
	}{{"openai", errOpenAIOutput, 32000, 16384}, {"anthropic", errAnthropicOutput, 64000, 32000}} {
		a := newFake("a", script{err: c.err}, script{})
		p := &Plan{Tiers: []Tier{{Targets: []*Target{target(a)}, TTFTTimeout: 5 * time.Second}}, LowerMaxTokens: true, Attempts: &Attempts{}}
		served, err := lowerRun(t, p, c.want)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := sentMaxTokens(a); !slices.Equal(got, []int{c.want, c.got}) {
			t.Errorf("%s: sent max_tokens %v, want [%d %d]", c.name, got, c.want, c.got)
		}
		if served.Attempts != 2 || served.ClampedMaxTokens != c.got || len(p.Attempts.Seal(time.Now())) != 2 {
			t.Errorf("%s: served %d attempts clamped to %d, log %d", c.name, served.Attempts, served.ClampedMaxTokens, len(p.Attempts.Seal(time.Now())))
		}
	}
}

// A later target that writes the full amount is tried instead, as the
// route would have chosen it; one already lowered (Tier.MaxTokens) does
// not, so the refused target is lowered then. A route whose max_tokens is
// refuse (no LowerMaxTokens), and a pin the plan does not let lower, keep
// the refusal; a lowering happens once.
func TestLowerMaxTokensOnlyWhenNoneWritesIt(t *testing.T) {
	cases := []struct {
		name   string
		plan   func(a, b *fake) *Plan
		a, b   []int // max_tokens each was sent
		failed bool
	}{
		{"later full", func(a, b *fake) *Plan {
			return &Plan{Tiers: []Tier{{Targets: []*Target{target(a), target(b)}}}, LowerMaxTokens: true}
		}, []int{32000}, []int{32000}, false},
		{"later lowered", func(a, b *fake) *Plan {
			return &Plan{Tiers: []Tier{{Targets: []*Target{target(a)}}, {Targets: []*Target{target(b)}, MaxTokens: []int{8192}}}, LowerMaxTokens: true}
		}, []int{32000, 16384}, nil, false},
		{"refuse", func(a, b *fake) *Plan {
			return &Plan{Tiers: []Tier{{Targets: []*Target{target(a)}}}}
		}, []int{32000}, nil, true},
		{"pin kept", func(a, b *fake) *Plan {
			return &Plan{Tiers: []Tier{{Targets: []*Target{target(a)}}}, Pinned: "a", LowerMaxTokens: true}
		}, []int{32000}, nil, true},
		{"pin lowered", func(a, b *fake) *Plan {
			return &Plan{Tiers: []Tier{{Targets: []*Target{target(a)}}}, Pinned: "a", LowerPinned: true}
		}, []int{32000, 16384}, nil, false},
	}
	for _, c := range cases {
		a, b := newFake("a", script{err: errOpenAIOutput}, script{}), newFake("b", script{})
		if c.name == "refuse" || c.name == "pin kept" {
			a = newFake("a", script{err: errOpenAIOutput})
		}
		_, err := lowerRun(t, c.plan(a, b), 32000)
		if (err != nil) != c.failed {
			t.Errorf("%s: error %v, want failed %v", c.name, err, c.failed)
		}
		if got := sentMaxTokens(a); !slices.Equal(got, c.a) {
			t.Errorf("%s: a sent %v, want %v", c.name, got, c.a)
		}
		if got := sentMaxTokens(b); !slices.Equal(got, c.b) {
			t.Errorf("%s: b sent %v, want %v", c.name, got, c.b)
		}
	}
	// Refused again below the stated limit (a wrong one): no second lowering.
	a := newFake("a", script{err: errOpenAIOutput}, script{err: &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeModelUnsupported,
		Message: "max_tokens is too large: 16384. This model supports at most 4096 completion tokens, whereas you provided 16384."}})
	if _, err := lowerRun(t, &Plan{Tiers: []Tier{{Targets: []*Target{target(a)}}}, LowerMaxTokens: true}, 32000); err == nil || !slices.Equal(sentMaxTokens(a), []int{32000, 16384}) {
		t.Errorf("refused twice: error %v, sent %v", err, sentMaxTokens(a))
	}
}

// A member of a hedged pair refusing max_tokens with its limit stated is
// sent the request again at once lowered to it, as a target tried alone
// is, while the other member keeps running: before, a hedged attempt was
// never lowered, and the pair answered with the other member or the
// refusal. The lowered member that answers is named as clamped.
func TestLowerMaxTokensHedged(t *testing.T) {
	for _, stream := range []bool{true, false} {
		// b, the last candidate, refuses; a is still on its way.
		a, b := newFake("a", script{delay: 2 * time.Second}), newFake("b", script{err: errOpenAIOutput}, script{})
		p := planOf(5*time.Second, a, b)
		p.HedgeAfter, p.LowerMaxTokens, p.Attempts = time.Millisecond, true, &Attempts{}
		served, err := hedgedLowerRun(t, p, stream)
		if err != nil || served.Deployment != "b" || served.ClampedMaxTokens != 16384 || served.Attempts != 3 {
			t.Errorf("stream %v: err %v, served %+v", stream, err, served)
		}
		if got := sentMaxTokens(b); !slices.Equal(got, []int{32000, 16384}) {
			t.Errorf("stream %v: b sent %v", stream, got)
		}
		waitIdle(t, a, b)
		// a refuses, b lowered by its tier: a is lowered, b not started.
		a, b = newFake("a", script{err: errOpenAIOutput}, script{}), newFake("b", script{})
		p = planOf(5*time.Second, a, b)
		p.Tiers[1].MaxTokens = []int{8192}
		p.HedgeAfter, p.LowerMaxTokens = time.Hour, true
		served, err = hedgedLowerRun(t, p, stream)
		if err != nil || served.Deployment != "a" || served.ClampedMaxTokens != 16384 || served.Attempts != 2 || b.Calls() != 0 {
			t.Errorf("stream %v, a refused: err %v, served %+v, b called %d", stream, err, served, b.Calls())
		}
		waitIdle(t, a, b)
	}
}

// hedgedLowerRun runs plan p for a request of max_tokens 32000.
func hedgedLowerRun(t *testing.T, p *Plan, stream bool) (llm.Served, error) {
	t.Helper()
	r := req()
	want := 32000
	r.MaxTokens = &want
	var served llm.Served
	d := New(Options{MaxRetries: 1})
	var err error
	if stream {
		var s *Stream
		if s, err = d.Stream(context.Background(), r, p, &served); err == nil {
			drain(s)
		}
	} else {
		_, err = d.Chat(context.Background(), r, p, &served)
	}
	return served, err
}
