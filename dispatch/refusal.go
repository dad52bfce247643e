package dispatch

import (
	"errors"
	"time"

	"switchyard/llm"
)

// A refusal is a deployment declining to answer on its provider's content
// policy: a 400 with code content_filter (Azure's prompt filter), or an
// answer that ends with finish_reason content_filter (Claude's stop_reason
// refusal, Gemini's blocked prompt or safety stop) or holds OpenAI's
// message.refusal. With Plan.RefusalFallback, a refusal that reached the
// client in no part — any refused complete answer, a stream refused before
// its first content — is passed over for the plan's next candidates, as
// Anthropic advises ("retry refused requests on a fallback model"); the
// last refusal kept is the answer when no candidate answers otherwise.

// OutcomeRefused: the upstream answered with a refusal, which was passed
// over for the next candidate (Plan.RefusalFallback).
const OutcomeRefused Outcome = "refused"

// errRefusalPassedOver is what Plan.OnAbandon is told of a refused answer
// given up for the next candidate.
var errRefusalPassedOver = errors.New("dispatch: the deployment refused; the next candidate was tried")

// keptRefusal is the refusal a run keeps while it tries the next
// candidates: a complete answer (Chat) or a stream refused at its start,
// still open, whose read-ahead chunks replay it (Stream).
type keptRefusal struct {
	resp   *llm.Response
	stream *Stream
	dep    *llm.Deployment
	slot   slot
	served llm.Served
}

// contentFilterError reports whether err is a content-policy rejection.
func contentFilterError(err error) bool {
	var e *llm.Error
	return errors.As(err, &e) && e.Code == llm.CodeContentFilter
}

// refusedAnswer reports whether every choice of resp is a refusal.
func refusedAnswer(resp *llm.Response) bool {
	if resp == nil || len(resp.Choices) == 0 {
		return false
	}
	for i := range resp.Choices {
		ch := &resp.Choices[i]
		if ch.FinishReason != llm.FinishContentFilter && ch.Message.Refusal() == "" {
			return false
		}
	}
	return true
}

// refusedAtStart reports whether a stream's read-ahead chunks (up to and
// including its first token) are a refusal with no content before it:
// a content_filter finish or refusal text, and no answer text, tool call
// or thinking.
func refusedAtStart(pending []*llm.Chunk) bool {
	refused := false
	for _, c := range pending {
		for i := range c.Choices {
			ch := &c.Choices[i]
			d := &ch.Delta
			if d.Content != "" || len(d.ToolCalls) > 0 || d.Thinking != nil {
				return false
			}
			if d.Refusal != "" || ch.FinishReason == llm.FinishContentFilter {
				refused = true
			}
		}
	}
	return refused
}

// keepAnswer keeps resp, the refused complete answer of call sl, to answer
// with should no later candidate answer; an earlier kept refusal is given
// up (and billed through Plan.OnAbandon).
func (r *run) keepAnswer(resp *llm.Response, s *Stream) {
	r.keep(keptRefusal{resp: resp, dep: s.Deployment(), slot: s.slot, served: *r.served})
}

// keepStream keeps s, a stream refused at its start, open.
func (r *run) keepStream(s *Stream) {
	r.keep(keptRefusal{stream: s, dep: s.Deployment(), slot: s.slot, served: *r.served})
}

func (r *run) keep(k keptRefusal) {
	r.dropKept()
	var ttft time.Duration
	if k.stream != nil {
		ttft = k.stream.ttft
	}
	k.slot.log.refuse(k.slot.i, ttft, r.d.opts.Now())
	r.kept = &k
}

// dropKept gives up the kept refusal, if any, for another answer: its
// stream is closed, and Plan.OnAbandon is told what it produced.
func (r *run) dropKept() {
	k := r.kept
	if k == nil {
		return
	}
	r.kept = nil
	resp := k.resp
	if k.stream != nil {
		var acc llm.Accumulator
		for _, c := range k.stream.pending {
			acc.Add(c)
		}
		resp = acc.Response()
		k.stream.Close()
	}
	if r.plan.OnAbandon != nil {
		r.plan.OnAbandon(k.slot.i, k.dep, resp, errRefusalPassedOver)
	}
	if f := r.plan.OnRefusalPassed; f != nil {
		f(k.dep, resp)
	}
}

// useKept makes the kept refusal the request's answer: served says it
// again (with every attempt counted), and the log names its call.
func (r *run) useKept() *keptRefusal {
	k := r.kept
	r.kept = nil
	attempts := r.attempts
	*r.served = k.served
	r.served.Attempts = attempts
	r.plan.Attempts.serve(k.slot.i)
	return k
}
