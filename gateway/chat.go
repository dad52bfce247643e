package gateway

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
)

// Chat answers a complete (non-streamed) chat request, routed by the
// policy with the caller's overrides (nil for none). It fills served as it
// goes, so the caller can report where the request went even on error.
// Errors are *llm.Error values.
func (g *Gateway) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (*llm.Response, error) {
	rec := g.newRecord(ctx, "chat", false)
	resp, err := g.chat(ctx, req, ov, served, rec)
	if resp != nil && resp.Usage != nil {
		rec.Usage = *resp.Usage
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
	var resp *llm.Response
	rec.Tier, err = g.run(ctx, plan, served, func(ctx context.Context, t *Target) error {
		up := *req
		up.Model = t.Deployment.Model
		r, err := t.Provider.Chat(ctx, &up)
		if err != nil {
			return err
		}
		if r.Usage != nil {
			served.CostUSD = t.Deployment.Cost(*r.Usage)
		}
		resp = r
		return nil
	})
	return resp, err
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

func withDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

// run calls try on the plan's candidates, tier by tier, until one
// succeeds or an error must not fail over; it returns the (1-based) tier
// of the last attempt. When every attempt fails and the caller pinned a
// deployment, the pin's own error is returned (the fallbacks' are in the
// attempt count): it is the answer to what the caller asked for.
//
// The per-tier first-token timeouts and hedging are the dispatcher's
// (issue 4); this loop only keeps the plan's order.
func (g *Gateway) run(ctx context.Context, plan *route.Plan, served *llm.Served, try func(context.Context, *Target) error) (int, error) {
	var last, pinErr error
	var pinServed llm.Served
	attempt, tier := 0, 0
loop:
	for ti := range plan.Tiers {
		for _, c := range plan.Tiers[ti].Candidates {
			attempt++
			tier = ti + 1
			t := g.targets[c.Deployment.Index]
			g.serve(served, plan, ti, t, attempt)
			err := try(ctx, t)
			if err == nil {
				return tier, nil
			}
			if c.Pinned {
				pinErr, pinServed = err, *served
			}
			last = err
			if !failover(ctx, err) {
				break loop
			}
		}
	}
	if pinErr != nil && attempt > 1 {
		pinServed.Attempts = attempt
		*served = pinServed
		return 1, pinErr
	}
	return tier, last
}

// failover reports whether another candidate should be tried after err.
func failover(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var e *llm.Error
	if errors.As(err, &e) {
		return e.Retryable
	}
	return true
}

func (g *Gateway) serve(s *llm.Served, plan *route.Plan, tier int, t *Target, attempt int) {
	s.Deployment = t.Deployment.Name
	s.Provider = t.Deployment.Provider
	s.Model = t.Deployment.Model
	s.Attempts = attempt
	s.Summary = plan.Summary(tier, t.Deployment.Name, attempt)
}

// Stream starts a streamed chat, routed like Chat. Failures before the
// first chunk fail over to the next candidate; the returned stream
// already holds its first chunk. The caller must Close the stream; the
// request is recorded then.
func (g *Gateway) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error) {
	rec := g.newRecord(ctx, "chat", true)
	s, err := g.stream(ctx, req, ov, served, rec)
	if err != nil {
		g.finish(rec, served, err)
		return nil, err
	}
	s.rec, s.served, s.g = rec, served, g
	return s, nil
}

func (g *Gateway) stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served, rec *record.Record) (*servedStream, error) {
	plan, err := g.plan(ctx, req, ov, served, rec)
	if err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx, plan.Deadline)
	var out *servedStream
	rec.Tier, err = g.run(ctx, plan, served, func(ctx context.Context, t *Target) error {
		up := *req
		up.Model = t.Deployment.Model
		s, err := t.Provider.Stream(ctx, &up)
		if err != nil {
			return err
		}
		first, err := s.Next()
		if err != nil {
			s.Close()
			if err == io.EOF {
				err = &llm.Error{Kind: llm.KindUpstream, Message: "upstream " + t.Deployment.Provider + " ended the stream without any content", Provider: t.Deployment.Provider, Retryable: true}
			}
			return err
		}
		out = &servedStream{inner: s, first: first, target: t, firstAt: g.now()}
		return nil
	})
	if err != nil {
		cancel()
		return nil, err
	}
	out.cancel = cancel
	return out, nil
}

func (g *Gateway) newRecord(ctx context.Context, endpoint string, stream bool) *record.Record {
	return &record.Record{RequestID: llm.RequestID(ctx), Start: g.now(), Endpoint: endpoint, Stream: stream}
}

// finish completes rec from served and err and queues it.
func (g *Gateway) finish(rec *record.Record, served *llm.Served, err error) {
	rec.Route, rec.Deployment, rec.Provider, rec.Model = served.Route, served.Deployment, served.Provider, served.Model
	rec.Attempts = served.Attempts
	rec.CostUSD = served.CostUSD
	rec.Latency = g.now().Sub(rec.Start)
	rec.Status = 200
	if err != nil {
		e := llm.AsError(err)
		rec.Status, rec.ErrorKind = e.HTTPStatus(), e.Kind
	}
	if g.recorder != nil {
		g.recorder.Add(rec)
	}
}

// servedStream is the stream handed to the inbound API: it replays the
// pre-read first chunk, tracks usage and cost, and records the request once
// when it ends or is closed.
type servedStream struct {
	inner   llm.Stream
	first   *llm.Chunk
	target  *Target
	firstAt time.Time
	cancel  context.CancelFunc // ends the plan's deadline, if any

	g      *Gateway
	rec    *record.Record
	served *llm.Served
	usage  llm.Usage
	err    error
	ended  bool // the upstream ended the stream cleanly
	once   sync.Once
}

// Next implements llm.Stream.
func (s *servedStream) Next() (*llm.Chunk, error) {
	if c := s.first; c != nil {
		s.first = nil
		s.observe(c)
		return c, nil
	}
	c, err := s.inner.Next()
	if err != nil {
		if err == io.EOF {
			s.ended = true
		} else if s.err == nil {
			s.err = err
		}
		return nil, err
	}
	s.observe(c)
	return c, nil
}

func (s *servedStream) observe(c *llm.Chunk) {
	if c.Usage != nil {
		s.usage = *c.Usage
		s.served.CostUSD = s.target.Deployment.Cost(s.usage)
	}
}

// Close implements llm.Stream; it records the request the first time.
func (s *servedStream) Close() error {
	err := s.inner.Close()
	s.once.Do(func() {
		s.cancel()
		s.rec.Usage = s.usage
		s.rec.TTFT = s.firstAt.Sub(s.rec.Start)
		if s.err == nil && !s.ended {
			s.err = &llm.Error{Kind: llm.KindCanceled, Message: "the client closed the stream before its end"}
		}
		if s.err != nil && llm.AsError(s.err).Kind != llm.KindCanceled {
			s.rec.StreamFailed = true
		}
		s.g.finish(s.rec, s.served, s.err)
	})
	return err
}
