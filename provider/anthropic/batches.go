package anthropic

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/customtool"
	"switchyard/provider/thinking"
	wire "switchyard/wire/anthropic"
)

// This file speaks Anthropic's Message Batches API (provider.Batcher):
// POST /v1/messages/batches with the requests' params, GET
// /v1/messages/batches/{id} to poll, GET …/results (JSON Lines) once
// ended, POST …/cancel; GET /v1/messages/batches lists them
// (batches_find.go).

var _ provider.Batcher = (*Client)(nil)

// batchRequest is one request of a Message Batch.
type batchRequest struct {
	CustomID string                `json:"custom_id"`
	Params   *wire.MessagesRequest `json:"params"`
}

// messageBatch is the part of a Message Batch the adapter reads.
type messageBatch struct {
	ID               string `json:"id"`
	Type             string `json:"type"`
	ProcessingStatus string `json:"processing_status"`
}

// batchesURL is the Message Batches endpoint, with path appended.
func (c *Client) batchesURL(path string) string { return c.url + "/batches" + path }

// SubmitBatch implements provider.Batcher: each request translated as
// Stream translates it (not streamed), with the breakpoints AutoCache
// places. A Message Batch has no metadata: the key is not sent; the
// caller puts it in the custom ids, by which FindBatch finds the batch
// (batches_find.go). Embeddings requests are refused.
func (c *Client) SubmitBatch(ctx context.Context, _ string, reqs []provider.BatchRequest) (string, error) {
	in := struct {
		Requests []batchRequest `json:"requests"`
	}{Requests: make([]batchRequest, 0, len(reqs))}
	for _, r := range reqs {
		if r.Request == nil {
			return "", &llm.Error{Kind: llm.KindInvalidRequest, Message: "Message Batches take messages requests only", Provider: c.name}
		}
		lowered, _ := customtool.Lower(r.Request) // the results are raised by RestoreAnswer
		q := *lowered
		q.Stream = false
		body, err := wire.FromLLM(&q)
		if err != nil {
			return "", c.own(err)
		}
		if c.autoCache && !q.ClientCaching {
			wire.PlaceBreakpoints(body)
		}
		in.Requests = append(in.Requests, batchRequest{CustomID: r.CustomID, Params: body})
	}
	data, err := json.Marshal(in)
	if err != nil {
		return "", &llm.Error{Kind: llm.KindInternal, Message: "could not encode the upstream request", Provider: c.name, Err: err}
	}
	out, err := c.batchCall(ctx, http.MethodPost, c.batchesURL(""), data)
	if err != nil {
		return "", err
	}
	b, err := decodeMessageBatch(out)
	if err != nil {
		return "", provider.Garbage(c.name, err)
	}
	return b.ID, nil
}

// RestoreAnswer implements provider.Batcher: Claude's thinking behind
// tool calls kept in the thinking memory as Stream keeps it (keepThinking),
// then kept in resp only for a client that shows it (showsThinking), the
// client's property names put back in the calls' arguments
// (wire.PropertyKeys, as Stream's translator puts them back), and the
// calls of its custom tools, sent as functions (customtool.Lower), raised
// back to custom calls.
func (c *Client) RestoreAnswer(ctx context.Context, req *llm.Request, resp *llm.Response) {
	if resp == nil {
		return
	}
	lowered, _ := customtool.Lower(req)
	if !c.batchThinking(ctx, lowered, resp) {
		resp.DropThinking()
	}
	wire.RestoreResponseKeys(resp, wire.PropertyKeys(lowered))
	customtool.RaiseResponse(resp, req)
}

// batchThinking keeps the thinking of resp, the answer to req (a
// request of a Message Batch, its custom tools lowered, encoded as
// SubmitBatch encodes it), in the thinking memory under its tool calls'
// ids when Stream would (keepsThinking), and reports whether its client
// sees it (showsThinking).
func (c *Client) batchThinking(ctx context.Context, req *llm.Request, resp *llm.Response) bool {
	if (req.Reasoning == nil || !req.Reasoning.Show) && (c.thoughts == nil || len(req.Tools) == 0) {
		return false // neither shown nor kept: not worth encoding
	}
	q := *req
	q.Stream = false
	body, err := wire.FromLLM(&q)
	if err != nil {
		return false
	}
	if c.keepsThinking(body) {
		for i := range resp.Choices {
			m := &resp.Choices[i].Message
			c.thoughts.Keep(thinking.Scope(ctx), callIDs(m.ToolCalls()), m.Thinking())
		}
	}
	return showsThinking(body, req)
}

// callIDs are the ids of calls.
func callIDs(calls []llm.ToolCall) []string {
	ids := make([]string, len(calls))
	for i := range calls {
		ids[i] = calls[i].ID
	}
	return ids
}

// PollBatch implements provider.Batcher.
func (c *Client) PollBatch(ctx context.Context, id string) (provider.BatchState, error) {
	out, err := c.batchCall(ctx, http.MethodGet, c.batchesURL("/"+url.PathEscape(id)), nil)
	if err != nil {
		return provider.BatchState{}, err
	}
	b, err := decodeMessageBatch(out)
	if err != nil {
		return provider.BatchState{}, provider.Garbage(c.name, err)
	}
	return provider.BatchState{Ended: b.ProcessingStatus == "ended", Status: b.ProcessingStatus}, nil
}

