package dispatch

import (
	"context"
	"testing"
	"time"

	"switchyard/llm"
)

// fallbackPlan is a route of a and b with f as a client's fallback model
// (an OnRefusal tier sent fr).
func fallbackPlan(a, b, f *fake, fr *llm.Request) (*Plan, *[]string) {
	p := planOf(time.Second, a, b, f)
	p.Tiers[2].OnRefusal, p.Tiers[2].Request = true, fr
	p.Attempts = new(Attempts)
	var passed []string
	p.OnRefusalPassed = func(dep *llm.Deployment, refused *llm.Response) {
		name := dep.Name
		if refused == nil {
			name += "(400)"
		}
		passed = append(passed, name)
	}
	return p, &passed
}

// A refusal on the route's candidate goes straight to the client's
// fallback model (not the route's next candidate, the route not falling
// back itself), which is sent its own request; the refusal passed over
// is told to OnRefusalPassed.
func TestRefusalGoesToTheFallbackTier(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		a, b, f := newFake("a", script{refuse: "start"}), newFake("b", script{chunks: 2}), newFake("f", script{chunks: 2})
		mt := 77
		fr := req()
		fr.MaxTokens = &mt
		p, passed := fallbackPlan(a, b, f, fr)
		var served llm.Served
		if streamed {
			s, err := New(Options{}).Stream(context.Background(), req(), p, &served)
			if err != nil {
				t.Fatal(err)
			}
			drain(s)
		} else if _, err := New(Options{}).Chat(context.Background(), req(), p, &served); err != nil {
			t.Fatal(err)
		}
		if served.Deployment != "f" || b.Calls() != 0 || len(*passed) != 1 || (*passed)[0] != "a" {
			t.Errorf("streamed %v: served %s, b called %d times, passed %v", streamed, served.Deployment, b.Calls(), *passed)
		}
		if got := f.Requests(); len(got) != 1 || got[0].MaxTokens == nil || *got[0].MaxTokens != 77 {
			t.Errorf("streamed %v: f was sent %+v, want its own request", streamed, got)
		}
		if log := p.Attempts.Seal(time.Now()); len(log) != 2 || log[0].Outcome != OutcomeRefused || log[1].Outcome != OutcomeOK {
			t.Errorf("streamed %v: log %+v", streamed, log)
		}
		waitIdle(t, a, b, f)
	}
}

// A failure is not a refusal: the route's next candidate takes it, and
// the fallback model is never called, even when every candidate fails.
func TestFailureSkipsTheFallbackTier(t *testing.T) {
	a, b, f := newFake("a", script{err: err500}), newFake("b", script{chunks: 2}), newFake("f", script{chunks: 2})
	p, passed := fallbackPlan(a, b, f, nil)
	var served llm.Served
	if _, err := New(Options{MaxRetries: -1}).Chat(context.Background(), req(), p, &served); err != nil || served.Deployment != "b" || len(*passed) != 0 {
		t.Fatalf("%v from %s, passed %v", err, served.Deployment, *passed)
	}
	a, b, f = newFake("a", script{err: err500}), newFake("b", script{err: err500}), newFake("f", script{chunks: 2})
	p, passed = fallbackPlan(a, b, f, nil)
	if _, err := New(Options{MaxRetries: -1}).Chat(context.Background(), req(), p, &served); err == nil || f.Calls() != 0 || len(*passed) != 0 {
		t.Errorf("err %v, f called %d times, passed %v: want the failure, no fallback", err, f.Calls(), *passed)
	}
}

// With the route's own refusal fallback, its next candidate comes first;
// a 400 content_filter rejection is passed over like a refused answer;
// when the fallback model refuses too, its refusal is the answer.
func TestRefusalFallbackOrderAndLastRefusal(t *testing.T) {
	a, b, f := newFake("a", script{err: contentFilter400()}), newFake("b", script{refuse: "mid"}), newFake("f", script{refuse: "start"})
	p, passed := fallbackPlan(a, b, f, nil)
	p.RefusalFallback = true
	var served llm.Served
	resp, err := New(Options{}).Chat(context.Background(), req(), p, &served)
	if err != nil || served.Deployment != "f" || !refusedAnswer(resp) {
		t.Fatalf("%v from %s", err, served.Deployment)
	}
	if len(*passed) != 2 || (*passed)[0] != "a(400)" || (*passed)[1] != "b" {
		t.Errorf("passed %v, want a's rejection then b's refusal", *passed)
	}
}
