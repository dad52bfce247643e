package dispatch

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// attempt starts one upstream stream and waits for its first chunk within
// ttft (and the request deadline). On success the returned Stream owns
// the attempt's context; on failure everything is released. sl is the
// call's entry in the request's log (begun by the caller), ended here on
// a failure and by the Stream otherwise.
func (d *Dispatcher) attempt(ctx context.Context, req *llm.Request, plan *Plan, t *Target, ttft time.Duration, probe bool, sl slot) (*Stream, error) {
	start := sl.start
	actx, cancel := context.WithCancel(ctx)
	var timedOut atomic.Bool
	var timer Timer
	if ttft > 0 {
		timer = d.opts.AfterFunc(ttft, func() { timedOut.Store(true); cancel() })
	}
	up := *Upstream(req, &t.Deployment)
	latencyProbe := plan.LatencyProbe == t.Deployment.Name
	inner, viaChat, err := d.open(actx, t, &up)
	var first []*llm.Chunk
	if err == nil {
		first, err = firstToken(inner, t)
		if err != nil {
			inner.Close()
		}
	}
	if timer != nil && !timer.Stop() && err == nil {
		// The timeout fired as the first chunk arrived: the attempt's
		// context is cancelled, so the stream cannot go on.
		inner.Close()
		err = context.DeadlineExceeded
	}
	if err != nil {
		cancel()
		if timedOut.Load() && ctx.Err() == nil {
			err = tierTimeoutError(t, ttft, err)
		}
		if o, ok := outcome(t, err, probe, latencyProbe, d.large(plan)); ok && d.opts.Health != nil {
			d.opts.Health.Record(o)
		} else if d.opts.Health != nil {
			d.opts.Health.Release(t.Deployment.Name, probe)
		}
		sl.failed(ctx, err, d.opts.Now())
		return nil, llm.AsError(err)
	}
	s := &Stream{
		d: d, inner: inner, cancel: cancel, pending: first, target: t, slot: sl,
		start: start, ttft: d.opts.Now().Sub(start), probe: probe, latencyProbe: latencyProbe, large: d.large(plan),
		viaChat: viaChat,
	}
	s.stall = d.opts.AfterFunc(d.opts.StallTimeout, func() { s.stalled.Store(true); cancel() })
	s.stall.Stop() // armed only while relay waits for the upstream
	return s, nil
}

// large reports whether plan's prompt is large enough that a timeout is
// laid to it rather than to the deployment.
func (d *Dispatcher) large(plan *Plan) bool { return plan.PromptTokens >= d.opts.LargePromptTokens }

// firstToken reads up to and including the first chunk that carries
// anything (content, a tool call, a refusal, a finish reason or usage):
// leading role-only chunks say nothing about whether the upstream works,
// so a failure right after them must still fail over.
func firstToken(inner llm.Stream, t *Target) ([]*llm.Chunk, error) {
	var got []*llm.Chunk
	for {
		c, err := inner.Next()
		if err == io.EOF {
			return nil, &llm.Error{Kind: llm.KindUpstream, Retryable: true, Provider: t.Deployment.Provider,
				Message: "upstream " + t.Deployment.Provider + " ended the stream without any content"}
		}
		if err != nil {
			return nil, err
		}
		got = append(got, c)
		if substantive(c) || len(got) >= 8 {
			return got, nil
		}
	}
}

func substantive(c *llm.Chunk) bool {
	if c.Usage != nil || len(c.Choices) == 0 {
		return true
	}
	for i := range c.Choices {
		d := &c.Choices[i].Delta
		if d.Content != "" || d.Refusal != "" || len(d.ToolCalls) > 0 || d.Thinking != nil || c.Choices[i].FinishReason != "" {
			return true
		}
	}
	return false
}

// Stream is a running upstream stream chosen by the plan. Next replays
// the chunks read up to the first token, then relays the rest, ending the
// stream with a timeout error if the upstream sends nothing for
// Options.StallTimeout while Next waits for it (the time the caller
// spends between calls does not count). Close ends the attempt and reports its
// outcome to the health tracker.
type Stream struct {
	d            *Dispatcher
	inner        llm.Stream
	cancel       context.CancelFunc
	cancelParent context.CancelFunc // a hedged attempt's own context, if any
	pending      []*llm.Chunk       // read ahead up to the first token
	target       *Target
	slot         slot // the call's entry in the request's log
	start        time.Time
	ttft         time.Duration
	probe        bool
	latencyProbe bool
	large        bool // the prompt is large: a timeout is its own doing
	// viaChat reports a call sent on Chat Completions because its
	// deployment's host has no /responses route (llm.Served.
	// NoResponsesRoute).
	viaChat bool
	stall   Timer
	stalled atomic.Bool

	resume *resumer // set when a break may be resumed on another candidate

	// choices and finished are bit sets of the choice indices relayed and
	// of those that carried their finish reason; reopened of those that
	// sent more of the answer after it (a host that stamps the finish
	// reason on every chunk), whose finish no longer counts; many is set
	// by an index past 63, whose finish is not tracked. See finishing.
	choices, finished, reopened uint64
	many                        bool

	ended bool  // the upstream ended cleanly
	err   error // the first failure after the first chunk
	once  sync.Once
}

