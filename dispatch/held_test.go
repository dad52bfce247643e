package dispatch

import (
	"context"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// A deployment health holds (two failures in a row, its attempts this
// second spent) is skipped for the next candidate without a call, but is
// still tried when it is the plan's last candidate.
func TestHeldDeploymentIsSkippedWhileAnotherCanAnswer(t *testing.T) {
	tr := health.NewTracker(health.Config{}, nil, health.Options{})
	for i := 0; i < 2; i++ {
		tr.Acquire("a")
		tr.Record(health.Outcome{Deployment: "a", Failed: true})
	}
	if !tr.Held("a") {
		t.Fatal("a is not held after two failures and two attempts")
	}
	a, b := newFake("a", script{}), newFake("b", script{})
	d := New(Options{Health: tr})
	var served llm.Served
	s, err := d.Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if a.Calls() != 0 || served.Deployment != "b" {
		t.Errorf("with a fallback: a called %d times, served by %q", a.Calls(), served.Deployment)
	}
	s, err = d.Stream(context.Background(), req(), planOf(time.Second, a), &served)
	if err != nil {
		t.Fatalf("as the last candidate: %v", err)
	}
	drain(s)
	if a.Calls() != 1 {
		t.Errorf("as the last candidate: a called %d times, want 1", a.Calls())
	}
	waitIdle(t, a, b)
}
