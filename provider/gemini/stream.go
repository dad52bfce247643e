package gemini

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/gemini"
)

// Stream sends a streamGenerateContent?alt=sse request. The upstream's
// status is checked before Stream returns, so an error before the first
// byte is returned here (and may be retried elsewhere); afterwards Next
// yields translated chunks. Errors are *llm.Error values.
func (c *Client) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	body, err := wire.FromLLM(req)
	if err != nil {
		return nil, c.own(err)
	}
	resp, err := c.post(ctx, c.modelURL(req.Model, "streamGenerateContent")+"?alt=sse", body, true)
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		return nil, c.notAStream(resp)
	}
	return &stream{c: c, ctx: ctx, resp: resp, r: wire.NewStreamReader(resp.Body, modelID(req.Model))}, nil
}

// notAStream handles a 2xx answer to a streamed request that is not an
// event stream: an error body, or garbage (a proxy that dropped alt=sse
// would send a JSON array).
func (c *Client) notAStream(resp *http.Response) *llm.Error {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if st, ok := wire.ParseError(body); ok {
		e := st.LLMError()
		e.Provider = c.name
		e.Message = provider.Redact(e.Message, c.key)
		return e
	}
	return provider.Garbage(c.name, fmt.Errorf("gemini: streamed request answered with content-type %q", resp.Header.Get("Content-Type")))
}

// stream is the llm.Stream of one response body.
type stream struct {
	c    *Client
	ctx  context.Context
	resp *http.Response
	r    *wire.StreamReader

	once   sync.Once
	mu     sync.Mutex
	closed bool
}

// Next returns the next chunk, io.EOF after a clean end, or an *llm.Error.
// After Close it returns a canceled error.
func (s *stream) Next() (*llm.Chunk, error) {
	ch, err := s.r.Next()
	if err == nil || err == io.EOF {
		return ch, err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, &llm.Error{Kind: llm.KindCanceled, Message: "stream closed", Provider: s.c.name, Err: err}
	}
	if s.ctx.Err() != nil {
		// A canceled read may surface as a cut body; the context says why.
		return nil, s.c.transport(s.ctx, s.ctx.Err())
	}
	var le *llm.Error
	if errors.As(err, &le) {
		// Cut, malformed or an error event: name the upstream, keep the
		// key out of a message that quotes it.
		le.Provider = s.c.name
		le.Message = provider.Redact(le.Message, s.c.key)
		return nil, le
	}
	return nil, s.c.transport(s.ctx, err)
}

// Close releases the connection. It is safe to call more than once and
// concurrently with Next, which then fails promptly.
func (s *stream) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.resp.Body.Close()
	})
	return nil
}
