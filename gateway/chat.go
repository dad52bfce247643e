package gateway

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"

	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/guard"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
)

// Chat answers a complete (non-streamed) chat request, routed by the
// policy with the caller's overrides (nil for none) and run by the
// dispatcher. It fills served as it goes, so the caller can report where
// the request went even on error. Errors are *llm.Error values.
func (g *Gateway) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (*llm.Response, error) {
	rec := g.newRecord(ctx, "chat", false)
	c := cutOnShutdown(ctx)
	resp, err := g.chat(c.ctx, req, ov, served, rec)
	err = c.err(err)
	c.cancel()
	if g.keepAnswers {
		rec.Request, rec.Answer = req, resp
	}
	g.finish(rec, served, err)
	return resp, err
}

func (g *Gateway) chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served, rec *record.Record) (*llm.Response, error) {
	plan, err := g.plan(ctx, req, ov, served, rec)
	if err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx, plan.Deadline)
	defer cancel()
	dp := g.dispatchPlan(plan)
	prompt := dp.PromptTokens
	dp.OnAbandon = func(dep *llm.Deployment, partial *llm.Response, _ error) {
		bill(rec, dep, cost.Usage(prompt, partial), false)
	}
	resp, err := g.dispatcher.Chat(ctx, req, dp, served)
	g.summarize(served, plan, rec)
	if err != nil {
		return nil, err
	}
	if t := g.byName[served.Deployment]; t != nil {
		served.CostUSD = bill(rec, &t.Deployment, cost.Usage(prompt, resp), true)
	}
	if rf := req.ResponseFormat; rf != nil && rf.Type != llm.FormatText {
		stripJSONFences(resp)
	}
	return resp, nil
}

// bill notes one attempt's usage in rec (as the record's usage too, when
// it is the attempt that served) and returns its cost.
func bill(rec *record.Record, dep *llm.Deployment, u llm.Usage, served bool) float64 {
	c := cost.Of(dep, u)
	rec.Billed = append(rec.Billed, record.Billed{Deployment: dep.Name, Usage: u, CostUSD: c, Served: served})
	if served || rec.Usage == (llm.Usage{}) {
		rec.Usage = u
	}
	return c
}

// plan decides and notes the decision in served and rec.
func (g *Gateway) plan(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served, rec *record.Record) (*route.Plan, error) {
	plan, err := g.decide(ctx, req, ov)
	if err != nil {
		return nil, err
	}
	if plan.Pinned == "" || g.policy.IsRoute(req.Model) {
		served.Route = plan.Route
	}
	note(rec, plan)
	return plan, nil
}

// summarize fills the compact routing summary once the dispatcher has
// said which deployment (and tier) served.
func (g *Gateway) summarize(served *llm.Served, plan *route.Plan, rec *record.Record) {
	if served.Deployment == "" {
		return
	}
	tier := served.Tier - 1
	if tier < 0 {
		tier = 0
	}
	served.Summary = plan.Summary(tier, served.Deployment, served.Attempts)
	rec.Tier = served.Tier
}

func withDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

// stripJSONFences removes the Markdown code fence some models wrap JSON in
// when asked for JSON output (guard.StripJSONFence), so the content parses
// as asked. Streamed answers are relayed as they come.
func stripJSONFences(resp *llm.Response) {
	for i := range resp.Choices {
		if m := &resp.Choices[i].Message; len(m.Content) == 1 {
			m.Content[0].Text = guard.StripJSONFence(m.Content[0].Text)
		}
	}
}

// Stream starts a streamed chat, routed like Chat. Failures before the
// first chunk fail over to the next candidate; after it, a failure ends
// the stream with an error. The caller must Close the stream; the
// request is recorded then.
func (g *Gateway) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error) {
	rec := g.newRecord(ctx, "chat", true)
	c := cutOnShutdown(ctx)
	s, err := g.stream(c.ctx, req, ov, served, rec)
	if err != nil {
		err = c.err(err)
		c.cancel()
		g.finish(rec, served, err)
		return nil, err
	}
	s.rec, s.served, s.g, s.cut = rec, served, g, c
	return s, nil
}

