package dispatch

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

// trail renders a log's attempts compactly: deployment, tier, outcome,
// error kind, and h / r for hedges and resumed calls.
func trail(as []Attempt) string {
	var parts []string
	for _, a := range as {
		s := fmt.Sprintf("%s%d:%s", a.Deployment, a.Tier, a.Outcome)
		if a.ErrorKind != "" {
			s += "/" + string(a.ErrorKind)
		}
		if a.Hedge {
			s += ":h"
		}
		if a.Resumed {
			s += ":r"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// logged attaches a fresh log to p.
func logged(p *Plan) *Attempts {
	p.Attempts = &Attempts{}
	return p.Attempts
}

// Each upstream call is one entry, retries of one target included, in
// the order they started, with how it ended; a call with a first token
// has a TTFT, and the served one Attempt's index.
func TestAttemptsLogEveryCall(t *testing.T) {
	tests := []struct {
		name   string
		fakes  []*fake
		opts   Options
		chat   bool
		want   string
		served int // index of the attempt the stream serves
	}{
		{"first answers", []*fake{newFake("a", script{})}, Options{}, false, "a1:ok", 0},
		{"retry of the same target", []*fake{newFake("a", script{err: errRate}, script{})}, Options{}, false,
			"a1:error/rate_limit a1:ok", 1},
		{"failover", []*fake{newFake("a", script{err: err500}), newFake("b", script{})}, Options{MaxRetries: -1}, false,
			"a1:error/upstream b2:ok", 1},
		{"client error stops", []*fake{newFake("a", script{err: err400}), newFake("b", script{})}, Options{}, false,
			"a1:error/invalid_request", -1},
		{"cut mid-stream", []*fake{newFake("a", script{cutAfter: 2}), newFake("b", script{})}, Options{}, false,
			"a1:cut/upstream", 0},
		{"chat abandons a cut stream", []*fake{newFake("a", script{cutAfter: 2}), newFake("b", script{})}, Options{}, true,
			"a1:cut/upstream b2:ok", 1},
		{"stall is a cut timeout", []*fake{newFake("a", script{stall: time.Hour})}, Options{StallTimeout: 10 * time.Millisecond}, false,
			"a1:cut/timeout", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planOf(time.Second, tt.fakes...)
			log := logged(p)
			d := New(tt.opts)
			if tt.chat {
				d.Chat(context.Background(), req(), p, &llm.Served{})
			} else if s, err := d.Stream(context.Background(), req(), p, &llm.Served{}); err == nil {
				drain(s)
			}
			served := log.Served()
			got := log.Seal(time.Now())
			if trail(got) != tt.want {
				t.Errorf("trail %q, want %q", trail(got), tt.want)
			}
			if served != tt.served {
				t.Errorf("the stream serves attempt %d, want %d", served, tt.served)
			}
			for i, a := range got {
				hadToken := a.Outcome == OutcomeOK || a.Outcome == OutcomeCut
				if hadToken != (a.TTFT > 0) || a.Latency < a.TTFT || a.Start.IsZero() || (i > 0 && a.Start.Before(got[i-1].Start)) {
					t.Errorf("attempt %d: %+v", i, a)
				}
			}
			waitIdle(t, tt.fakes...)
		})
	}
}

// Times come from the dispatcher's clock: a tier timeout is a timeout of
// exactly the tier's length, with no first token.
func TestAttemptsTimeoutOnTheClock(t *testing.T) {
	clk := newClock()
	a, b := newFake("a", script{delay: time.Hour}), newFake("b", script{})
	p := planOf(100*time.Millisecond, a, b)
	log := logged(p)
	done := streamAsync(New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc}), context.Background(), p, &llm.Served{})
	clk.WaitTimers(t, 1)
	clk.Advance(100 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := log.Seal(clk.Now())
	if trail(got) != "a1:timeout/timeout b2:ok" || got[0].Latency != 100*time.Millisecond || got[0].TTFT != 0 ||
		!got[1].Start.Equal(got[0].Start.Add(100*time.Millisecond)) {
		t.Errorf("trail %q: %+v", trail(got), got)
	}
	waitIdle(t, a, b)
}

// A hedge started while the primary still waits is flagged; when it wins,
// the primary is logged canceled at once (its goroutine reporting later
// changes nothing); a second call started only after the first failed is
// no hedge.
func TestAttemptsHedge(t *testing.T) {
	t.Run("hedge wins", func(t *testing.T) {
		clk := newClock()
		a, b := newFake("a", script{delay: time.Hour}), newFake("b", script{})
		p := planOf(0, a, b)
		p.HedgeAfter = 50 * time.Millisecond
		log := logged(p)
		var served llm.Served
		d := New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc})
		s, err := func() (*Stream, error) {
			type res struct {
				s   *Stream
				err error
			}
			ch := make(chan res, 1)
			go func() { s, err := d.Stream(context.Background(), req(), p, &served); ch <- res{s, err} }()
			clk.WaitTimers(t, 1)
			clk.Advance(50 * time.Millisecond)
			r := <-ch
			return r.s, r.err
		}()
		if err != nil {
			t.Fatal(err)
		}
		if log.Served() != 1 {
			t.Errorf("the stream serves attempt %d, want 1 (the hedge)", log.Served())
		}
		drain(s)
		waitIdle(t, a, b)
		got := log.Seal(clk.Now())
		if trail(got) != "a1:canceled/canceled b2:ok:h" || got[0].Latency != 50*time.Millisecond {
			t.Errorf("trail %q: %+v", trail(got), got)
		}
	})
	t.Run("after a failure no hedge", func(t *testing.T) {
		a, b := newFake("a", script{err: err500}), newFake("b", script{})
		p := planOf(0, a, b)
		p.HedgeAfter = time.Hour
		log := logged(p)
		s, err := New(Options{}).Stream(context.Background(), req(), p, &llm.Served{})
		if err != nil {
			t.Fatal(err)
		}
		drain(s)
		if got := trail(log.Seal(time.Now())); got != "a1:error/upstream b2:ok" {
			t.Errorf("trail %q", got)
		}
	})
}

