package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/sse"
	wire "switchyard/wire/openai"
)

// Chat sends a non-streamed chat completion. Errors are *llm.Error values:
// non-2xx statuses as provider.ErrorFromResponse maps them (with the
// upstream's error code kept), transport failures as
// provider.TransportError, undecodable bodies as provider.Garbage.
func (c *Client) Chat(ctx context.Context, req *llm.Request) (*llm.Response, error) {
	body, err := c.encodeChat(req, false)
	if err != nil {
		return nil, err
	}
	resp, err := c.post(ctx, "chat/completions", req.Model, body, false)
	if err != nil {
		return nil, err
	}
	data, err := c.readBody(ctx, resp)
	if err != nil {
		return nil, err
	}
	out, err := wire.DecodeChatResponse(data)
	if err != nil || len(out.Choices) == 0 {
		if e := c.bodyError(data); e != nil {
			return nil, e
		}
		if err == nil {
			err = errors.New("response has no choices")
		}
		return nil, provider.Garbage(c.name, fmt.Errorf("openai: decode chat response: %w", err))
	}
	return out, nil
}

// Stream sends a streamed chat completion. It always asks the upstream for
// the final usage chunk (stream_options.include_usage), whatever the
// caller asked, so cost accounting sees usage; the gateway decides whether
// the client gets it. The status is checked before Stream returns, so
// failures before the first byte are ordinary errors.
func (c *Client) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	body, err := c.encodeChat(req, true)
	if err != nil {
		return nil, err
	}
	// The upstream call has a context of its own that follows ctx until
	// the stream ends cleanly; then the end of the body can still be read
	// (see finish) after the caller has moved on and cancelled ctx.
	rctx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	detach := context.AfterFunc(ctx, func() { cancel(context.Cause(ctx)) })
	resp, err := c.post(rctx, "chat/completions", req.Model, body, true)
	if err == nil && isJSON(resp) {
		// The upstream answered with one JSON document: an error in
		// OpenAI's shape, or a server that ignored "stream".
		err = c.jsonInsteadOfStream(rctx, resp)
	}
	if err != nil {
		detach()
		cancel(nil)
		return nil, err
	}
	s := newStream(ctx, c, resp.Body)
	s.detach, s.cancel = detach, cancel
	return s, nil
}

func isJSON(resp *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return mt == "application/json"
}

// jsonInsteadOfStream reads the error a JSON answer to a streamed request
// holds, or reports the answer as garbage.
func (c *Client) jsonInsteadOfStream(ctx context.Context, resp *http.Response) error {
	data, err := c.readBody(ctx, resp)
	if err != nil {
		return err
	}
	if e := c.bodyError(data); e != nil {
		return e
	}
	return provider.Garbage(c.name, errors.New("openai: expected an event stream, got application/json"))
}

// encodeChat encodes req for the upstream with streaming set as asked
// (the codec writes stream and stream_options from the typed fields, never
// from Extra), naming the token limit max_completion_tokens where the
// upstream wants that.
func (c *Client) encodeChat(req *llm.Request, stream bool) ([]byte, error) {
	r := *req
	r.Stream = stream
	r.IncludeUsage = stream
	if _, set := r.Extra[wire.ExtraMaxCompletionTokens]; c.completionTokens && r.MaxTokens != nil && !set {
		r.Extra = maps.Clone(r.Extra)
		if r.Extra == nil {
			r.Extra = make(map[string]json.RawMessage, 1)
		}
		r.Extra[wire.ExtraMaxCompletionTokens] = json.RawMessage(strconv.Itoa(*r.MaxTokens))
	}
	body, err := wire.EncodeChatRequest(&r)
	if err != nil {
		return nil, c.encodeError(err)
	}
	return body, nil
}

// encodeError stamps a failure to encode a request (invalid raw JSON in
// Extra, tool parameters or schemas) with the provider name.
func (c *Client) encodeError(err error) *llm.Error {
	e := llm.AsError(err)
	e.Provider = c.name
	return e
}

// errNoDone is the message of a stream that ended without "data: [DONE]".
const errNoDone = "stream ended before [DONE]"

