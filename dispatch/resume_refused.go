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

// errContinuationRefused breaks a continuation refused on the way.
var errContinuationRefused = errors.New("dispatch: the deployment resuming the stream refused to continue it; the next candidate was tried")

// PassedOver is a continuation refused at its start and given up for the
// next candidate: its index in Plan.Attempts (-1 when the plan keeps no
// log), its deployment and what it produced (its usage when the upstream
// sent it). The upstream may bill it; Stream.PassedOver lists them for
// the caller to (Plan.OnAbandon is not called: a stream that may resume
// would need it set on every request).
type PassedOver struct {
	Attempt    int
	Deployment *llm.Deployment
	Partial    *llm.Response
}

// PassedOver returns the continuations refused at their start, in order;
// call it once the stream has ended or been closed.
func (s *Stream) PassedOver() []PassedOver {
	if s.resume == nil {
		return nil
	}
	return s.resume.passed
}

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
// token a refusal): it is logged as refused, kept in the PassedOver list
// with what it produced, and closed.
func (r *resumer) passOver(s *Stream) {
	s.slot.log.refuse(s.slot.i, s.ttft, r.d.opts.Now())
	var acc llm.Accumulator
	for _, c := range s.pending {
		acc.Add(c)
	}
	r.passed = append(r.passed, PassedOver{Attempt: s.slot.i, Deployment: s.Deployment(), Partial: acc.Response()})
	s.Close()
}

// refused breaks src, the continuation now relayed, which refused after
// content of its own: logged as refused, it is given up for the next
// candidate; false means none continues the stream.
func (r *resumer) refused(src *Stream) bool {
	src.slot.log.refuse(src.slot.i, src.ttft, r.d.opts.Now())
	return r.resume(errContinuationRefused)
}