// A hedge loser whose first chunk is already in hand when the winner is
// chosen is closed, logged canceled with its time to first token, and
// told to OnAbandon with what it produced, so it can be billed.
func TestAttemptsHedgeLoserWithATokenIsAbandoned(t *testing.T) {
	a, b := newFake("a", script{}), newFake("b", script{})
	p := planOf(0, a, b)
	log := logged(p)
	var abandoned []string
	p.OnAbandon = func(i int, dep *llm.Deployment, partial *llm.Response, err error) {
		abandoned = append(abandoned, fmt.Sprintf("%d:%s:%s:%s", i, dep.Name, partial.Choices[0].Message.Text(), llm.AsError(err).Kind))
	}
	d := New(Options{})
	steps := d.flatten(p)
	calls := map[*Target]hedgeCall{}
	results := make(chan hedgeResult, 2)
	var streams []*Stream
	for i, st := range steps {
		sl := d.begin(p, st, i > 0, false)
		s, err := d.attempt(context.Background(), req(), p, st.t, 0, false, sl)
		if err != nil {
			t.Fatal(err)
		}
		calls[st.t] = hedgeCall{cancel: func() {}, slot: sl}
		streams = append(streams, s)
	}
	results <- hedgeResult{s: streams[1], step: steps[1]}
	d.abandon(p, calls, steps[0].t, results, 1)
	if len(abandoned) != 1 || abandoned[0] != "1:b:x:canceled" {
		t.Errorf("abandoned %v", abandoned)
	}
	drain(streams[0])
	got := log.Seal(time.Now())
	if trail(got) != "a1:ok b2:canceled/canceled:h" || got[1].TTFT <= 0 {
		t.Errorf("trail %q: %+v", trail(got), got)
	}
	waitIdle(t, a, b)
}