// BatchResults implements provider.Batcher.
func (c *Client) BatchResults(ctx context.Context, id string) ([]provider.BatchResult, error) {
	data, err := c.batchCall(ctx, http.MethodGet, c.batchesURL("/"+url.PathEscape(id)+"/results"), nil)
	if err != nil {
		return nil, err
	}
	out, unread := provider.AppendBatchResults(nil, data, c.decodeResult)
	if unread > 0 {
		cmp.Or(c.log, slog.Default()).Warn("a message batch's results held lines naming no request; they answer none", "provider", c.name, "batch", id, "lines", unread)
	}
	return out, nil
}

// CancelBatch implements provider.Batcher.
func (c *Client) CancelBatch(ctx context.Context, id string) error {
	_, err := c.batchCall(ctx, http.MethodPost, c.batchesURL("/"+url.PathEscape(id)+"/cancel"), nil)
	return err
}

// batchCall sends method to u with the JSON body (none when nil) and
// returns the 2xx answer's body; any other status is an *llm.Error.
func (c *Client) batchCall(ctx context.Context, method, u string, body []byte) ([]byte, error) {
	hreq, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "could not build the upstream request", Provider: c.name, Err: err}
	}
	if body != nil {
		provider.SetBody(hreq, body)
		hreq.Header.Set("content-type", "application/json")
	}
	for k, v := range c.headers {
		hreq.Header.Set(k, v)
	}
	if c.key != "" {
		hreq.Header.Set("x-api-key", c.key)
	}
	hreq.Header.Set("anthropic-version", c.version)
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transport(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.statusError(resp)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBatchBody+1))
	if err != nil {
		return nil, c.transport(ctx, err)
	}
	if len(data) > maxBatchBody {
		return nil, provider.Garbage(c.name, fmt.Errorf("batch answer over %d bytes", maxBatchBody))
	}
	return data, nil
}

// maxBatchBody bounds a Message Batches answer (the results of a batch).
const maxBatchBody = 256 << 20

// decodeMessageBatch reads a Message Batch: it must have an id and a
// processing status.
func decodeMessageBatch(data []byte) (*messageBatch, error) {
	var b messageBatch
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("decode message batch: %w", err)
	}
	if b.ID == "" || b.ProcessingStatus == "" {
		return nil, fmt.Errorf("decode message batch: no id or processing_status")
	}
	return &b, nil
}

// batchResult is a line of a Message Batch's results.
type batchResult struct {
	CustomID string `json:"custom_id"`
	Result   struct {
		Type    string                 `json:"type"`
		Message *wire.MessagesResponse `json:"message"`
		Error   json.RawMessage        `json:"error"`
	} `json:"result"`
}

// decodeResult reads one line of the results: a succeeded message
// translated as a live answer is, an errored one as the error its body
// holds (mapped as a live answer of its type's status is), a canceled or
// expired one a retryable upstream error. A result that cannot be read
// (an unknown type, a message of the wrong shape) is the line's
// retryable error (provider.Garbage): one bad line does not cost the
// others their answers. The error returned is a line that names no
// request (not JSON, or no custom_id).
func (c *Client) decodeResult(raw []byte) (provider.BatchResult, error) {
	var named struct {
		CustomID string `json:"custom_id"`
	}
	if err := json.Unmarshal(raw, &named); err != nil {
		return provider.BatchResult{}, fmt.Errorf("decode batch result: %w", err)
	}
	if named.CustomID == "" {
		return provider.BatchResult{}, fmt.Errorf("decode batch result: no custom_id")
	}
	out, err := c.decodeAnswer(raw)
	if err != nil {
		err = fmt.Errorf("decode batch result %q: %w", named.CustomID, err)
		return provider.BatchResult{CustomID: named.CustomID, Err: provider.Garbage(c.name, err)}, nil
	}
	return out, nil
}

// decodeAnswer reads the result of a line that names its request
// (decodeResult).
func (c *Client) decodeAnswer(raw []byte) (provider.BatchResult, error) {
	var l batchResult
	if err := json.Unmarshal(raw, &l); err != nil {
		return provider.BatchResult{}, err
	}
	out := provider.BatchResult{CustomID: l.CustomID}
	switch r := &l.Result; r.Type {
	case "succeeded":
		if r.Message == nil {
			return out, errors.New("succeeded without a message")
		}
		out.Response = wire.ToLLM(r.Message)
		// A result says not when it was made (a Message has no creation
		// time): read now, as a streamed answer is stamped.
		out.Response.Created = time.Now().Unix()
	case "errored":
		status := http.StatusInternalServerError
		if o, ok := wire.ParseError(r.Error); ok {
			status = o.Type.Status()
		}
		out.Err = c.statusError(&http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(r.Error))})
	case "canceled", "expired":
		out.Err = &llm.Error{Kind: llm.KindUpstream, Message: "upstream " + c.name + ": the message batch's request was " + r.Type, Provider: c.name, Retryable: true}
	default:
		return out, fmt.Errorf("unknown result type %q", r.Type)
	}
	return out, nil
}
