package gateway

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/record"
)

// Chat answers a complete (non-streamed) chat request. It fills served as
// it goes, so the caller can report where the request went even on error.
// Errors are *llm.Error values.
func (g *Gateway) Chat(ctx context.Context, req *llm.Request, served *llm.Served) (*llm.Response, error) {
	rec := g.newRecord(ctx, "chat", false)
	resp, err := g.chat(ctx, req, served)
	if resp != nil && resp.Usage != nil {
		rec.Usage = *resp.Usage
	}
	g.finish(rec, served, err)
	return resp, err
}

func (g *Gateway) chat(ctx context.Context, req *llm.Request, served *llm.Served) (*llm.Response, error) {
	cands, route, err := g.candidates(req.Model)
	if err != nil {
		return nil, err
	}
	served.Route = route
	var last error
	for i, t := range g.eligible(cands, req, route, &last) {
		up := *req
		up.Model = t.Deployment.Model
		g.serve(served, route, t, i+1)
		resp, err := t.Provider.Chat(ctx, &up)
		if err == nil {
			if resp.Usage != nil {
				served.CostUSD = t.Deployment.Cost(*resp.Usage)
			}
			return resp, nil
		}
		last = err
		if !failover(ctx, err) {
			break
		}
	}
	return nil, last
}

// Stream starts a streamed chat. Failures before the first chunk fail over
// to the next candidate; the returned stream already holds its first chunk.
// The caller must Close the stream; the request is recorded then.
func (g *Gateway) Stream(ctx context.Context, req *llm.Request, served *llm.Served) (llm.Stream, error) {
	rec := g.newRecord(ctx, "chat", true)
	s, err := g.stream(ctx, req, served)
	if err != nil {
		g.finish(rec, served, err)
		return nil, err
	}
	s.rec, s.served, s.g = rec, served, g
	return s, nil
}

func (g *Gateway) stream(ctx context.Context, req *llm.Request, served *llm.Served) (*servedStream, error) {
	cands, route, err := g.candidates(req.Model)
	if err != nil {
		return nil, err
	}
	served.Route = route
	var last error
	for i, t := range g.eligible(cands, req, route, &last) {
		up := *req
		up.Model = t.Deployment.Model
		g.serve(served, route, t, i+1)
		s, err := t.Provider.Stream(ctx, &up)
		if err == nil {
			var first *llm.Chunk
			if first, err = s.Next(); err == nil {
				return &servedStream{inner: s, first: first, target: t, firstAt: g.now()}, nil
			}
			s.Close()
			if err == io.EOF {
				err = &llm.Error{Kind: llm.KindUpstream, Message: "upstream " + t.Deployment.Provider + " ended the stream without any content", Provider: t.Deployment.Provider, Retryable: true}
			}
		}
		last = err
		if !failover(ctx, err) {
			break
		}
	}
	return nil, last
}

// eligible filters candidates by what the request needs. For a pinned
// deployment that cannot serve the request it records why in last.
func (g *Gateway) eligible(cands []*Target, req *llm.Request, route string, last *error) []*Target {
	out := cands[:0:0]
	for _, t := range cands {
		if why := unsupported(&t.Deployment, req); why != "" {
			if *last == nil {
				e := llm.Errorf(llm.KindInvalidRequest, "deployment %s %s; pick a model that does (GET /v1/models)", t.Deployment.Name, why)
				if route != "" {
					e.Message = "no deployment of route " + route + " can serve this request: " + t.Deployment.Name + " " + why
				}
				*last = e
			}
			continue
		}
		out = append(out, t)
	}
	return out
}

// unsupported says why d cannot serve req, or "" if it can. A deployment
// that declares no capabilities is assumed to support everything.
func unsupported(d *llm.Deployment, req *llm.Request) string {
	if len(d.Capabilities) == 0 {
		return ""
	}
	if d.Has(llm.CapEmbeddings) && !d.Has(llm.CapTools) && !d.Has(llm.CapStreaming) && len(d.Capabilities) == 1 {
		return "is an embeddings model and does not serve chat"
	}
	if len(req.Tools) > 0 && !d.Has(llm.CapTools) {
		return "does not support tools"
	}
	if rf := req.ResponseFormat; rf != nil {
		if rf.Type == llm.FormatJSONSchema && !d.Has(llm.CapJSONSchema) {
			return "does not support json_schema structured output"
		}
		if rf.Type == llm.FormatJSONObject && !d.Has(llm.CapJSONMode) && !d.Has(llm.CapJSONSchema) {
			return "does not support JSON mode"
		}
	}
	for i := range req.Messages {
		for _, p := range req.Messages[i].Content {
			if p.Type == llm.PartImage && !d.Has(llm.CapVision) {
				return "does not accept images"
			}
		}
	}
	return ""
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

func (g *Gateway) serve(s *llm.Served, route string, t *Target, attempt int) {
	s.Deployment = t.Deployment.Name
	s.Provider = t.Deployment.Provider
	s.Model = t.Deployment.Model
	s.Attempts = attempt
	s.Summary = summary(route, t, attempt)
}

// Embed answers an embeddings request, failing over between candidates
// that can embed.
func (g *Gateway) Embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error) {
	rec := g.newRecord(ctx, "embeddings", false)
	resp, err := g.embed(ctx, req, served)
	if resp != nil {
		rec.Usage = resp.Usage
	}
	g.finish(rec, served, err)
	return resp, err
}

func (g *Gateway) embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error) {
	cands, route, err := g.candidates(req.Model)
	if err != nil {
		return nil, err
	}
	served.Route = route
	var last error = llm.Errorf(llm.KindInvalidRequest, "model %s does not serve embeddings; use an embeddings deployment (GET /v1/models)", req.Model)
	attempt := 0
	for _, t := range cands {
		em, ok := t.Provider.(provider.Embedder)
		if !ok || (len(t.Deployment.Capabilities) > 0 && !t.Deployment.Has(llm.CapEmbeddings)) {
			continue
		}
		attempt++
		up := *req
		up.Model = t.Deployment.Model
		g.serve(served, route, t, attempt)
		resp, err := em.Embed(ctx, &up)
		if err == nil {
			served.CostUSD = t.Deployment.Cost(resp.Usage)
			return resp, nil
		}
		last = err
		if !failover(ctx, err) {
			break
		}
	}
	return nil, last
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
