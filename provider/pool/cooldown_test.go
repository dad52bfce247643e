package pool

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"switchyard/llm"
)

// A 429 cools only the member that answered it; traffic moves to the
// others and comes back when the cooldown ends.
func TestRateLimitCoolsOnlyThatMember(t *testing.T) {
	for _, strategy := range []Strategy{StrategyLeastInFlight, StrategyWeighted} {
		t.Run(string(strategy), func(t *testing.T) {
			clk := newClock()
			fs := fakes(3)
			limited := rateLimit(0)
			fs[1].fail = func() error { return limited }
			p := newPool(t, members(fs), clk.opts(Options{Strategy: strategy, Rand: rand.New(rand.NewPCG(5, 6)).Uint64}))

			var err error
			for i := 0; err == nil; i++ {
				if i == 1000 {
					t.Fatal("member b was never picked")
				}
				_, err = chat(p)
			}
			if !sameOrRetryNow(err, limited) {
				t.Fatalf("err = %v, want the member's error, Retry-After cleared", err)
			}
			before := calls(fs)
			for range 100 {
				if _, err := chat(p); err != nil {
					t.Fatalf("call while b cools: %v", err)
				}
			}
			after := calls(fs)
			if after[1] != before[1] || after[0] == before[0] || after[2] == before[2] {
				t.Errorf("calls %v → %v: want traffic on a and c only", before, after)
			}
			st := p.Status()
			if want := t0.Add(DefaultCooldown); !st[1].CoolingUntil.Equal(want) || st[1].RateLimited != 1 {
				t.Errorf("b status = %+v, want cooling until %v after 1 rate limit", st[1], want)
			}
			for _, i := range []int{0, 2} {
				if !st[i].CoolingUntil.IsZero() || st[i].RateLimited != 0 {
					t.Errorf("%s status = %+v, want untouched", st[i].Name, st[i])
				}
			}

			clk.Advance(DefaultCooldown)
			if st := p.Status(); !st[1].CoolingUntil.IsZero() {
				t.Errorf("b still cooling at its end: %+v", st[1])
			}
			for i := 0; fs[1].count() == after[1]; i++ {
				if i == 1000 {
					t.Fatal("member b got no traffic after its cooldown")
				}
				chat(p)
			}
		})
	}
}

func TestCooldownDuration(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		err  error
		want time.Duration // 0: not cooled
	}{
		{"retry-after honoured", Options{}, rateLimit(3 * time.Second), 3 * time.Second},
		{"short retry-after not raised to the default", Options{DefaultCooldown: 7 * time.Second}, rateLimit(time.Second), time.Second},
		{"no retry-after: default", Options{}, rateLimit(0), 10 * time.Second},
		{"no retry-after: configured default", Options{DefaultCooldown: 7 * time.Second}, rateLimit(0), 7 * time.Second},
		{"retry-after capped", Options{}, rateLimit(time.Hour), 5 * time.Minute},
		{"retry-after capped by configured max", Options{MaxCooldown: 30 * time.Second}, rateLimit(time.Hour), 30 * time.Second},
		{"wrapped rate limit", Options{}, fmt.Errorf("ctx: %w", rateLimit(2*time.Second)), 2 * time.Second},
		{"upstream error", Options{}, llm.Errorf(llm.KindUpstream, "bad gateway"), 0},
		{"unavailable", Options{}, &llm.Error{Kind: llm.KindUnavailable, RetryAfter: time.Minute}, 0},
		{"timeout", Options{}, llm.Errorf(llm.KindTimeout, "slow"), 0},
		{"plain error", Options{}, errors.New("boom"), 0},
		{"canceled", Options{}, context.Canceled, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			fs := fakes(2)
			fs[0].fail = func() error { return tc.err }
			p := newPool(t, members(fs), clk.opts(tc.opts))

			if _, err := chat(p); !sameOrRetryNow(err, tc.err) {
				t.Fatalf("err = %v, want the member's error (a 429 with Retry-After cleared, as another member is free)", err)
			}
			st := p.Status()[0]
			if tc.want == 0 {
				if !st.CoolingUntil.IsZero() || st.RateLimited != 0 {
					t.Fatalf("status = %+v, want not cooled", st)
				}
				chat(p) // b, round-robin
				if chat(p); fs[0].count() != 2 {
					t.Errorf("a was not picked again after a non-429 error")
				}
				return
			}
			if want := t0.Add(tc.want); !st.CoolingUntil.Equal(want) || st.RateLimited != 1 {
				t.Fatalf("status = %+v, want cooling until t0+%v", st, tc.want)
			}
			clk.Advance(tc.want - time.Nanosecond)
			for range 3 {
				if name, _ := chat(p); name != "b" {
					t.Fatalf("a picked 1ns before its cooldown ends")
				}
			}
			clk.Advance(time.Nanosecond)
			if st := p.Status()[0]; !st.CoolingUntil.IsZero() {
				t.Fatalf("a still cooling at its end: %+v", st)
			}
			chat(p) // round-robin: a's turn
			if got := fs[0].count(); got != 2 {
				t.Errorf("a not picked once its cooldown ended (calls %d)", got)
			}
		})
	}
}

