package dispatch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

var (
	errOutputCap = &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeModelUnsupported,
		Message: "upstream p returned 400: max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-x"}
	errNoTools = &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeModelUnsupported, Param: "tools",
		Message: "upstream o returned 400: registry.ollama.ai/library/gemma3:4b does not support tools"}
	errNoModel = &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeModelNotFound,
		Message: "upstream d returned 400: Model Not Exist"}
)

// A refusal of what the deployment is (an output limit, a parameter, an
// input it cannot take) moves on to the next candidate at once: no retry
// of the same one, and no mark against its health, which is fine; the
// output limit its refusal states is learned.
func TestModelUnsupportedFailsOverWithoutHealthMark(t *testing.T) {
	for _, stream := range []bool{true, false} {
		tr := health.NewTracker(health.Config{}, nil, health.Options{})
		a, b := newFake("a", script{err: errOutputCap}), newFake("b", script{})
		var log Attempts
		p := planOf(time.Second, a, b)
		p.Attempts = &log
		var served llm.Served
		d := New(Options{Health: tr, MaxRetries: 2})
		if stream {
			s, err := d.Stream(context.Background(), req(), p, &served)
			if err != nil {
				t.Fatal(err)
			}
			drain(s)
		} else if _, err := d.Chat(context.Background(), req(), p, &served); err != nil {
			t.Fatal(err)
		}
		if served.Deployment != "b" || a.Calls() != 1 || b.Calls() != 1 {
			t.Errorf("stream %v: served %+v, calls a=%d b=%d", stream, served, a.Calls(), b.Calls())
		}
		for _, h := range tr.Snapshot() {
			if h.Deployment == "a" && h.Failures != 0 {
				t.Errorf("stream %v: a's refusal counted against its health: %+v", stream, h)
			}
		}
		if l := tr.Status("a").OutputLimit; l.Tokens != 32000 || l.Model != "a" {
			t.Errorf("stream %v: learned %+v, want 32000 for model a", stream, l)
		}
		at := log.Seal(time.Now())
		if len(at) != 2 || at[0].Outcome != OutcomeError || at[0].ErrorCode != llm.CodeModelUnsupported {
			t.Errorf("stream %v: attempts %+v", stream, at)
		}
	}
}

// A deployment whose model does not exist, or that its key cannot use,
// is misconfigured: the request moves on, and the deployment's health
// counts it.
func TestModelNotFoundFailsOverAndMarksHealth(t *testing.T) {
	tr := health.NewTracker(health.Config{FailingAttemptsPerSecond: 1000}, nil, health.Options{})
	a, b := newFake("a", script{err: errNoModel}), newFake("b", script{})
	d := New(Options{Health: tr})
	for range 5 {
		var served llm.Served
		s, err := d.Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
		if err != nil {
			t.Fatal(err)
		}
		drain(s)
		if served.Deployment != "b" {
			t.Fatalf("served %+v", served)
		}
	}
	if st := tr.Status("a"); st.Breaker != health.Open {
		t.Errorf("a, misconfigured, after 5 calls: %+v", st)
	}
}

// When every candidate refused, the caller gets a refusal with its status
// and code, the most informative one: the first that names the field, else
// the first (the plan's preferred candidate's) — not a later failure of
// another kind.
func TestEveryCandidateRefusedAnswersTheMostInformativeRefusal(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fakes []*fake
		want  *llm.Error
	}{
		{"the first refusal", []*fake{newFake("a", script{err: errOutputCap}), newFake("b", script{err: err500})}, errOutputCap},
		{"the one naming the field", []*fake{newFake("a", script{err: errOutputCap}), newFake("b", script{err: errNoTools}), newFake("c", script{err: errOutputCap})}, errNoTools},
		{"a misconfigured one is not it", []*fake{newFake("a", script{err: errNoModel}), newFake("b", script{err: errOutputCap})}, errOutputCap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{MaxRetries: -1}).Stream(context.Background(), req(), planOf(time.Second, tc.fakes...), &llm.Served{})
			var e *llm.Error
			if !errors.As(err, &e) || e.HTTPStatus() != 400 || e.Code != llm.CodeModelUnsupported || e.Param != tc.want.Param {
				t.Fatalf("err = %v", err)
			}
			if !strings.Contains(e.Message, tc.want.Message) || !strings.Contains(e.Message, "no candidate deployment") {
				t.Errorf("message %q", e.Message)
			}
			for _, f := range tc.fakes {
				if f.Calls() != 1 {
					t.Errorf("%s called %d times", f.name, f.Calls())
				}
			}
		})
	}
}

// The caller's own mistakes still stop the plan at once.
func TestCallerMistakeStillStops(t *testing.T) {
	a, b := newFake("a", script{err: err400}), newFake("b", script{})
	_, err := New(Options{}).Stream(context.Background(), req(), planOf(time.Second, a, b), &llm.Served{})
	if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest || b.Calls() != 0 {
		t.Fatalf("err %v, b calls %d", err, b.Calls())
	}
}

// The log names the calls refused for what their deployment is.
func TestAttemptsDeclined(t *testing.T) {
	a, b, c := newFake("a", script{err: errOutputCap}), newFake("b", script{err: errNoModel}), newFake("c", script{})
	var log Attempts
	if got := log.Declined(); got != "" {
		t.Errorf("empty log: %q", got)
	}
	p := planOf(time.Second, a, b, c)
	p.Attempts = &log
	s, err := New(Options{}).Stream(context.Background(), req(), p, &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if got, want := log.Declined(), "a(model_unsupported),b(model_not_found)"; got != want {
		t.Errorf("Declined() = %q, want %q", got, want)
	}
	var none Attempts
	if n := testing.AllocsPerRun(10, func() { none.Declined() }); n != 0 {
		t.Errorf("%v allocations for a log with nothing declined", n)
	}
}
