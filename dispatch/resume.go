package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"strings"
	"sync"

	"switchyard/cost"
	"switchyard/llm"
)

// Resume modes, as Resumption.Mode reports them.
const (
	// ResumePrefill: the next deployment was sent the request plus the
	// partial answer as an assistant prefill and continued it.
	ResumePrefill = "prefill"
	// ResumeRegenerate: the next deployment answered from the start and
	// its answer began with exactly what the client had received.
	ResumeRegenerate = "regenerate"
)

// Resumption says where and how a broken stream was continued.
type Resumption struct {
	// From is the deployment whose stream broke after its first token;
	// To is the one that continued it.
	From, To string
	// Offset is how many bytes of content the client had received from
	// the stream when it broke (across earlier resumptions, if any).
	Offset int
	// Mode is ResumePrefill or ResumeRegenerate.
	Mode string
	// Cause is the original failure.
	Cause error
	// FromUsage estimates what the broken attempts used (their upstreams
	// never reported their final usage): what the broken one reported on
	// the way (cost.SoFar), else the plan's prompt size, and the text
	// relayed, counted with the o200k_base tokenizer (package cost). It is
	// part of the usage the stream reports.
	FromUsage llm.Usage
	// FromAttempt and ToAttempt are the indices in Plan.Attempts of the
	// calls From and To (-1 when the plan keeps no log).
	FromAttempt, ToAttempt int
}

// resumer continues a Stream that breaks after its first token on the
// plan's next candidates; see resumable.
type resumer struct {
	d      *Dispatcher
	ctx    context.Context
	req    *llm.Request
	plan   *Plan
	steps  []step // candidates still to try
	served *llm.Served
	first  *Stream

	mu     sync.Mutex // guards cur and closed against Close from another goroutine
	cur    *Stream    // the continuation, once resumed
	closed bool
	mode   string
	regen  string // regenerate mode: the continuation's text held back
	// regenDone reports the regenerated text matched; mismatch that it
	// did not (the continuation is dropped).
	regenDone, mismatch bool
	skip                string // prefill mode: trailing whitespace the prefill dropped
	text                strings.Builder
	// thought is the reasoning relayed before any text (resume_think.go);
	// inBlock reports a continuation of a prefill inside the <think>
	// block, whose first reasoning the skip applies to.
	thought strings.Builder
	inBlock bool
	id      string
	model   string
	fp      string
	made    int64
	// blocked reports content a continuation cannot follow: a tool call,
	// a refusal, a second choice or a finish, or more text than
	// Options.ResumeBytes (text is then no longer kept).
	blocked bool
	cause   error
	// sofar is the usage the attempt now relayed reported on the way
	// (llm.Chunk.UsageSoFar), nil for none: billed with its text when it
	// breaks.
	sofar *llm.Usage
	info  *Resumption
	prev  *Resumption // info before the current continuation started
	// passed are the continuations refused at their start
	// (resume_refused.go).
	passed []PassedOver
}

// resumable arms s to be continued on rest when it breaks, if the plan
// allows it. A request for several choices or for logprobs is never
// resumed: the token log probabilities of a continuation would not line up
// with the text the client already has.
func (d *Dispatcher) resumable(ctx context.Context, req *llm.Request, plan *Plan, s *Stream, rest []step, served *llm.Served) {
	if !plan.Resume || len(rest) == 0 || (req.N != nil && *req.N > 1) || req.Logprobs {
		return
	}
	s.resume = &resumer{d: d, ctx: ctx, req: req, plan: plan, steps: rest, served: served, first: s}
}

// Resumption reports where the stream was continued after it broke, or
// nil if it was not.
func (s *Stream) Resumption() *Resumption {
	if s.resume == nil || s.resume.info == nil {
		return nil
	}
	r := *s.resume.info
	return &r
}

// next is Stream.Next for a resumable stream.
func (r *resumer) next() (*llm.Chunk, error) {
	for {
		src := r.current()
		if src == nil {
			src = r.first
		}
		var c *llm.Chunk
		var err error
		if src == r.first {
			c, err = src.relay()
		} else {
			c, err = src.Next()
		}
		if err == io.EOF {
			return nil, err
		}
		if err != nil {
			if !r.resume(err) {
				return nil, r.cause
			}
			continue
		}
		if c.UsageSoFar != nil {
			u := *c.UsageSoFar
			r.sofar = &u
		}
		if src != r.first {
			if refusing(c) {
				if !r.refused(src) {
					return nil, r.cause
				}
				continue
			}
			var keep bool
			c, keep = r.adapt(c)
			if r.mismatch {
				// The regenerated answer is dropped: to the log, a call
				// that failed after its first token.
				src.slot.log.end(src.slot.i, OutcomeCut, llm.KindUpstream, src.ttft, r.d.opts.Now())
				if !r.resume(errResumeMismatch) {
					return nil, r.cause
				}
				continue
			}
			if !keep {
				continue
			}
		}
		r.observe(c)
		return c, nil
	}
}

// observe notes what the client receives.
func (r *resumer) observe(c *llm.Chunk) {
	if r.id == "" {
		r.id, r.model, r.made, r.fp = c.ID, c.Model, c.Created, c.SystemFingerprint
	}
	for i := range c.Choices {
		ch := &c.Choices[i]
		if ch.Index != 0 || len(ch.Delta.ToolCalls) > 0 || ch.Delta.Refusal != "" || ch.FinishReason != "" {
			r.blocked = true
		}
		if r.blocked {
			continue // nothing can continue it: no need to keep its text
		}
		if r.observeThought(ch); r.blocked {
			continue
		}
		if r.text.Len()+len(ch.Delta.Content) > r.d.opts.ResumeBytes {
			r.blocked, r.text = true, strings.Builder{} // too long to keep for a prefill
			continue
		}
		r.text.WriteString(ch.Delta.Content)
	}
}

