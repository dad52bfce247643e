package dispatch

import (
	"context"
	"testing"
	"time"

	"switchyard/llm"
)

// sentMaxTokens is the max_tokens of each request f was sent.
func sentMaxTokens(f *fake) []int {
	var out []int
	for _, r := range f.Requests() {
		n := 0
		if r.MaxTokens != nil {
			n = *r.MaxTokens
		}
		out = append(out, n)
	}
	return out
}

// A target with a lowered max_tokens (Tier.MaxTokens) is sent it, on its
// retries and as a hedge too; the next target, and the run's request,
// keep the request's own.
func TestTierMaxTokens(t *testing.T) {
	for _, hedge := range []bool{false, true} {
		a, b := newFake("a", script{err: err500}), newFake("b", script{})
		if hedge {
			a = newFake("a", script{delay: time.Second})
		}
		p := &Plan{Tiers: []Tier{{Targets: []*Target{target(a), target(b)}, TTFTTimeout: 5 * time.Second, MaxTokens: []int{8192}}}}
		if hedge {
			p.HedgeAfter = time.Millisecond
		}
		want := 32000
		r := req()
		r.MaxTokens = &want
		if _, err := New(Options{MaxRetries: 1}).Chat(context.Background(), r, p, &llm.Served{}); err != nil {
			t.Fatalf("hedge %v: %v", hedge, err)
		}
		for _, n := range sentMaxTokens(a) {
			if n != 8192 {
				t.Errorf("hedge %v: a sent max_tokens %v, want 8192", hedge, sentMaxTokens(a))
			}
		}
		if got := sentMaxTokens(b); len(got) != 1 || got[0] != 32000 || *r.MaxTokens != 32000 || len(sentMaxTokens(a)) == 0 {
			t.Errorf("hedge %v: b sent %v, a %v, the request holds %d", hedge, got, sentMaxTokens(a), *r.MaxTokens)
		}
	}
}
