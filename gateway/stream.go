package gateway

import (
	"context"
	"io"
	"sync"
	"time"

	"switchyard/budget"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/tenant"
	"switchyard/wire/anthropic"
	"switchyard/wire/responses"
)

// servedStream is the stream handed to the inbound API: it tracks usage
// and cost, and records the request once when it ends or is closed.
type servedStream struct {
	inner   *dispatch.Stream
	target  *llm.Deployment
	firstAt time.Time
	cancel  context.CancelFunc // ends the plan's deadline, if any

	g      *Gateway
	cut    *cut // the link to the server's shutdown
	rec    *record.Record
	served *llm.Served
	log    dispatch.Attempts // the plan's upstream calls
	budget budget.Hold       // what the request holds against its budgets, settled by finish
	ticket *tenant.Ticket    // what it holds of its caller's limits, settled by finish
	prompt int               // the prompt's tokens as the classifier counted them
	usage  *llm.Usage        // the upstream's, once it sent it
	// answer accumulates what the client is handed when the gateway keeps
	// answers; nil otherwise (no work per chunk).
	answer *llm.Accumulator
	// guard sanitizes the answer (guardstream.go); nil when the route's
	// guard has no output part. leakCut reports that it cut the answer at
	// a leak: the stream has ended, for the client, but for a last usage
	// chunk when the client asked for one (usageDue).
	guard    *answerGuard
	leakCut  bool
	usageDue bool
	// fence drops the Markdown fence around a JSON answer
	// (fencestream.go); nil unless the client asked for JSON. fenceEnd
	// reports that the upstream ended and what fence held went out.
	fence    *fenceStripper
	fenceEnd bool
	// includeUsage reports that the client asked for a usage chunk
	// (stream_options.include_usage).
	includeUsage bool
	// text is what the upstream produced (with a guard, as the upstream
	// sent it: the client may have got less), to estimate the usage of a
	// stream that ends without one: its first cost.MaxTokenized bytes
	// and its length, however long the answer.
	text cost.Sample
	// hosted counts the hosted tool calls the stream relayed done, billed
	// beside the text when its usage never came.
	hosted responses.HostedCalls
	// sofar is the last usage the upstream reported on the way
	// (llm.Chunk.UsageSoFar) before its final one; nil for none.
	sofar *llm.Usage
	// summary is the summary of a compaction Claude made, for its
	// estimate when its counts never come; advice the advice of each
	// consultation of Claude's advisor tool, on model advisor (the
	// request's advisor tool's, "" for none), for theirs.
	summary string
	advice  []string
	advisor string
	err     error
	ended   bool // the upstream ended the stream cleanly
	once    sync.Once
}

// Next implements llm.Stream.
func (s *servedStream) Next() (*llm.Chunk, error) {
	if s.leakCut {
		return s.afterCut()
	}
	if s.fenceEnd {
		return nil, io.EOF
	}
	c, err := s.inner.Next()
	if err == nil && s.usage == nil {
		s.keepText(c)
	}
	if s.guard != nil {
		c, err = s.guarded(c, err)
	}
	if err != nil {
		if err == io.EOF {
			s.ended = true
			if last := s.fenceFlush(); last != nil {
				return last, nil
			}
			return nil, err
		}
		err = s.cut.err(err)
		if s.err == nil {
			s.err = err
		}
		return nil, err
	}
	if s.fence != nil {
		s.fence.chunk(c)
	}
	if s.answer != nil {
		s.answer.Add(c)
	}
	if c.Usage != nil {
		u := *c.Usage
		s.usage = &u
		s.served.CostUSD = s.target.Cost(u)
	}
	return c, nil
}

// keepText adds what c produced to s.text, and notes the usage it
// reports so far.
func (s *servedStream) keepText(c *llm.Chunk) {
	if c.UsageSoFar != nil {
		if s.sofar == nil {
			s.sofar = new(llm.Usage)
		}
		*s.sofar = *c.UsageSoFar
	}
	for i := range c.Choices {
		d := &c.Choices[i].Delta
		s.text.WriteString(d.Content)
		s.text.WriteString(d.Refusal)
		for _, tc := range d.ToolCalls {
			s.text.WriteString(tc.Name)
			s.text.WriteString(tc.Arguments)
		}
		if o := d.Output; o != nil && o.Hosted != nil && o.Hosted.Whole != nil {
			s.hosted.Add(o.Hosted.Whole)
		}
		if o := d.Output; o != nil && o.Block != nil && o.Block.Delta != nil {
			s.summary = compactionContent(o.Block.Delta)
		}
		if o := d.Output; o != nil && o.Block != nil && o.Block.Whole != nil {
			if a := anthropic.AdviceOf(o.Block.Whole); a != "" {
				s.advice = append(s.advice, a)
			}
		}
	}
}