// stream reads chat.completion.chunk events. Next is not safe for
// concurrent use; Close may be called from any goroutine, any number of
// times.
type stream struct {
	ctx  context.Context
	c    *Client
	body io.ReadCloser
	r    *sse.Reader
	err  error      // sticky: io.EOF after [DONE], or the failure
	prev *llm.Chunk // the last chunk returned; the next shares its repeated strings

	closeOnce sync.Once
	closeErr  error
	detach    func() bool             // stops ctx's cancellation from reaching the upstream call
	cancel    context.CancelCauseFunc // cancels the upstream call
}

func newStream(ctx context.Context, c *Client, body io.ReadCloser) *stream {
	return &stream{ctx: ctx, c: c, body: body, r: sse.NewReader(body),
		detach: func() bool { return false }, cancel: func(error) {}}
}

// Next returns the next chunk; io.EOF only after "data: [DONE]". Events
// that carry neither choices nor usage (Azure's prompt_filter_results
// preamble) are skipped. An error object in the stream is returned as the
// *llm.Error it describes.
func (s *stream) Next() (*llm.Chunk, error) {
	for s.err == nil {
		ev, err := s.r.Next()
		if err != nil {
			s.fail(s.readError(err))
			break
		}
		data := bytes.TrimSpace(ev.Data)
		if len(data) == 0 {
			continue
		}
		if string(data) == "[DONE]" {
			s.err = io.EOF
			s.finish()
			break
		}
		if bytes.Contains(data, []byte(`"error"`)) {
			if e := wire.DecodeStreamError(data); e != nil {
				s.fail(s.c.ownError(e))
				break
			}
		}
		ch, err := wire.DecodeChunkAfter(data, s.prev)
		if err != nil {
			s.fail(provider.Garbage(s.c.name, fmt.Errorf("openai: decode stream chunk: %w", err)))
			break
		}
		if len(ch.Choices) == 0 && ch.Usage == nil {
			continue
		}
		s.prev = ch
		return ch, nil
	}
	return nil, s.err
}

// readError maps a failure of the event reader.
func (s *stream) readError(err error) *llm.Error {
	switch {
	case err == io.EOF:
		return &llm.Error{Kind: llm.KindUpstream, Message: fmt.Sprintf("upstream %s: %s", s.c.name, errNoDone), Provider: s.c.name, Retryable: true, Err: io.ErrUnexpectedEOF}
	case errors.Is(err, sse.ErrTooLarge):
		return provider.Garbage(s.c.name, err)
	}
	return s.c.transportError(s.ctx, err)
}

// fail records err and releases the connection.
func (s *stream) fail(err *llm.Error) {
	s.err = err
	s.Close()
}

// Ready implements llm.Readier: a failure or end is known, or a complete
// event is buffered.
func (s *stream) Ready() bool { return s.err != nil || s.r.Ready() }

// Draining after [DONE]: the end of the HTTP body (the last, empty chunk)
// follows "data: [DONE]" at once, but only a body read to its end gives
// its connection back to the pool; closed before that, the connection is
// dropped and the next request dials a new one.
const (
	drainTimeout = time.Second // longest wait for the body's end
	drainMax     = 4 << 10     // most bytes read looking for it
)

// finish reads the body to its end in the background, bounded, then
// closes it, so the connection can be reused and the caller never waits.
func (s *stream) finish() {
	s.closeOnce.Do(func() {
		s.detach()
		go drainAndClose(s.body, s.cancel)
	})
}

func drainAndClose(body io.ReadCloser, cancel context.CancelCauseFunc) {
	t := time.AfterFunc(drainTimeout, func() { cancel(nil) })
	io.CopyN(io.Discard, body, drainMax)
	t.Stop()
	body.Close()
	cancel(nil)
}

// Close releases the connection. It is safe to call more than once and
// concurrently with Next (which then fails).
func (s *stream) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = s.body.Close()
		s.detach()
		s.cancel(nil)
	})
	return s.closeErr
}

// Compile-time check that the stream satisfies llm.Stream.
var _ llm.Stream = (*stream)(nil)
