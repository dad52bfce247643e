package dispatch

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/cost"
	"switchyard/health"
	"switchyard/llm"
	"switchyard/llm/llmtest"
)

func TestMain(m *testing.M) {
	cost.Warm() // build the tokenizer before goleak looks, not in the background of a test
	goleak.VerifyTestMain(m)
}

func req() *llm.Request {
	return &llm.Request{Model: "x", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}
}

func TestFirstTierAnswers(t *testing.T) {
	a, b := newFake("a", script{}), newFake("b", script{})
	var served llm.Served
	s, err := New(Options{}).Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := drain(s); n != 3 || err != nil {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if served.Deployment != "a" || served.Tier != 1 || served.Attempts != 1 || b.Calls() != 0 {
		t.Errorf("served %+v, b calls %d", served, b.Calls())
	}
}

// streamAsync runs d.Stream in a goroutine; the result comes on the channel.
func streamAsync(d *Dispatcher, ctx context.Context, p *Plan, served *llm.Served) <-chan error {
	done := make(chan error, 1)
	go func() {
		s, err := d.Stream(ctx, req(), p, served)
		if err == nil {
			drain(s)
		}
		done <- err
	}()
	return done
}

// The tier timeout, on the dispatcher's clock, moves on to the next tier
// without waiting for the slow one.
func TestSlowTierFailsOverAfterItsTimeout(t *testing.T) {
	clk := newClock()
	a, b := newFake("a", script{delay: time.Hour}), newFake("b", script{})
	var served llm.Served
	done := streamAsync(New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc}), context.Background(), planOf(100*time.Millisecond, a, b), &served)
	clk.WaitTimers(t, 1) // a's first-token timeout
	clk.Advance(99 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("returned (%v) before a's tier timeout", err)
	default:
	}
	clk.Advance(time.Millisecond)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if served.Deployment != "b" || served.Tier != 2 || served.Attempts != 2 {
		t.Errorf("served %+v", served)
	}
	if a.Calls() != 1 {
		t.Errorf("a tier timeout was retried on the same deployment: %d calls", a.Calls())
	}
	waitIdle(t, a)
}

