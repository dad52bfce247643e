package anthropic

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
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
	dec := wire.NewStreamDecoder(resp.Body, time.Now().Unix())
	return provider.NewBodyStream(ctx, c.name, c.key, resp.Body, dec.Next), nil
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
