package dispatch

import (
	"context"
	"io"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

func contentFilter400() error {
	return &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeContentFilter, Message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy."}
}

// With RefusalFallback, a complete answer that is a refusal — at its
// start, after some text, or OpenAI's refusal text — is passed over for
// the next candidate, billed through OnAbandon, marked refused in the log,
// and does not count against the deployment's health. Without it, the
// refusal is the answer.
func TestChatRefusalFallsBackToTheNextCandidate(t *testing.T) {
	for _, kind := range []string{"start", "mid", "text"} {
		t.Run(kind, func(t *testing.T) {
			tr := health.NewTracker(health.Config{}, nil, health.Options{})
			a, b := newFake("a", script{refuse: kind}), newFake("b", script{chunks: 2})
			p := planOf(time.Second, a, b)
			p.RefusalFallback, p.Attempts = true, new(Attempts)
			var abandoned []string
			p.OnAbandon = func(i int, dep *llm.Deployment, _ *llm.Response, err error) {
				abandoned = append(abandoned, dep.Name)
			}
			var served llm.Served
			resp, err := New(Options{Health: tr}).Chat(context.Background(), req(), p, &served)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Choices[0].Message.Text() != "xx" || served.Deployment != "b" || served.Attempts != 2 {
				t.Errorf("answer %q from %+v, want b's", resp.Choices[0].Message.Text(), served)
			}
			log := p.Attempts.Seal(time.Now())
			if len(log) != 2 || log[0].Outcome != OutcomeRefused || log[1].Outcome != OutcomeOK || p.Attempts.Served() != 1 {
				t.Errorf("log %+v, served index %d", log, p.Attempts.Served())
			}
			if len(abandoned) != 1 || abandoned[0] != "a" {
				t.Errorf("abandoned %v, want a's refusal billed", abandoned)
			}
			for _, h := range tr.Snapshot() {
				if h.Failures != 0 {
					t.Errorf("a refusal counted against %s's health: %+v", h.Deployment, h)
				}
			}
			waitIdle(t, a, b)

			// Off: the refusal is the answer.
			a, b = newFake("a", script{refuse: kind}), newFake("b", script{chunks: 2})
			resp, err = New(Options{}).Chat(context.Background(), req(), planOf(time.Second, a, b), &served)
			if err != nil || served.Deployment != "a" || !refusedAnswer(resp) {
				t.Errorf("without fallback: %v from %s, refused %v", err, served.Deployment, refusedAnswer(resp))
			}
		})
	}
}

// When every candidate refuses, or the others fail, the last refusal is
// the answer (not an error), with every attempt counted.
func TestChatRefusalIsTheAnswerWhenNothingElseAnswers(t *testing.T) {
	fail := &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "boom"}
	a, b, c := newFake("a", script{refuse: "start"}), newFake("b", script{refuse: "mid"}), newFake("c", script{err: fail})
	p := planOf(time.Second, a, b, c)
	p.RefusalFallback, p.Attempts = true, new(Attempts)
	var abandoned []string
	p.OnAbandon = func(_ int, dep *llm.Deployment, _ *llm.Response, _ error) { abandoned = append(abandoned, dep.Name) }
	var served llm.Served
	resp, err := New(Options{MaxRetries: -1}).Chat(context.Background(), req(), p, &served)
	if err != nil {
		t.Fatalf("err = %v, want b's refusal as the answer", err)
	}
	if served.Deployment != "b" || served.Attempts != 3 || resp.Choices[0].Message.Text() != "Hello.." {
		t.Errorf("answer %q served %+v", resp.Choices[0].Message.Text(), served)
	}
	if p.Attempts.Served() != 1 || len(abandoned) != 1 || abandoned[0] != "a" {
		t.Errorf("served index %d, abandoned %v", p.Attempts.Served(), abandoned)
	}
	waitIdle(t, a, b, c)
}

// A content-policy rejection (400 content_filter, Azure's prompt filter)
// stops the plan by default; with RefusalFallback the next candidate
// answers, and when none does, the rejection (not a later 5xx) is the
// error.
func TestContentFilterRejectionFallsBack(t *testing.T) {
	a, b := newFake("a", script{err: contentFilter400()}), newFake("b", script{chunks: 2})
	var served llm.Served
	if _, err := New(Options{}).Chat(context.Background(), req(), planOf(time.Second, a, b), &served); llm.AsError(err).Code != llm.CodeContentFilter {
		t.Fatalf("without fallback: %v, want the rejection", err)
	}
	p := planOf(time.Second, a, b)
	p.RefusalFallback = true
	if _, err := New(Options{}).Chat(context.Background(), req(), p, &served); err != nil || served.Deployment != "b" {
		t.Fatalf("with fallback: %v from %s", err, served.Deployment)
	}
	fail := &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "boom"}
	c := newFake("c", script{err: fail})
	p = planOf(time.Second, newFake("a", script{err: contentFilter400()}), c)
	p.RefusalFallback = true
	_, err := New(Options{MaxRetries: -1}).Stream(context.Background(), req(), p, &served)
	if llm.AsError(err).Code != llm.CodeContentFilter {
		t.Errorf("stream: %v, want the rejection rather than c's failure", err)
	}
}

// A stream refused before its first content is passed over; the refusal
// stream is kept open and replayed when no candidate answers otherwise.
// A stream refused after content reached the client is not.
func TestStreamRefusedAtStart(t *testing.T) {
	a, b := newFake("a", script{refuse: "start"}), newFake("b", script{chunks: 2})
	p := planOf(time.Second, a, b)
	p.RefusalFallback, p.Resume, p.Attempts = true, true, new(Attempts)
	var served llm.Served
	s, err := New(Options{}).Stream(context.Background(), req(), p, &served)
	if err != nil || served.Deployment != "b" {
		t.Fatalf("%v from %s", err, served.Deployment)
	}
	if n, err := drain(s); err != nil || n == 0 {
		t.Errorf("b's stream: %d chunks, %v", n, err)
	}
	s.Close()
	if log := p.Attempts.Seal(time.Now()); log[0].Outcome != OutcomeRefused || log[0].TTFT == 0 {
		t.Errorf("log %+v", log)
	}
	waitIdle(t, a, b)

	fail := &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "boom"}
	a, c := newFake("a", script{refuse: "start"}), newFake("c", script{err: fail})
	p = planOf(time.Second, a, c)
	p.RefusalFallback = true
	s, err = New(Options{MaxRetries: -1}).Stream(context.Background(), req(), p, &served)
	if err != nil || served.Deployment != "a" || served.Attempts != 2 {
		t.Fatalf("%v, served %+v: want a's refusal replayed", err, served)
	}
	var finish llm.FinishReason
	for {
		ch, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(ch.Choices) > 0 && ch.Choices[0].FinishReason != "" {
			finish = ch.Choices[0].FinishReason
		}
	}
	s.Close()
	if finish != llm.FinishContentFilter {
		t.Errorf("finish %q", finish)
	}
	waitIdle(t, a, c)

	a, b = newFake("a", script{refuse: "mid"}), newFake("b", script{chunks: 2})
	p = planOf(time.Second, a, b)
	p.RefusalFallback = true
	s, err = New(Options{}).Stream(context.Background(), req(), p, &served)
	if err != nil || served.Deployment != "a" {
		t.Fatalf("a refusal after content: %v from %s, want a's stream", err, served.Deployment)
	}
	s.Close()
	waitIdle(t, a, b)
}
