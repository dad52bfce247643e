package dispatch

import (
	"context"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// fastReq asks for Claude's fast mode, as an Anthropic client's speed
// "fast" or an OpenAI client's service_tier "fast" does.
func fastReq(tier llm.ServiceTier) *llm.Request {
	r := req()
	if tier == "" {
		r.Speed = llm.SpeedFast
	} else {
		r.ServiceTier = tier
	}
	return r
}

// A 429 of fast mode's own limit is answered by the same deployment at
// standard speed at once (no wait, the fallback second in line not
// called), opens a fast window and no rate limit window; while the window
// lasts, later requests for fast mode go out at standard speed without a
// refused call first, and requests at standard speed are not held back.
func TestFastModeLimitFallsBackToStandardSpeed(t *testing.T) {
	for _, tier := range []llm.ServiceTier{"", llm.TierFast} {
		clk := newClock()
		tr := health.NewTracker(health.Config{}, nil, health.Options{Now: clk.Now})
		limited := &llm.Error{Kind: llm.KindRateLimit, Retryable: true, Code: llm.CodeFastRateLimited, Message: "429", RetryAfter: 30 * time.Second}
		a, b := newFake("a", script{err: limited}, script{}), newFake("b", script{})
		d := New(Options{Health: tr, Now: clk.Now, MaxRetries: -1})
		var served llm.Served
		s, err := d.Stream(context.Background(), fastReq(tier), planOf(time.Second, a, b), &served)
		if err != nil {
			t.Fatalf("tier %q: %v", tier, err)
		}
		drain(s)
		reqs := a.Requests()
		if served.Deployment != "a" || b.Calls() != 0 || len(reqs) != 2 {
			t.Fatalf("tier %q: served %s after %d calls of a, %d of b; want a twice, b never", tier, served.Deployment, len(reqs), b.Calls())
		}
		if !reqs[0].WantsFast() || reqs[1].WantsFast() || reqs[1].Speed != llm.SpeedStandard {
			t.Errorf("tier %q: calls asked fast=%v then fast=%v speed %q; want fast, then standard", tier, reqs[0].WantsFast(), reqs[1].WantsFast(), reqs[1].Speed)
		}
		if tier == llm.TierFast && reqs[1].ServiceTier != llm.TierPriority {
			t.Errorf("service_tier fast at standard speed became %q, want priority", reqs[1].ServiceTier)
		}
		st := tr.Status("a")
		if !st.RateLimitedUntil.IsZero() || !st.FastUnavailableUntil.Equal(clk.Now().Add(30*time.Second)) {
			t.Errorf("tier %q: status %+v; want a fast window of 30s and no rate limit window", tier, st)
		}
		if h := tr.Snapshot(); h[0].FastUnavailableUntil.IsZero() || h[0].RateLimited != 0 || h[0].Failures != 0 {
			t.Errorf("tier %q: snapshot %+v", tier, h[0])
		}

		// In the window: straight to standard speed, one call.
		a.Scripts = a.Scripts[1:]
		for _, r := range []*llm.Request{fastReq(tier), req()} {
			s, err = d.Stream(context.Background(), r, planOf(time.Second, a, b), &served)
			if err != nil {
				t.Fatalf("tier %q, in the window: %v", tier, err)
			}
			drain(s)
			if last := a.Requests()[len(a.Requests())-1]; served.Deployment != "a" || last.WantsFast() {
				t.Errorf("tier %q, in the window: served %s, sent fast=%v", tier, served.Deployment, last.WantsFast())
			}
		}
		if got := len(a.Requests()); got != 4 {
			t.Errorf("tier %q: a called %d times in all, want 4", tier, got)
		}

		// After the window: fast again.
		clk.Advance(30 * time.Second)
		s, err = d.Stream(context.Background(), fastReq(tier), planOf(time.Second, a, b), &served)
		if err != nil {
			t.Fatal(err)
		}
		drain(s)
		if last := a.Requests()[len(a.Requests())-1]; !last.WantsFast() {
			t.Errorf("tier %q: after the window the request went out at standard speed", tier)
		}
	}
}

// A fast-mode 429 with no Retry-After still holds fast mode back, for
// health.FastCooldown; one at standard speed after it is an ordinary 429.
func TestFastModeLimitWithoutRetryAfter(t *testing.T) {
	clk := newClock()
	tr := health.NewTracker(health.Config{}, nil, health.Options{Now: clk.Now})
	fastLimit := &llm.Error{Kind: llm.KindRateLimit, Retryable: true, Code: llm.CodeFastRateLimited, Message: "429"}
	a, b := newFake("a", script{err: fastLimit}, script{err: errRate}), newFake("b", script{})
	d := New(Options{Health: tr, Now: clk.Now, MaxRetries: -1})
	var served llm.Served
	s, err := d.Stream(context.Background(), fastReq(""), planOf(time.Second, a, b), &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if served.Deployment != "b" || a.Calls() != 2 {
		t.Errorf("served %s after %d calls of a; want b after a's two 429s", served.Deployment, a.Calls())
	}
	if st := tr.Status("a"); !st.FastUnavailableUntil.Equal(clk.Now().Add(health.FastCooldown)) || st.RateLimitedUntil.IsZero() {
		t.Errorf("status %+v; want a fast window of FastCooldown and a rate limit window", st)
	}
}

// A member of a hedged pair refused by fast mode's own limit is sent the
// request again at once at standard speed, as a target tried alone is,
// while the other member keeps running: before, a hedged attempt was
// never retried, and the pair answered with the other member or the 429.
func TestFastModeLimitHedged(t *testing.T) {
	limited := &llm.Error{Kind: llm.KindRateLimit, Retryable: true, Code: llm.CodeFastRateLimited, Message: "429", RetryAfter: 30 * time.Second}
	for _, stream := range []bool{true, false} {
		// b, the last candidate, is refused; a is still on its way.
		a, b := newFake("a", script{delay: 2 * time.Second}), newFake("b", script{err: limited}, script{})
		p := planOf(5*time.Second, a, b)
		p.HedgeAfter = time.Millisecond
		var served llm.Served
		d := New(Options{MaxRetries: -1})
		var err error
		if stream {
			var s *Stream
			if s, err = d.Stream(context.Background(), fastReq(""), p, &served); err == nil {
				drain(s)
			}
		} else {
			_, err = d.Chat(context.Background(), fastReq(""), p, &served)
		}
		reqs := b.Requests()
		if err != nil || served.Deployment != "b" || len(reqs) != 2 || served.Attempts != 3 {
			t.Fatalf("stream %v: err %v, served %+v after %d calls of b; want b twice", stream, err, served, len(reqs))
		}
		if !reqs[0].WantsFast() || reqs[1].WantsFast() || reqs[1].Speed != llm.SpeedStandard {
			t.Errorf("stream %v: b asked fast=%v then fast=%v; want fast, then standard", stream, reqs[0].WantsFast(), reqs[1].WantsFast())
		}
		waitIdle(t, a, b)
	}
}