// A later, shorter 429 does not shorten a running cooldown.
func TestCooldownKeepsLongest(t *testing.T) {
	clk := newClock()
	fs := fakes(1)
	next := []time.Duration{time.Minute, time.Second, 2 * time.Minute}
	fs[0].fail = func() error { d := next[0]; next = next[1:]; return rateLimit(d) }
	p := newPool(t, members(fs), clk.opts(Options{}))
	for i, want := range []time.Duration{time.Minute, time.Minute, 2 * time.Minute} {
		chat(p)
		if st := p.Status()[0]; !st.CoolingUntil.Equal(t0.Add(want)) || st.RateLimited != int64(i+1) {
			t.Errorf("after 429 #%d: %+v, want cooling until t0+%v", i+1, st, want)
		}
	}
}

// With every member cooling, the call goes to the member whose cooldown
// ends first instead of failing in the pool.
func TestAllCooling(t *testing.T) {
	for _, strategy := range []Strategy{StrategyLeastInFlight, StrategyWeighted} {
		t.Run(string(strategy), func(t *testing.T) {
			clk := newClock()
			fs := fakes(3)
			for i, d := range []time.Duration{5 * time.Second, 2 * time.Second, 8 * time.Second} {
				limited := false
				fs[i].fail = func() error {
					if limited {
						return nil
					}
					limited = true
					return rateLimit(d)
				}
			}
			p := newPool(t, members(fs), clk.opts(Options{Strategy: strategy, Rand: rand.New(rand.NewPCG(7, 8)).Uint64}))
			for i := 0; slices.Min(calls(fs)) == 0; i++ {
				if i == 1000 {
					t.Fatal("not every member was picked")
				}
				chat(p)
			}
			for _, s := range p.Status() {
				if s.CoolingUntil.IsZero() {
					t.Fatalf("%s not cooling: %+v", s.Name, s)
				}
			}
			before := calls(fs)
			for range 3 {
				name, err := chat(p)
				if err != nil || name != "b" {
					t.Fatalf("all cooling: got %q, %v; want b, whose cooldown ends first, to answer", name, err)
				}
			}
			clk.Advance(2 * time.Second) // b is free; a (5s) ends next
			fs[1].fail = func() error { return rateLimit(10 * time.Second) }
			chat(p)
			if name, err := chat(p); err != nil || name != "a" {
				t.Errorf("got %q, %v; want a once b cooled again", name, err)
			}
			if after := calls(fs); after[2] != before[2] {
				t.Errorf("c (cooling longest) was called: %v → %v", before, after)
			}
		})
	}
}

// Embeddings use only members that embed, even when all of those cool and
// a chat-only member is free.
func TestEmbedAllCooling(t *testing.T) {
	clk := newClock()
	fs := fakes(3)
	ms := members(fs)
	ms[1].Provider, ms[2].Provider = embedFake{fs[1]}, embedFake{fs[2]}
	p := newPool(t, ms, clk.opts(Options{}))
	fs[1].fail = func() error { return rateLimit(3 * time.Second) }
	fs[2].fail = func() error { return rateLimit(time.Second) }
	ereq := &llm.EmbeddingRequest{Input: []string{"x"}}
	for range 2 {
		if _, err := p.Embed(context.Background(), ereq); err == nil {
			t.Fatal("want the members' 429s")
		}
	}
	fs[2].fail = nil
	resp, err := p.Embed(context.Background(), ereq)
	if err != nil || resp.Model != "c" {
		t.Fatalf("got %v, %v; want c, whose cooldown ends first", resp, err)
	}
	if fs[0].count() != 0 {
		t.Error("the chat-only member was asked to embed")
	}
}

// sameOrRetryNow reports whether got is want itself or, for a rate limit
// while another member is free, a copy of it with RetryAfter cleared.
func sameOrRetryNow(got, want error) bool {
	if got == want {
		return true
	}
	var g, w *llm.Error
	if !errors.As(got, &g) || !errors.As(want, &w) || w.Kind != llm.KindRateLimit {
		return false
	}
	return g.Kind == w.Kind && g.Message == w.Message && g.RetryAfter == 0 && g.Retryable
}
