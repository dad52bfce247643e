package dispatch

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// A complete answer reaches the client only once assembled, so a stream
// that fails after its first chunk must fail over, like one that fails
// before it, within the same deadline and with its attempt counted.
func TestChatFailsOverAStreamBrokenMidAnswer(t *testing.T) {
	garbage := &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "malformed event"}
	for _, tc := range []struct {
		name  string
		a     script
		stall time.Duration
	}{
		{"cut", script{cutAfter: 2}, 0},
		{"malformed", script{cutAfter: 1, cutErr: garbage}, 0},
		{"stalled", script{stall: time.Hour}, 20 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := health.NewTracker(health.Config{}, nil, health.Options{})
			a, b := newFake("a", tc.a), newFake("b", script{chunks: 4})
			p := planOf(time.Second, a, b)
			var abandoned []string
			p.OnAbandon = func(_ int, dep *llm.Deployment, partial *llm.Response, err error) {
				abandoned = append(abandoned, dep.Name+":"+partial.Choices[0].Message.Text())
			}
			var served llm.Served
			resp, err := New(Options{Health: tr, StallTimeout: tc.stall}).Chat(context.Background(), req(), p, &served)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got := resp.Choices[0].Message.Text(); got != "xxxx" {
				t.Errorf("content %q: the broken attempt's text leaked into the answer", got)
			}
			if served.Deployment != "b" || served.Tier != 2 || served.Attempts != 2 {
				t.Errorf("served %+v", served)
			}
			if len(abandoned) != 1 || abandoned[0][:2] != "a:" {
				t.Errorf("abandoned %v", abandoned)
			}
			if h := tr.Snapshot(); h[0].Deployment != "a" || h[0].Failures != 1 {
				t.Errorf("the broken attempt did not feed health: %+v", h[0])
			}
			waitIdle(t, a, b)
		})
	}
}

func TestChatMidAnswerFailureOfTheLastTargetIsTheError(t *testing.T) {
	a := newFake("a", script{cutAfter: 2})
	var served llm.Served
	_, err := New(Options{MaxRetries: -1}).Chat(context.Background(), req(), planOf(time.Second, a), &served)
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindUpstream || served.Attempts != 1 {
		t.Fatalf("err %v served %+v", err, served)
	}
	waitIdle(t, a)
}