func TestRetriesHonourRetryAfterThenSucceed(t *testing.T) {
	a := newFake("a", script{err: errRate}, script{})
	var served llm.Served
	s, err := New(Options{}).Stream(context.Background(), req(), planOf(time.Second, a), &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if a.Calls() != 2 || served.Attempts != 2 {
		t.Errorf("calls %d served %+v", a.Calls(), served)
	}
}

func TestLongRetryAfterMovesOn(t *testing.T) {
	long := &llm.Error{Kind: llm.KindRateLimit, Retryable: true, Message: "429", RetryAfter: time.Minute}
	a, b := newFake("a", script{err: long}), newFake("b", script{})
	var served llm.Served
	s, err := New(Options{}).Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if a.Calls() != 1 || served.Deployment != "b" {
		t.Errorf("a calls %d, served %+v", a.Calls(), served)
	}
}

func TestClientErrorsAreNotRetriedNorFailedOver(t *testing.T) {
	a, b := newFake("a", script{err: err400}), newFake("b", script{})
	var served llm.Served
	_, err := New(Options{}).Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest {
		t.Fatalf("err = %v", err)
	}
	if a.Calls() != 1 || b.Calls() != 0 {
		t.Errorf("calls a=%d b=%d", a.Calls(), b.Calls())
	}
}

func TestAllTiersFailReturnsTheLastError(t *testing.T) {
	a, b := newFake("a", script{err: err500}), newFake("b", script{err: errRate})
	_, err := New(Options{MaxRetries: -1}).Stream(context.Background(), req(), planOf(time.Second, a, b), &llm.Served{})
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindRateLimit {
		t.Fatalf("err = %v", err)
	}
}

func TestOpenBreakerSkipsTheDeployment(t *testing.T) {
	tr := health.NewTracker(health.Config{}, nil, health.Options{})
	for i := 0; i < 5; i++ {
		tr.Record(health.Outcome{Deployment: "a", Failed: true})
	}
	a, b := newFake("a", script{}), newFake("b", script{})
	var served llm.Served
	s, err := New(Options{Health: tr}).Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if a.Calls() != 0 || served.Deployment != "b" {
		t.Errorf("a calls %d served %+v", a.Calls(), served)
	}
}

// Every candidate's breaker open: the 503 says how long until the first
// lets a probe through (Retry-After), which the SDKs wait before retrying.
func TestOpenBreakersSayWhenToRetry(t *testing.T) {
	clk := newClock()
	tr := health.NewTracker(health.Config{OpenFor: 10 * time.Second}, nil, health.Options{Now: clk.Now})
	for i := 0; i < 5; i++ {
		tr.Record(health.Outcome{Deployment: "a", Failed: true})
	}
	clk.Advance(4 * time.Second)
	a := newFake("a", script{})
	_, err := New(Options{Health: tr}).Stream(context.Background(), req(), planOf(time.Second, a), &llm.Served{})
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindUnavailable || e.RetryAfter != 6*time.Second || a.Calls() != 0 {
		t.Fatalf("err %v (retry after %v), a calls %d", err, e.RetryAfter, a.Calls())
	}
}

// A hedged pair whose two breakers are open says when the first lets a
// probe through, as one target does.
func TestOpenHedgedBreakersSayWhenToRetry(t *testing.T) {
	clk := newClock()
	tr := health.NewTracker(health.Config{OpenFor: 10 * time.Second}, nil, health.Options{Now: clk.Now})
	for i := 0; i < 5; i++ {
		tr.Record(health.Outcome{Deployment: "a", Failed: true})
	}
	clk.Advance(3 * time.Second)
	for i := 0; i < 5; i++ {
		tr.Record(health.Outcome{Deployment: "b", Failed: true})
	}
	a, b := newFake("a", script{}), newFake("b", script{})
	p := planOf(time.Second, a, b)
	p.HedgeAfter = time.Second
	_, err := New(Options{Health: tr}).Stream(context.Background(), req(), p, &llm.Served{})
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindUnavailable || e.RetryAfter != 7*time.Second || a.Calls()+b.Calls() != 0 {
		t.Fatalf("err %v (retry after %v), calls %d", err, e.RetryAfter, a.Calls()+b.Calls())
	}
}

func TestFailuresFeedHealth(t *testing.T) {
	tr := health.NewTracker(health.Config{FailingAttemptsPerSecond: 1000}, nil, health.Options{})
	a, b := newFake("a", script{err: err500}), newFake("b", script{})
	d := New(Options{Health: tr, MaxRetries: -1})
	for i := 0; i < 5; i++ {
		s, err := d.Stream(context.Background(), req(), planOf(time.Second, a, b), &llm.Served{})
		if err != nil {
			t.Fatal(err)
		}
		drain(s)
	}
	if st := tr.Status("a"); st.Breaker != health.Open {
		t.Fatalf("a after 5 failures: %+v", st)
	}
	if st := tr.Status("b"); st.Breaker != health.Closed {
		t.Fatalf("b: %+v", st)
	}
	if h := tr.Snapshot(); h[1].TTFTp50 == 0 && h[1].Requests != 5 {
		t.Errorf("b not recorded: %+v", h[1])
	}
}

func TestStallAfterFirstChunkEndsWithTimeout(t *testing.T) {
	a := newFake("a", script{stall: time.Hour})
	s, err := New(Options{StallTimeout: 50 * time.Millisecond}).Stream(context.Background(), req(), planOf(time.Second, a), &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := drain(s)
	var e *llm.Error
	if n != 1 || !errors.As(err, &e) || e.Kind != llm.KindTimeout {
		t.Fatalf("n=%d err=%v", n, err)
	}
	waitIdle(t, a)
}

func TestCutAfterFirstChunkIsAnError(t *testing.T) {
	a, b := newFake("a", script{cutAfter: 2}), newFake("b", script{})
	s, err := New(Options{}).Stream(context.Background(), req(), planOf(time.Second, a, b), &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := drain(s); n != 2 || err == nil {
		t.Fatalf("n=%d err=%v: a cut stream must not end cleanly", n, err)
	}
	if b.Calls() != 0 {
		t.Error("failed over after the first chunk")
	}
}

// The request's deadline ends the plan even when no tier timeout fires
// (the fake clock never moves).
func TestDeadlineIsRespected(t *testing.T) {
	clk := newClock()
	a, b := newFake("a", script{delay: time.Hour}), newFake("b", script{delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc}).Stream(ctx, req(), planOf(100*time.Millisecond, a, b), &llm.Served{})
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindTimeout {
		t.Fatalf("err = %v", err)
	}
	waitIdle(t, a, b)
}

func TestClientCancelStopsTheUpstream(t *testing.T) {
	a := newFake("a", script{delay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := streamAsync(New(Options{}), ctx, planOf(0, a), &llm.Served{})
	waitCalls(t, a, 1)
	cancel()
	var e *llm.Error
	if err := <-done; !errors.As(err, &e) || e.Kind != llm.KindCanceled {
		t.Fatalf("err = %v", err)
	}
	waitIdle(t, a)
}

// The hedge threshold, on the dispatcher's clock, starts the next target;
// it wins while the primary still has nothing.
func TestHedgeWinsWhenThePrimaryIsSlow(t *testing.T) {
	clk := newClock()
	a, b := newFake("a", script{delay: time.Hour}), newFake("b", script{})
	p := planOf(0, a, b)
	p.HedgeAfter = 50 * time.Millisecond
	var served llm.Served
	done := streamAsync(New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc}), context.Background(), p, &served)
	clk.WaitTimers(t, 1) // the hedge threshold
	if b.Calls() != 0 {
		t.Fatal("b started before the hedge threshold")
	}
	clk.Advance(50 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if served.Deployment != "b" {
		t.Errorf("served %+v", served)
	}
	waitIdle(t, a, b)
}

func TestHedgeKeepsAFastPrimary(t *testing.T) {
	a, b := newFake("a", script{}), newFake("b", script{})
	p := planOf(0, a, b)
	p.HedgeAfter = time.Second
	var served llm.Served
	s, err := New(Options{}).Stream(context.Background(), req(), p, &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if served.Deployment != "a" || b.Calls() != 0 {
		t.Errorf("served %+v, b calls %d", served, b.Calls())
	}
}

func TestChatAssemblesTheStream(t *testing.T) {
	a := newFake("a", script{chunks: 4})
	resp, err := New(Options{}).Chat(context.Background(), req(), planOf(time.Second, a), &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].Message.Text() != "xxxx" {
		t.Fatalf("content %q", resp.Choices[0].Message.Text())
	}
	waitIdle(t, a)
}

// waitCalls waits until f has been called n times.
func waitCalls(t *testing.T, f *fake, n int) {
	t.Helper()
	llmtest.WaitFor(t, fmt.Sprintf("%d calls to %s", n, f.name), func() bool { return f.Calls() >= n })
}

// waitIdle waits until the fakes have no open stream.
func waitIdle(t *testing.T, fs ...*fake) {
	t.Helper()
	for _, f := range fs {
		llmtest.WaitFor(t, f.name+"'s streams to close", func() bool { return f.Active() == 0 })
	}
}

func TestPinnedErrorWinsWhenEverythingFails(t *testing.T) {
	a, b := newFake("a", script{err: errRate}), newFake("b", script{err: err500})
	p := planOf(time.Second, a, b)
	p.Pinned = "a"
	var served llm.Served
	_, err := New(Options{MaxRetries: -1}).Stream(context.Background(), req(), p, &served)
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindRateLimit || served.Deployment != "a" || served.Attempts != 2 {
		t.Fatalf("err %v served %+v", err, served)
	}
}

// A role-only first chunk says nothing of the answer: a failure right after
// it still fails over, since no token has reached the client.
func TestFailureAfterARoleOnlyChunkFailsOver(t *testing.T) {
	a, b := newFake("a", script{roleOnly: true, cutFirst: true}), newFake("b", script{roleOnly: true})
	var served llm.Served
	s, err := New(Options{MaxRetries: -1}).Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := drain(s); n != 4 || err != nil || served.Deployment != "b" {
		t.Errorf("n=%d err=%v served %+v", n, err, served)
	}
	waitIdle(t, a, b)
}