// estimate is the usage of what the upstream produced, when it sent no
// final usage: what it reported on the way (cost.SoFar), else the
// prompt's tokens as the classifier counted them; the output it counted,
// else the tokens of the text; a compaction Claude made; and the hosted
// tool calls done. A resumed
// stream's broken attempt is billed by the resumption, with its report.
func (s *servedStream) estimate() llm.Usage {
	sofar := s.sofar
	if sofar != nil && s.inner.Resumption() != nil {
		sofar = nil
	}
	var u llm.Usage
	if sofar != nil && sofar.CompletionTokens > 0 {
		u = *sofar // the text is counted: no need to tokenize it
	} else {
		u = cost.SoFar(sofar, s.prompt, s.text.Tokens())
	}
	estimateCompaction(&u, s.prompt, s.summary)
	estimateAdvisor(&u, s.advisor, s.prompt, s.advice)
	s.hosted.AddTo(&u)
	return u
}

// cutUsage notes, once the guard cut the answer at a leak, the usage of
// what the upstream produced until then: the upstream's own usage chunk
// never comes (the upstream is closed), so it is estimated — the prompt's
// tokens and those of every piece the upstream sent, the part the client
// did not get included — and marked so. The client that asked for usage
// gets it in a last chunk.
func (s *servedStream) cutUsage() {
	if s.usage == nil {
		u := s.estimate()
		s.usage = &u
		s.served.CostUSD = s.target.Cost(u)
	}
	s.usageDue = s.includeUsage
}

// afterCut ends a stream the guard cut: the usage chunk, if due, then
// the end.
func (s *servedStream) afterCut() (*llm.Chunk, error) {
	if s.usageDue {
		s.usageDue = false
		u := *s.usage
		c := s.guard.last
		c.Choices, c.Usage = nil, &u
		if s.answer != nil {
			s.answer.Add(&c)
		}
		return &c, nil
	}
	s.ended = true
	return nil, io.EOF
}

// guarded passes the upstream's next chunk (or end) through the answer's
// sanitizer: a chunk's content as sanitized, and at the end a last chunk
// with the text the sanitizer still held, if any.
func (s *servedStream) guarded(c *llm.Chunk, err error) (*llm.Chunk, error) {
	switch {
	case err == io.EOF:
		if last := s.guard.flush(); last != nil {
			return last, nil // the end comes on the next call
		}
	case err == nil:
		if s.leakCut = s.guard.apply(c); s.leakCut {
			s.cutUsage()
		}
	}
	return c, err
}

// Ready implements llm.Readier.
func (s *servedStream) Ready() bool { return s.leakCut || s.inner.Ready() }

// Close implements llm.Stream; it records the request the first time.
func (s *servedStream) Close() error {
	err := s.inner.Close()
	s.once.Do(func() {
		s.cancel()
		if s.guard != nil {
			s.guard.note(s.rec)
		}
		s.rec.TTFT = s.firstAt.Sub(s.rec.Start)
		if s.answer != nil {
			s.rec.Answer = s.answer.Response()
		}
		billed := s.billedUsage()
		s.served.Usage = &billed
		if r := s.inner.Resumption(); r != nil {
			s.rec.ResumedFrom, s.rec.ResumeOffset, s.rec.ResumeMode = r.From, r.Offset, r.Mode
			s.served.CostUSD = s.g.billResumed(s.rec, r, s.billedUsage())
			s.served.CostUnknown = s.rec.BilledCostUnknown() // the answer is both attempts'
		} else {
			s.served.CostUSD = bill(s.rec, s.log.Served(), s.target, billed, true)
			s.served.CostUnknown = s.target.CostUnknown(billed)
		}
		billPassedOver(s.rec, s.inner, s.prompt)
		if s.err == nil && !s.ended {
			s.err = s.cut.err(&llm.Error{Kind: llm.KindCanceled, Message: "the client closed the stream before its end"})
		}
		s.cut.cancel()
		if s.err != nil && llm.AsError(s.err).Kind != llm.KindCanceled {
			s.rec.StreamFailed = true
		}
		s.g.finish(s.rec, s.served, &s.log, s.err, &s.budget, s.ticket)
	})
	return err
}

// Abort implements llm.Aborter: it closes the stream as Close does, the
// request recorded as failed with reason rather than as closed by its
// client (unless it had already ended or failed). Like Next, it is
// called by whoever reads the stream.
func (s *servedStream) Abort(reason error) error {
	if s.err == nil && !s.ended {
		s.err = reason
		s.inner.Abandon(reason) // its call logged failed so too
	}
	return s.Close()
}

// billedUsage is the upstream's usage, or, when the stream ended (or was
// cut or closed) before the upstream sent it, an estimate from the
// classifier's prompt size, the text it produced and the hosted calls it
// made: the upstream bills those all the same.
func (s *servedStream) billedUsage() llm.Usage {
	if s.usage != nil {
		return *s.usage
	}
	return s.estimate()
}

// fenceFlush returns, once the upstream ended, a chunk with the text the
// fence stripper still held (the stream's last, before io.EOF), or nil.
func (s *servedStream) fenceFlush() *llm.Chunk {
	if s.fence == nil {
		return nil
	}
	last := s.fence.flush()
	s.fence, s.fenceEnd = nil, last != nil
	if last != nil && s.answer != nil {
		s.answer.Add(last)
	}
	return last
}