// resume tries the remaining candidates after err broke the stream; it
// reports whether one now continues it. The first failure stays the
// cause reported when nothing can continue.
func (r *resumer) resume(err error) bool {
	if r.cause == nil {
		r.cause = err
	}
	if r.current() != nil && r.mode == ResumeRegenerate && !r.regenDone {
		r.info = r.prev // a regeneration never relayed: no resumption
	}
	if !r.setCur(nil) || r.blocked || r.text.Len() == 0 && r.thought.Len() == 0 || r.ctx.Err() != nil || llm.AsError(err).Kind == llm.KindCanceled {
		return false
	}
	for len(r.steps) > 0 {
		st := r.steps[0]
		r.steps = r.steps[1:]
		mode, creq := r.request(st.t)
		if creq == nil {
			continue
		}
		attempts := r.served.Attempts
		s, _ := r.d.tryTarget(r.ctx, creq, r.plan, st, r.served, &attempts, true)
		if s == nil {
			if r.ctx.Err() != nil {
				return false
			}
			continue // it rejected the prefill, failed or timed out: the next one
		}
		if refusedAtStart(s.pending) {
			r.passOver(s)
			continue
		}
		return r.start(s, st.t, mode)
	}
	return false
}

// start makes s the continuation and records the resumption; false
// means the stream was closed meanwhile.
func (r *resumer) start(s *Stream, t *Target, mode string) bool {
	from, fromAttempt := r.first.target.Deployment.Name, r.first.slot.i
	if r.info != nil {
		from, fromAttempt = r.info.To, r.info.ToAttempt
	}
	if !r.setCur(s) {
		return false
	}
	r.mode, r.regen, r.regenDone, r.mismatch = mode, "", false, false
	sent := r.text.String()
	r.inBlock = sent == ""
	relayed := sent
	if r.inBlock {
		relayed = r.thought.String()
	}
	r.skip = ""
	if mode == ResumePrefill {
		r.skip = relayed[len(strings.TrimRight(relayed, " \t\r\n")):]
	}
	usage := cost.SoFar(r.sofar, r.plan.PromptTokens, cost.SampleTokens(relayed, len(relayed)))
	r.sofar = nil
	r.prev = r.info
	r.info = &Resumption{From: from, To: t.Deployment.Name, Offset: len(sent), Mode: mode, Cause: r.cause, FromUsage: usage,
		FromAttempt: fromAttempt, ToAttempt: s.slot.i}
	return true
}

// current returns the continuation, or nil before any.
func (r *resumer) current() *Stream {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur
}

// request builds the continuation request for t: the partial answer as a
// prefill when t can continue one, the original request to regenerate
// when the caller asked for deterministic output (temperature 0), else
// nil. A stream cut inside a <think> block continues by prefill alone
// (thinkPrefill).
func (r *resumer) request(t *Target) (string, *llm.Request) {
	style := t.Deployment.Continuation
	text := strings.TrimRight(r.text.String(), " \t\r\n")
	if r.text.Len() == 0 {
		if text = r.thinkPrefill(t); text == "" {
			return "", nil
		}
	} else if style == llm.ContinueNone {
		if r.req.Temperature != nil && *r.req.Temperature == 0 {
			return ResumeRegenerate, r.req
		}
		return "", nil
	}
	c := *r.req
	prefill := llm.TextMessage(llm.RoleAssistant, text)
	c.Messages = append(append(make([]llm.Message, 0, len(r.req.Messages)+1), r.req.Messages...), prefill)
	switch style {
	case llm.ContinueVLLM:
		c.Extra = maps.Clone(r.req.Extra)
		if c.Extra == nil {
			c.Extra = map[string]json.RawMessage{}
		}
		c.Extra["continue_final_message"] = json.RawMessage("true")
		c.Extra["add_generation_prompt"] = json.RawMessage("false")
	case llm.ContinueDeepSeek:
		c.Messages[len(c.Messages)-1].Prefix = true
	}
	return ResumePrefill, &c
}

// errResumeMismatch ends a regenerated answer that does not begin with
// what the client received.
var errResumeMismatch = errors.New("the regenerated answer differs from what the client received")

// setCur closes the current continuation and makes s the next; it
// reports false (and closes s) when the stream was closed meanwhile.
func (r *resumer) setCur(s *Stream) bool {
	r.mu.Lock()
	old, closed := r.cur, r.closed
	if !closed {
		r.cur = s
	}
	r.mu.Unlock()
	if old != nil {
		old.Close()
	}
	if closed && s != nil {
		s.Close()
	}
	return !closed
}

// close closes the continuation, if any, for Stream.Close.
func (r *resumer) close() {
	r.mu.Lock()
	cur := r.cur
	r.cur, r.closed = nil, true
	r.mu.Unlock()
	if cur != nil {
		cur.Close()
	}
}

// resumed returns the stream's continuation, or nil.
func (s *Stream) resumed() *Stream {
	if s.resume == nil {
		return nil
	}
	return s.resume.current()
}