// A hedge loser abandoned after its upstream reported its usage on the
// way (the prompt's side, as Anthropic's message_start does) hands that
// report to OnAbandon with what it produced: it is billed the upstream's
// numbers, not only an estimate.
func TestAttemptsHedgeLoserUsageSoFar(t *testing.T) {
	report := llm.Usage{PromptTokens: 700, CachedPromptTokens: 600, TotalTokens: 700}
	a, b := newFake("a", script{}), newFake("b", script{soFar: &report})
	p := planOf(0, a, b)
	var got *llm.Usage
	p.OnAbandon = func(_ int, _ *llm.Deployment, partial *llm.Response, _ error) { got = partial.UsageSoFar }
	d := New(Options{})
	steps := d.flatten(p)
	calls := map[*Target]hedgeCall{}
	results := make(chan hedgeResult, 2)
	var streams []*Stream
	for i, st := range steps {
		sl := d.begin(p, st, i > 0, false)
		s, err := d.attempt(context.Background(), req(), p, st.t, 0, false, sl)
		if err != nil {
			t.Fatal(err)
		}
		calls[st.t] = hedgeCall{cancel: func() {}, slot: sl}
		streams = append(streams, s)
	}
	results <- hedgeResult{s: streams[1], step: steps[1]}
	d.abandon(p, calls, steps[0].t, results, 1)
	if got == nil || *got != report {
		t.Errorf("the loser's report %+v, want %+v", got, report)
	}
	drain(streams[0])
	waitIdle(t, a, b)
}

// A stream the caller closes before its end is canceled; a call still
// running when the log is sealed is canceled then, and reports after the
// seal are ignored.
func TestAttemptsCanceledAndSealed(t *testing.T) {
	a := newFake("a", script{chunks: 5})
	p := planOf(time.Second, a)
	log := logged(p)
	s, err := New(Options{}).Stream(context.Background(), req(), p, &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	s.Next()
	s.Close()
	if got := trail(log.Seal(time.Now())); got != "a1:canceled/canceled" {
		t.Errorf("trail %q", got)
	}

	var l Attempts
	start := time.Unix(100, 0)
	i := l.begin(Attempt{Deployment: "x", Tier: 1, Start: start})
	got := l.Seal(start.Add(time.Second))
	l.end(i, OutcomeOK, "", time.Millisecond, start.Add(2*time.Second))
	if l.begin(Attempt{Deployment: "y"}) != -1 {
		t.Error("a sealed log took a new attempt")
	}
	if trail(got) != "x1:canceled/canceled" || got[0].Latency != time.Second || trail(l.Seal(start)) != "x1:canceled/canceled" {
		t.Errorf("sealed %+v, then %+v", got, l.Seal(start))
	}
	var none *Attempts
	if none.Seal(start) != nil || none.begin(Attempt{}) != -1 || none.Served() != -1 {
		t.Error("a nil log is not a no-op")
	}
	waitIdle(t, a)
}

// A resumed stream logs its continuation as resumed, and its resumption
// names both calls' indices.
func TestAttemptsResumed(t *testing.T) {
	p := resumePlan(&writer{name: "a", answer: fullAnswer, cutAfter: 4}, &writer{name: "b", answer: fullAnswer, style: llm.ContinueAnthropic})
	log := logged(p)
	s, err := New(Options{}).Stream(context.Background(), req(), p, &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := readAll(t, s); err != nil {
		t.Fatal(err)
	}
	r := s.Resumption()
	if got := trail(log.Seal(time.Now())); got != "a1:cut/upstream b2:ok:r" || r == nil || r.FromAttempt != 0 || r.ToAttempt != 1 || log.Served() != 0 {
		t.Errorf("trail %q, resumption %+v, served %d", got, r, log.Served())
	}
}
