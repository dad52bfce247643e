package dispatch

import (
	"context"
	"errors"
	"sync"
	"time"

	"switchyard/llm"
)

// Outcome is how one upstream call ended, in the request log's words
// (store.Outcome*).
type Outcome string

// The outcomes of an Attempt.
const (
	// OutcomeOK: the upstream streamed its answer to the end.
	OutcomeOK Outcome = "ok"
	// OutcomeError: it failed before its first token.
	OutcomeError Outcome = "error"
	// OutcomeTimeout: no first token within its timeout or the deadline.
	OutcomeTimeout Outcome = "timeout"
	// OutcomeCanceled: abandoned while it ran: a hedge won, the client
	// left, or the request ended first.
	OutcomeCanceled Outcome = "canceled"
	// OutcomeCut: it failed after its first token (cut, stalled,
	// malformed, or a regenerated answer that differed).
	OutcomeCut Outcome = "cut"
)

// Attempt is one upstream call of a request.
type Attempt struct {
	Deployment string
	// Tier is the deployment's 1-based plan tier.
	Tier int
	// Outcome is how the call ended; empty while it runs. ErrorKind is set
	// unless it is OutcomeOK (llm.KindCanceled for OutcomeCanceled).
	Outcome   Outcome
	ErrorKind llm.ErrorKind
	// ErrorCode is the upstream's error code when the call failed with
	// one (llm.Error.Code: resource_unavailable, context_length_exceeded,
	// …), which says why more precisely than the kind.
	ErrorCode string
	// Start is when the call began, on the dispatcher's clock; TTFT the
	// time to its first token (zero when none came); Latency its duration.
	Start   time.Time
	TTFT    time.Duration
	Latency time.Duration
	// Hedge reports a call started while an earlier one of its hedged pair
	// was still running; Resumed a call that continued a stream broken on
	// an earlier one.
	Hedge, Resumed bool
}

// Attempts is the log of one request's upstream calls, in the order they
// started. Give a Plan one to have it filled (Plan.Attempts). It is safe
// for concurrent use: hedged calls report from their own goroutines. The
// zero value is ready to use.
type Attempts struct {
	mu     sync.Mutex
	list   []Attempt
	inline [2]Attempt // list's first backing array: most requests make one or two calls
	sealed bool
	served int // 1 + the index of the call whose stream was handed out last
}