func (g *Gateway) stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served, rec *record.Record) (*servedStream, error) {
	plan, err := g.plan(ctx, req, ov, served, rec)
	if err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx, plan.Deadline)
	dp := g.dispatchPlan(plan)
	ds, err := g.dispatcher.Stream(ctx, req, dp, served)
	g.summarize(served, plan, rec)
	if err != nil {
		cancel()
		return nil, err
	}
	return &servedStream{inner: ds, target: ds.Deployment(), firstAt: g.now(), cancel: cancel, prompt: dp.PromptTokens}, nil
}

func (g *Gateway) newRecord(ctx context.Context, endpoint string, stream bool) *record.Record {
	return &record.Record{RequestID: llm.RequestID(ctx), Caller: CallerFrom(ctx).Name, Start: g.now(), Endpoint: endpoint, Stream: stream}
}

// finish completes rec from served and err and queues it.
func (g *Gateway) finish(rec *record.Record, served *llm.Served, err error) {
	rec.Route, rec.Deployment, rec.Provider, rec.Model = served.Route, served.Deployment, served.Provider, served.Model
	rec.Attempts = served.Attempts
	rec.CostUSD = served.CostUSD
	if len(rec.Billed) > 0 {
		rec.CostUSD = 0
		for _, b := range rec.Billed {
			rec.CostUSD += b.CostUSD
		}
	}
	rec.Latency = g.now().Sub(rec.Start)
	rec.Status = 200
	if err != nil {
		e := llm.AsError(err)
		rec.Status, rec.ErrorKind, rec.ErrorCode = e.HTTPStatus(), e.Kind, e.Code
	}
	if g.recorder != nil {
		g.recorder.Add(rec)
	}
}

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
	prompt int        // the prompt's tokens as the classifier counted them
	usage  *llm.Usage // the upstream's, once it sent it
	// text is what the upstream produced, kept to estimate the usage of a
	// stream that ends without one.
	text  strings.Builder
	err   error
	ended bool // the upstream ended the stream cleanly
	once  sync.Once
}

// Next implements llm.Stream.
func (s *servedStream) Next() (*llm.Chunk, error) {
	c, err := s.inner.Next()
	if err != nil {
		if err == io.EOF {
			s.ended = true
			return nil, err
		}
		err = s.cut.err(err)
		if s.err == nil {
			s.err = err
		}
		return nil, err
	}
	if c.Usage != nil {
		u := *c.Usage
		s.usage = &u
		s.served.CostUSD = s.target.Cost(u)
	} else if s.usage == nil {
		for i := range c.Choices {
			d := &c.Choices[i].Delta
			s.text.WriteString(d.Content)
			s.text.WriteString(d.Refusal)
			for _, tc := range d.ToolCalls {
				s.text.WriteString(tc.Name)
				s.text.WriteString(tc.Arguments)
			}
		}
	}
	return c, nil
}

// Ready implements llm.Readier.
func (s *servedStream) Ready() bool { return s.inner.Ready() }

// Close implements llm.Stream; it records the request the first time.
func (s *servedStream) Close() error {
	err := s.inner.Close()
	s.once.Do(func() {
		s.cancel()
		s.rec.TTFT = s.firstAt.Sub(s.rec.Start)
		if r := s.inner.Resumption(); r != nil {
			s.rec.ResumedFrom, s.rec.ResumeOffset, s.rec.ResumeMode = r.From, r.Offset, r.Mode
			s.served.CostUSD = s.g.billResumed(s.rec, r, s.billedUsage())
		} else {
			s.served.CostUSD = bill(s.rec, s.target, s.billedUsage(), true)
		}
		if s.err == nil && !s.ended {
			s.err = s.cut.err(&llm.Error{Kind: llm.KindCanceled, Message: "the client closed the stream before its end"})
		}
		s.cut.cancel()
		if s.err != nil && llm.AsError(s.err).Kind != llm.KindCanceled {
			s.rec.StreamFailed = true
		}
		s.g.finish(s.rec, s.served, s.err)
	})
	return err
}

// billedUsage is the upstream's usage, or, when the stream ended (or was
// cut or closed) before the upstream sent it, an estimate from the
// classifier's prompt size and the text it produced: the upstream bills those tokens all the same.
func (s *servedStream) billedUsage() llm.Usage {
	if s.usage != nil {
		return *s.usage
	}
	return cost.Estimate(s.prompt, cost.Tokens(s.text.String()))
}
