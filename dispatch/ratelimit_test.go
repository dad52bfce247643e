package dispatch

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// A 429 storm on the primary: the first request moves on at once instead
// of waiting out Retry-After, and later ones skip the primary without
// calling it until its window has passed.
func TestRateLimitWindowIsRememberedAcrossRequests(t *testing.T) {
	clk := newClock()
	tr := health.NewTracker(health.Config{}, nil, health.Options{Now: clk.Now})
	limited := &llm.Error{Kind: llm.KindRateLimit, Retryable: true, Message: "429", RetryAfter: time.Second}
	a, b := newFake("a", script{err: limited}, script{}), newFake("b", script{})
	d := New(Options{Health: tr, Now: clk.Now})
	for i, want := range []struct {
		dep    string
		aCalls int
	}{{"b", 1}, {"b", 1}, {"a", 2}} {
		if i == 2 {
			clk.Advance(time.Second)
		}
		var served llm.Served
		s, err := d.Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		drain(s)
		if served.Deployment != want.dep || a.Calls() != want.aCalls {
			t.Errorf("request %d: served %s, a called %d times; want %s, %d", i, served.Deployment, a.Calls(), want.dep, want.aCalls)
		}
		if i == 0 {
			if st := tr.Status("a"); !st.RateLimitedUntil.Equal(clk.Now().Add(time.Second)) {
				t.Errorf("status %+v", st)
			}
			if h := tr.Snapshot(); h[0].RateLimitedUntil.IsZero() {
				t.Errorf("snapshot does not show the window: %+v", h[0])
			}
		}
	}
}

// The only candidate left is waited for (on the dispatcher's clock) when
// its window ends before the deadline, and not called at all when not.
func TestRateLimitedLastCandidateWaitsOnlyWithinTheDeadline(t *testing.T) {
	for _, tc := range []struct {
		name    string
		window  time.Duration
		wantErr bool
	}{
		{"fits", 2 * time.Second, false},
		{"does not fit", time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			tr := health.NewTracker(health.Config{}, nil, health.Options{Now: clk.Now})
			tr.Record(health.Outcome{Deployment: "a", RateLimited: true, RetryAfter: tc.window})
			a := newFake("a", script{})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			d := New(Options{Health: tr, Now: clk.Now, AfterFunc: clk.AfterFunc})
			done := streamAsync(d, ctx, planOf(time.Second, a), &llm.Served{})
			if tc.wantErr {
				var e *llm.Error
				if err := <-done; !errors.As(err, &e) || e.Kind != llm.KindRateLimit || a.Calls() != 0 {
					t.Fatalf("err %v, a calls %d", err, a.Calls())
				}
				return
			}
			clk.WaitTimers(t, 1) // the wait for the window's end
			if a.Calls() != 0 {
				t.Fatal("a called inside its window")
			}
			clk.Advance(tc.window)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if a.Calls() != 1 {
				t.Errorf("a calls %d", a.Calls())
			}
		})
	}
}

// A hedged pair does not start a member in its rate limit window.
func TestHedgeSkipsARateLimitedTarget(t *testing.T) {
	tr := health.NewTracker(health.Config{}, nil, health.Options{})
	tr.Record(health.Outcome{Deployment: "a", RateLimited: true, RetryAfter: time.Hour})
	a, b := newFake("a", script{}), newFake("b", script{})
	p := planOf(time.Second, a, b)
	p.HedgeAfter = time.Hour
	var served llm.Served
	s, err := New(Options{Health: tr}).Stream(context.Background(), req(), p, &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if a.Calls() != 0 || served.Deployment != "b" {
		t.Errorf("a calls %d, served %+v", a.Calls(), served)
	}
}