// Served returns the index of the call whose stream the plan handed out
// last: the one whose answer Chat returned, or the first call of the
// stream Stream returned (its Resumption names any continuation); -1
// when none was.
func (l *Attempts) Served() int {
	if l == nil {
		return -1
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.served - 1
}

// serve notes call i as the one handed out.
func (l *Attempts) serve(i int) {
	if l == nil || i < 0 {
		return
	}
	l.mu.Lock()
	l.served = i + 1
	l.mu.Unlock()
}

// Seal ends the log and returns its attempts in the order they started.
// A call still running is ended as canceled at now (the request is over
// for it); reports arriving later are ignored, so the slice, which is the
// log's own, never changes again. A nil *Attempts returns nil.
func (l *Attempts) Seal(now time.Time) []Attempt {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sealed = true
	for i := range l.list {
		if a := &l.list[i]; a.Outcome == "" {
			a.Outcome, a.ErrorKind, a.Latency = OutcomeCanceled, llm.KindCanceled, now.Sub(a.Start)
		}
	}
	if len(l.list) == 0 {
		return nil
	}
	return l.list
}

// begin appends a as a running call and returns its index (-1 when the
// log is nil or sealed).
func (l *Attempts) begin(a Attempt) int {
	if l == nil {
		return -1
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sealed {
		return -1
	}
	if l.list == nil {
		l.list = l.inline[:0]
	}
	l.list = append(l.list, a)
	return len(l.list) - 1
}

// end ends call i unless it has ended already (the first report wins).
func (l *Attempts) end(i int, o Outcome, kind llm.ErrorKind, ttft time.Duration, at time.Time) {
	if l == nil || i < 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sealed || i >= len(l.list) || l.list[i].Outcome != "" {
		return
	}
	a := &l.list[i]
	a.Outcome, a.ErrorKind, a.TTFT, a.Latency = o, kind, ttft, at.Sub(a.Start)
}

// refuse marks call i, which answered (or is answering) with a refusal
// passed over for the next candidate, as refused: it ends a running call
// (its stream, kept open, ends later) and replaces the ok of a complete
// one; later reports are ignored.
func (l *Attempts) refuse(i int, ttft time.Duration, at time.Time) {
	if l == nil || i < 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sealed || i >= len(l.list) {
		return
	}
	switch a := &l.list[i]; a.Outcome {
	case "":
		a.Outcome, a.TTFT, a.Latency = OutcomeRefused, ttft, at.Sub(a.Start)
	case OutcomeOK:
		a.Outcome = OutcomeRefused
	}
}

// slot is one call's entry in its request's log: i is its index (-1 when
// the request keeps no log) and start when it began.
type slot struct {
	log   *Attempts
	i     int
	start time.Time
}

// begin starts the log entry of a call at st, now; hedge and resumed
// say what kind of call it is.
func (d *Dispatcher) begin(plan *Plan, st step, hedge, resumed bool) slot {
	now := d.opts.Now()
	i := plan.Attempts.begin(Attempt{Deployment: st.t.Deployment.Name, Tier: st.tier, Start: now, Hedge: hedge, Resumed: resumed})
	return slot{log: plan.Attempts, i: i, start: now}
}

// failed ends a call that failed before its first token with err; ctx is
// the request's (or the hedged call's) context.
func (s slot) failed(ctx context.Context, err error, at time.Time) {
	if s.i < 0 {
		return
	}
	o, kind := FailureOutcome(ctx, err)
	s.log.end(s.i, o, kind, 0, at)
	if o == OutcomeError {
		s.log.setCode(s.i, llm.AsError(err).Code)
	}
}

// setCode sets the error code of call i, which has just failed (or been
// cut: Abandon).
func (l *Attempts) setCode(i int, code string) {
	if l == nil || i < 0 || code == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sealed || i >= len(l.list) {
		return
	}
	if a := &l.list[i]; (a.Outcome == OutcomeError || a.Outcome == OutcomeCut) && a.ErrorCode == "" {
		a.ErrorCode = code
	}
}

// FailureOutcome returns the outcome and error kind of a call that failed
// with err before its first token, under ctx (the call's context): canceled
// when ctx was canceled or err is a cancellation, timeout when ctx's
// deadline passed or err is a timeout, else error with err's kind.
func FailureOutcome(ctx context.Context, err error) (Outcome, llm.ErrorKind) {
	kind := llm.AsError(err).Kind
	switch {
	case errors.Is(ctx.Err(), context.Canceled) || kind == llm.KindCanceled:
		return OutcomeCanceled, llm.KindCanceled
	case ctx.Err() != nil || kind == llm.KindTimeout:
		return OutcomeTimeout, llm.KindTimeout // the deadline passed, whatever the upstream said then
	}
	return OutcomeError, kind
}

// broke ends a call whose stream failed with err after its first token:
// cut, or canceled when the failure is a cancellation.
func (s slot) broke(err error, ttft time.Duration, at time.Time) {
	kind := llm.AsError(err).Kind
	o := OutcomeCut
	if kind == llm.KindCanceled {
		o = OutcomeCanceled
	}
	s.log.end(s.i, o, kind, ttft, at)
}

// Abandon records that s's reader is closing it before its end for a
// reason of its own (the router's limit on an answer passed): its call is
// logged cut (it failed after its first token) with reason's kind and
// code (answer_too_large), not as abandoned by a client that left. The deployment's health is not told:
// it answered; the router refused the answer's size. A no-op once s
// ended or failed. Close must still be called.
func (s *Stream) Abandon(reason error) {
	if s.slot.i < 0 || s.ended || s.err != nil {
		return
	}
	e := llm.AsError(reason)
	s.slot.log.end(s.slot.i, OutcomeCut, e.Kind, s.ttft, s.d.opts.Now())
	s.slot.log.setCode(s.slot.i, e.Code)
}
