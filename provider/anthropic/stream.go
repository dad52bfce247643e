package anthropic

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/anthropic"
)

// Stream sends a streamed Messages request. The upstream's status is
// checked before Stream returns, so an error before the first byte is
// returned here (and may be retried elsewhere); afterwards Next yields
// translated chunks and returns io.EOF only after the upstream's
// message_stop. A stream that ends without it, an error event, a malformed
// event or a broken connection is an *llm.Error from Next. Cancelling ctx
// ends the stream promptly. JSON-mode answers are streamed as the model
// writes them (a Markdown fence, if any, is not removed).
func (c *Client) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	r := *req
	r.Stream = true
	body, err := wire.FromLLM(&r)
	if err != nil {
		return nil, c.own(err)
	}
	resp, err := c.post(ctx, body, true)
	if err != nil {
		return nil, err
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		return nil, c.notAStream(resp)
	}
	return &stream{c: c, ctx: ctx, resp: resp, dec: wire.NewStreamDecoder(resp.Body, time.Now().Unix())}, nil
}

// notAStream handles a 2xx answer to a streamed request that is not an
// event stream: an error body, or garbage.
func (c *Client) notAStream(resp *http.Response) *llm.Error {
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if _, ok := wire.ParseError(data); ok {
		return c.bodyError(resp, data)
	}
	return provider.Garbage(c.name, fmt.Errorf("anthropic: streamed request answered with content-type %q", resp.Header.Get("Content-Type")))
}

// stream is the llm.Stream of one response body.
type stream struct {
	c    *Client
	ctx  context.Context
	resp *http.Response
	dec  *wire.StreamDecoder

	once   sync.Once
	mu     sync.Mutex
	closed bool
}

// Next returns the next chunk, io.EOF after message_stop, or an
// *llm.Error. After Close it returns a canceled error.
func (s *stream) Next() (*llm.Chunk, error) {
	ch, err := s.dec.Next()
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
		return nil, s.c.transport(s.ctx, s.ctx.Err())
	}
	var le *llm.Error
	if errors.As(err, &le) {
		// Cut, malformed or an error event: name the upstream and keep
		// the key out of a message that might quote it.
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
