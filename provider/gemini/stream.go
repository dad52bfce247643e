package gemini

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

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
	r := wire.NewStreamReader(resp.Body, modelID(req.Model))
	return provider.NewBodyStream(ctx, c.name, c.key, resp.Body, r.Next), nil
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