// Deployment returns the deployment that is streaming.
func (s *Stream) Deployment() *llm.Deployment { return &s.target.Deployment }

// TTFT returns the time from the attempt's start to its first chunk.
func (s *Stream) TTFT() time.Duration { return s.ttft }

// Next implements llm.Stream. A stream armed to resume (resume.go)
// continues on the plan's next candidate when it breaks.
func (s *Stream) Next() (*llm.Chunk, error) {
	if s.resume != nil {
		return s.resume.next()
	}
	return s.relay()
}

// relay returns the next chunk of this attempt's upstream.
func (s *Stream) relay() (*llm.Chunk, error) {
	if len(s.pending) > 0 {
		c := s.pending[0]
		s.pending = s.pending[1:]
		s.note(c)
		return c, nil
	}
	if s.ended {
		return nil, io.EOF
	}
	if s.err != nil {
		return nil, s.err
	}
	// The stall timer runs only while the upstream is waited for: the
	// time the client takes to write what it got (a slow reader) is not
	// the upstream's silence; and a chunk already there (events that
	// arrived together in one read) is not waited for, so it does not
	// arm the timer (two timer operations a chunk were a measured share
	// of the router's CPU).
	wait := !llm.Ready(s.inner)
	if wait {
		s.stall.Reset(s.stallTimeout())
	}
	c, err := s.inner.Next()
	if wait {
		s.stall.Stop()
	}
	switch {
	case err == nil:
		s.note(c)
		return c, nil
	case err == io.EOF, s.stalled.Load() && s.finishing():
		// A stall after every choice's finish reason is an upstream that
		// keeps its stream open past the answer's end (no [DONE], no
		// message_stop, no EOF): the answer is whole, so it ends here.
		s.ended = true
		if s.slot.i >= 0 {
			s.slot.log.end(s.slot.i, OutcomeOK, "", s.ttft, s.d.opts.Now())
		}
		return nil, io.EOF
	case s.stalled.Load():
		err = &llm.Error{Kind: llm.KindTimeout, Provider: s.target.Deployment.Provider, Err: err,
			Message: "upstream " + s.target.Deployment.Provider + " stalled: no data for " + s.d.opts.StallTimeout.String()}
	}
	s.err = llm.AsError(err)
	if s.slot.i >= 0 {
		s.slot.broke(s.err, s.ttft, s.d.opts.Now())
	}
	return nil, s.err
}

// FinishGrace bounds how long a stream whose every choice has its finish
// reason waits for the rest (usage, the end marker, the body's end) before
// it ends as complete: some upstreams keep the stream open after the
// answer (maximhq/bifrost#6784, musistudio/claude-code-router#1271).
const FinishGrace = time.Second

// stallTimeout is how long relay waits for the upstream's next chunk:
// Options.StallTimeout, or less once the answer is finishing.
func (s *Stream) stallTimeout() time.Duration {
	if s.finishing() {
		return min(s.d.opts.StallTimeout, FinishGrace)
	}
	return s.d.opts.StallTimeout
}

// note records the choices of c and those it finishes.
func (s *Stream) note(c *llm.Chunk) {
	for i := range c.Choices {
		ch := &c.Choices[i]
		if ch.Index < 0 || ch.Index > 63 {
			s.many = true
			continue
		}
		bit := uint64(1) << ch.Index
		s.choices |= bit
		if s.finished&bit != 0 && answers(&ch.Delta) {
			// More of the answer after its finish reason: this host's
			// finish reasons do not say the choice is over
			// (open-webui#23921: "stop" on the first chunk).
			s.reopened |= bit
		}
		if ch.FinishReason != "" {
			s.finished |= bit
		}
	}
}

// answers reports whether d carries any of the answer.
func answers(d *llm.Delta) bool {
	return d.Content != "" || d.Refusal != "" || len(d.ToolCalls) > 0 || d.Thinking != nil
}

