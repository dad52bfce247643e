package dispatch

import (
	"errors"

	"switchyard/llm"
)

// A continuation that refuses — at its start, as Claude answers a prefill
// it will not continue (stop_reason refusal) or OpenAI with
// finish_reason content_filter or refusal text, or after some text of its
// own — is a failed attempt to resume, not the end of the client's
// answer: relayed, its content_filter finish would tell the client that
// the answer it asked for was filtered, when the original deployment was
// cut and the one that continued it declined. The next candidate
// continues from what the client has; when none is left, the stream ends
// with the original break's error, as any unresumable break does.

// errContinuationRefused is what Plan.OnAbandon is told of a continuation
// refused at its start, and what breaks one refused on the way.
var errContinuationRefused = errors.New("dispatch: the deployment resuming the stream refused to continue it; the next candidate was tried")

// refusing reports whether a continuation's chunk refuses: a
// content_filter finish or refusal text in any choice.
func refusing(c *llm.Chunk) bool {
	for i := range c.Choices {
		if c.Choices[i].FinishReason == llm.FinishContentFilter || c.Choices[i].Delta.Refusal != "" {
			return true
		}
	}
	return false
}

// passOver gives up s, a continuation refused at its start (its first
// token a refusal): it is logged as refused, Plan.OnAbandon is told what
// it produced (the upstream may bill its prompt), and it is closed.
func (r *resumer) passOver(s *Stream) {
	s.slot.log.refuse(s.slot.i, s.ttft, r.d.opts.Now())
	if r.plan.OnAbandon != nil {
		var acc llm.Accumulator
		for _, c := range s.pending {
			acc.Add(c)
		}
		r.plan.OnAbandon(s.slot.i, s.Deployment(), acc.Response(), errContinuationRefused)
	}
	s.Close()
}

// refused breaks src, the continuation now relayed, which refused after
// content of its own: logged as refused, it is given up for the next
// candidate; false means none continues the stream.
func (r *resumer) refused(src *Stream) bool {
	src.slot.log.refuse(src.slot.i, src.ttft, r.d.opts.Now())
	return r.resume(errContinuationRefused)
}
