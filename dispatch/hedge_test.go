package dispatch

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/llm"
)

// A hedged pair whose two members fail answers as two candidates tried
// one after the other do: a definitive rejection of the request (a
// context window overflow, a model that cannot take it, a plain 400)
// wins over the other's transient 5xx, whichever came first. Before,
// the hedge handed on only the error that came last. (A model_not_found
// of one deployment does not win, as in a sequential plan: it says
// nothing of the request, and the other may answer on a retry.)
func TestHedgedRejectionWinsOverA5xx(t *testing.T) {
	for _, tc := range []struct {
		name     string
		a, b     error // a fails at once, which starts b
		wantCode string
		wantKind llm.ErrorKind
	}{
		{"context length, then 5xx", errTooLong, err500, llm.CodeContextLength, llm.KindInvalidRequest},
		{"5xx, then context length", err500, errTooLong, llm.CodeContextLength, llm.KindInvalidRequest},
		{"model unsupported, then 5xx", errNoTools, err500, llm.CodeModelUnsupported, llm.KindInvalidRequest},
		{"content filter, then 5xx", contentFilter400(), err500, llm.CodeContentFilter, llm.KindInvalidRequest},
		{"invalid request, then 5xx", err400, err500, "", llm.KindInvalidRequest},
		{"5xx, then invalid request", err500, err400, "", llm.KindInvalidRequest},
	} {
		for _, stream := range []bool{true, false} {
			a, b := newFake("a", script{err: tc.a}), newFake("b", script{err: tc.b})
			p := planOf(time.Second, a, b)
			p.HedgeAfter = time.Hour
			d := New(Options{MaxRetries: 2})
			var err error
			if stream {
				_, err = d.Stream(context.Background(), req(), p, &llm.Served{})
			} else {
				_, err = d.Chat(context.Background(), req(), p, &llm.Served{})
			}
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != tc.wantKind || e.Code != tc.wantCode || e.HTTPStatus() != 400 {
				t.Errorf("%s (stream %v): err %v (kind %s, code %q)", tc.name, stream, err, e.Kind, e.Code)
			}
			if a.Calls()+b.Calls() > 2 {
				t.Errorf("%s: a hedged attempt was retried: %d calls", tc.name, a.Calls()+b.Calls())
			}
		}
	}
}

// Where the plan passes refusals over for the next candidate, a hedged
// member's content-policy rejection leaves the other member, that next
// candidate, to answer: before, it ended the pair and the other was never
// tried. The refusal passed over is told once, naming the member.
func TestHedgedRefusalLeavesTheOtherToAnswer(t *testing.T) {
	for _, stream := range []bool{true, false} {
		a, b := newFake("a", script{err: contentFilter400()}), newFake("b", script{})
		p := planOf(time.Second, a, b)
		p.HedgeAfter = time.Hour
		p.RefusalFallback = true
		var passed []string
		p.OnRefusalPassed = func(dep *llm.Deployment, _ *llm.Response) { passed = append(passed, dep.Name) }
		var served llm.Served
		d := New(Options{})
		var err error
		if stream {
			var s *Stream
			if s, err = d.Stream(context.Background(), req(), p, &served); err == nil {
				drain(s)
			}
		} else {
			_, err = d.Chat(context.Background(), req(), p, &served)
		}
		if err != nil || served.Deployment != "b" || len(passed) != 1 || passed[0] != "a" {
			t.Errorf("stream %v: err %v, served %+v, refusals passed over %v", stream, err, served, passed)
		}
		waitIdle(t, a, b)
	}
	// The other member failing too, the refusal is the answer.
	a, b := newFake("a", script{err: contentFilter400()}), newFake("b", script{err: err500})
	p := planOf(time.Second, a, b)
	p.HedgeAfter, p.RefusalFallback = time.Hour, true
	_, err := New(Options{}).Stream(context.Background(), req(), p, &llm.Served{})
	if e := llm.AsError(err); e.Code != llm.CodeContentFilter || e.HTTPStatus() != 400 {
		t.Errorf("a refused, b failed: err %v", err)
	}
}