// finishing reports whether every choice relayed has had its finish
// reason, and none of them sent more after it: what follows is at most
// usage and the end of the stream.
func (s *Stream) finishing() bool {
	return s.choices != 0 && s.choices&^(s.finished&^s.reopened) == 0 && !s.many
}

// Ready implements llm.Readier.
func (s *Stream) Ready() bool {
	if cur := s.resumed(); cur != nil {
		return cur.Ready()
	}
	return len(s.pending) > 0 || s.ended || s.err != nil || llm.Ready(s.inner)
}

// Close implements llm.Stream. It reports the attempt's outcome once.
func (s *Stream) Close() error {
	if s.resume != nil {
		s.resume.close()
	}
	err := s.inner.Close()
	s.once.Do(func() {
		s.stall.Stop()
		s.cancel()
		if s.cancelParent != nil {
			s.cancelParent()
		}
		s.logClose()
		s.report()
	})
	return err
}

func (s *Stream) report() {
	h := s.d.opts.Health
	if h == nil {
		return
	}
	dep := s.target.Deployment.Name
	switch {
	case s.ended:
		h.Record(health.Outcome{Deployment: dep, TTFT: s.ttft, Latency: s.d.opts.Now().Sub(s.start), Probe: s.probe, LatencyProbe: s.latencyProbe})
	case s.err != nil:
		if o, ok := outcome(s.target, s.err, s.probe, s.latencyProbe, s.large); ok {
			o.TTFT = s.ttft
			h.Record(o)
			return
		}
		h.Release(dep, s.probe)
	default: // closed early by the caller: the first token still tells of latency
		h.Record(health.Outcome{Deployment: dep, TTFT: s.ttft, Probe: s.probe, LatencyProbe: s.latencyProbe})
	}
}

// logClose ends the call's log entry when the stream is closed before its
// end: the caller abandoned it (a no-op when it had ended).
func (s *Stream) logClose() {
	if s.slot.i >= 0 && !s.ended && s.err == nil {
		s.slot.log.end(s.slot.i, OutcomeCanceled, llm.KindCanceled, s.ttft, s.d.opts.Now())
	}
}

// Upstream is req as sent to the deployment d: a copy naming d's
// upstream model, its base model, structured-output setting, upstream
// API (auto when d's was chosen by its model: the adapter then chooses
// by the model and the request), reasoning_content,
// thought_signatures, reasoning_details, think_tags and reasoning_efforts settings, asking
// US-only inference when d is configured US-resident (its adapter sends
// it where the API takes it), an Anthropic client's effort as the
// reasoning of a deployment with one effort dial (llm.Deployment.EffortDial,
// llm.Request.DialReasoning), without
// reasoning controls (OpenRouter's reasoning object too) when d cannot
// reason (it would refuse them). A
// batch's line sent to a provider batch is prepared so too.
func Upstream(req *llm.Request, d *llm.Deployment) *llm.Request {
	up := *req
	up.Model, up.BaseModel, up.StructuredOutput, up.API = d.Model, d.BaseModel, d.StructuredOutput, d.API
	up.ReasoningContent, up.ThoughtSignatures, up.ReasoningDetails = d.ReasoningContent, d.ThoughtSignatures, d.ReasoningDetails
	up.TextContent, up.StreamOptions, up.ThinkTags = d.TextContent, d.StreamOptions, d.ThinkTags
	up.ReasoningEfforts = d.ReasoningEfforts
	if d.APIByModel {
		// The adapter's rule decides by the model and the request
		// (provider/openai's UsesResponses: ultrafast, hosted tools, a
		// file other than a PDF by its bytes, function tools at an
		// effort Chat Completions refuses).
		up.API = llm.APIAuto
	}
	if d.InferenceGeo == llm.GeoUS {
		up.InferenceGeo = llm.GeoUS
	}
	if d.EffortDial {
		up.Reasoning = up.DialReasoning() // the effort sets the model's one dial
	}
	if !d.Has(llm.CapReasoning) {
		// a model that cannot reason would refuse the controls; OpenRouter
		// ignores its object for one, unless the client's
		// provider.require_parameters finds it no endpoint
		up.Reasoning, up.OpenRouterReasoning = nil, nil
	}
	if up.Completion != nil && d.Has(llm.CapCompletions) {
		native := *up.Completion // a completions-only model is sent the prompt itself
		native.Native = true
		up.Completion = &native
	}
	return &up
}
