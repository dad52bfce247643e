package openai

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/toolname"
	"switchyard/wire/completions"
	wire "switchyard/wire/openai"
	"switchyard/wire/responses"
)

// This file speaks OpenAI's Files and Batch APIs (provider.Batcher): a
// provider batch's requests uploaded as a JSONL file of purpose batch
// (POST /files), the batch created on it (POST /batches), polled (GET
// /batches/{id}), its output and error files read (GET
// /files/{id}/content), and cancelled (POST /batches/{id}/cancel).

var _ provider.Batcher = (*Client)(nil)

// The endpoints of the provider batches this adapter sends.
const (
	batchChat        = "/v1/chat/completions"
	batchEmbeddings  = "/v1/embeddings"
	batchCompletions = "/v1/completions"
	batchResponses   = "/v1/responses"
)

// batchKeyField is the metadata field a provider batch's key is sent in
// (SubmitBatch, FindBatch).
const batchKeyField = "switchyard_key"

// batchLine is a line of a provider batch's input file.
type batchLine struct {
	CustomID string          `json:"custom_id"`
	Method   string          `json:"method"`
	URL      string          `json:"url"`
	Body     json.RawMessage `json:"body"`
}

// batchObject is the part of OpenAI's Batch object the adapter reads.
type batchObject struct {
	ID           string  `json:"id"`
	Status       string  `json:"status"`
	Endpoint     string  `json:"endpoint"`
	OutputFileID *string `json:"output_file_id"`
	ErrorFileID  *string `json:"error_file_id"`
}

// SubmitBatch implements provider.Batcher: each request encoded as Chat
// (not streamed) or Embed encodes it — a legacy completion for a
// completions-only model (Completion.Native) as its completions endpoint
// is sent it, a request for the Responses API (UsesResponses) as that
// API is, not streamed —, uploaded, and the batch created with key
// as its metadata's switchyard_key.
func (c *Client) SubmitBatch(ctx context.Context, key string, reqs []provider.BatchRequest) (string, error) {
	endpoint := batchChat
	if len(reqs) > 0 {
		endpoint = c.batchEndpointOf(reqs[0])
	}
	var input bytes.Buffer
	for _, r := range reqs {
		body, err := c.encodeBatchBody(endpoint, r)
		if err != nil {
			return "", err
		}
		line, _ := json.Marshal(batchLine{CustomID: r.CustomID, Method: http.MethodPost, URL: endpoint, Body: body})
		input.Write(line)
		input.WriteByte('\n')
	}
	fileID, err := c.uploadBatchInput(ctx, input.Bytes())
	if err != nil {
		return "", err
	}
	create := map[string]any{"input_file_id": fileID, "endpoint": endpoint, "completion_window": "24h"}
	if key != "" {
		create["metadata"] = map[string]string{batchKeyField: key}
	}
	body, _ := json.Marshal(create)
	data, err := c.batchCall(ctx, http.MethodPost, "batches", body, "application/json")
	if err != nil {
		return "", err
	}
	o, err := decodeBatchObject(data)
	if err != nil {
		return "", provider.Garbage(c.name, err)
	}
	return o.ID, nil
}

// batchEndpointOf is the endpoint of a provider batch of r: the
// Responses API's for a chat request the adapter sends there
// (UsesResponses).
func (c *Client) batchEndpointOf(r provider.BatchRequest) string {
	switch {
	case r.Embedding != nil:
		return batchEmbeddings
	case r.Request != nil && r.Request.Completion != nil && r.Request.Completion.Native:
		return batchCompletions
	case r.Request != nil && c.UsesResponses(r.Request):
		return batchResponses
	}
	return batchChat
}

// encodeBatchBody is the body of r in a provider batch of endpoint: a
// chat request as Chat sends it (not streamed; function names past
// OpenAI's 64 cut as Stream cuts them), an embeddings request as
// Embed sends it (floats), a native completion as its endpoint takes it
// (not streamed).
func (c *Client) encodeBatchBody(endpoint string, r provider.BatchRequest) ([]byte, error) {
	if c.batchEndpointOf(r) != endpoint {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "a provider batch mixes requests of different endpoints", Provider: c.name}
	}
	switch {
	case endpoint == batchCompletions:
		body, err := completions.EncodeUpstreamBatch(r.Request)
		if err != nil {
			return nil, c.encodeError(llm.Wrap(llm.KindInvalidRequest, err, err.Error()))
		}
		return body, nil
	case endpoint == batchEmbeddings && r.Embedding != nil:
		e := *r.Embedding
		e.EncodingFormat = "float"
		body, err := wire.EncodeEmbeddingRequest(&e)
		if err != nil {
			return nil, c.encodeError(err)
		}
		return body, nil
	case endpoint == batchChat && r.Request != nil:
		req, _ := toolname.Shorten(r.Request, toolname.OpenAIMax) // given back by RestoreAnswer
		return c.encodeChat(req, false)
	case endpoint == batchResponses && r.Request != nil:
		req, _ := toolname.Shorten(r.Request, toolname.OpenAIMax)
		return c.encodeResponses(req, true)
	}
	return nil, &llm.Error{Kind: llm.KindInternal, Message: "a provider batch request with nothing to send", Provider: c.name}
}

// uploadBatchInput uploads data as a file of purpose batch and returns
// its id.
func (c *Client) uploadBatchInput(ctx context.Context, data []byte) (string, error) {
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.WriteField("purpose", "batch")
	fw, _ := mw.CreateFormFile("file", "switchyard_batch.jsonl")
	fw.Write(data)
	mw.Close()
	resp, err := c.batchCall(ctx, http.MethodPost, "files", form.Bytes(), mw.FormDataContentType())
	if err != nil {
		return "", err
	}
	id, err := uploadedFileID(resp)
	if err != nil {
		return "", provider.Garbage(c.name, err)
	}
	return id, nil
}

// uploadedFileID reads the id of the file object an upstream answered a
// file upload with; an error for an answer with none.
func uploadedFileID(resp []byte) (string, error) {
	var f struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp, &f); err != nil || f.ID == "" {
		return "", fmt.Errorf("a file upload's answer has no id: %v", err)
	}
	return f.ID, nil
}

// PollBatch implements provider.Batcher.
func (c *Client) PollBatch(ctx context.Context, id string) (provider.BatchState, error) {
	o, err := c.batch(ctx, id)
	if err != nil {
		return provider.BatchState{}, err
	}
	switch o.Status {
	case "completed", "failed", "expired", "cancelled":
		return provider.BatchState{Ended: true, Status: o.Status}, nil
	}
	return provider.BatchState{Status: o.Status}, nil
}

// batch reads the Batch object id.
func (c *Client) batch(ctx context.Context, id string) (*batchObject, error) {
	data, err := c.batchCall(ctx, http.MethodGet, "batches/"+url.PathEscape(id), nil, "")
	if err != nil {
		return nil, err
	}
	o, err := decodeBatchObject(data)
	if err != nil {
		return nil, provider.Garbage(c.name, err)
	}
	return o, nil
}

// BatchResults implements provider.Batcher: the lines of the output
// file, then of the error file.
func (c *Client) BatchResults(ctx context.Context, id string) ([]provider.BatchResult, error) {
	o, err := c.batch(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []provider.BatchResult
	unread := 0
	for _, f := range []*string{o.OutputFileID, o.ErrorFileID} {
		if f == nil || *f == "" {
			continue
		}
		data, err := c.batchCall(ctx, http.MethodGet, "files/"+url.PathEscape(*f)+"/content", nil, "")
		if err != nil {
			return nil, err
		}
		var n int
		out, n = provider.AppendBatchResults(out, data, func(line []byte) (provider.BatchResult, error) {
			return c.decodeResultLine(o.Endpoint, line)
		})
		unread += n
	}
	if unread > 0 {
		cmp.Or(c.log, slog.Default()).Warn("a provider batch's result file held lines naming no request; they answer none", "provider", c.name, "batch", id, "lines", unread)
	}
	return out, nil
}

// CancelBatch implements provider.Batcher.
func (c *Client) CancelBatch(ctx context.Context, id string) error {
	_, err := c.batchCall(ctx, http.MethodPost, "batches/"+url.PathEscape(id)+"/cancel", nil, "")
	return err
}

// batchCall sends method to op (relative to the base URL) with body of
// contentType (none when body is nil) and returns the 2xx answer's body;
// any other status is an *llm.Error.
func (c *Client) batchCall(ctx context.Context, method, op string, body []byte, contentType string) ([]byte, error) {
	hreq, err := http.NewRequestWithContext(ctx, method, c.base+"/"+op, nil)
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "could not build the upstream request", Provider: c.name, Err: err}
	}
	if body != nil {
		provider.SetBody(hreq, body)
		hreq.Header.Set("Content-Type", contentType)
	}
	for k, v := range c.headers {
		hreq.Header.Set(k, v)
	}
	if c.key != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, c.statusError(resp)
	}
	return c.readBody(ctx, resp)
}

// decodeBatchObject reads a Batch object: it must have an id and a
// status.
func decodeBatchObject(data []byte) (*batchObject, error) {
	var o batchObject
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("decode batch object: %w", err)
	}
	if o.ID == "" || o.Status == "" {
		return nil, fmt.Errorf("decode batch object: no id or status")
	}
	return &o, nil
}

// resultLine is a line of a provider batch's output or error file.
type resultLine struct {
	CustomID string `json:"custom_id"`
	Response *struct {
		StatusCode int             `json:"status_code"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// decodeResultLine reads one line of an output or error file of a batch
// of endpoint: a 2xx answer decoded as an embeddings list (endpoint
// /v1/embeddings; its usage zero when it could not be believed), a
// text_completion (/v1/completions), a Response object (/v1/responses; a
// failed one as its error) or a chat completion, another status as the error its
// body holds (mapped as a live answer of that status is), a request the
// provider never sent as a retryable upstream error. An answer that
// cannot be read is the line's retryable error (provider.Garbage): one
// bad line does not cost the others their answers. The error returned is
// a line that names no request (not JSON, or no custom_id).
func (c *Client) decodeResultLine(endpoint string, raw []byte) (provider.BatchResult, error) {
	var l resultLine
	if err := json.Unmarshal(raw, &l); err != nil {
		return provider.BatchResult{}, fmt.Errorf("decode batch result: %w", err)
	}
	if l.CustomID == "" {
		return provider.BatchResult{}, fmt.Errorf("decode batch result: no custom_id")
	}
	out, err := c.decodeAnswerLine(endpoint, &l)
	if err != nil {
		out.Response, out.Embedding = nil, nil
		out.Err = provider.Garbage(c.name, fmt.Errorf("decode batch result %q: %w", l.CustomID, err))
	}
	return out, nil
}

// decodeAnswerLine reads the answer of line l (decodeResultLine).
func (c *Client) decodeAnswerLine(endpoint string, l *resultLine) (provider.BatchResult, error) {
	out := provider.BatchResult{CustomID: l.CustomID}
	switch {
	case l.Response != nil && l.Response.StatusCode/100 == 2 && endpoint == batchEmbeddings:
		resp, dropped, err := decodeEmbeddings(l.Response.Body)
		if err != nil {
			return out, err
		}
		if dropped || !provider.PlausibleUsage(&resp.Usage) {
			resp.Usage = llm.Usage{}
		}
		out.Embedding = resp
	case l.Response != nil && l.Response.StatusCode/100 == 2 && endpoint == batchCompletions:
		resp, err := completions.DecodeUpstreamResponse(l.Response.Body)
		if err != nil {
			return out, err
		}
		out.Response = resp
	case l.Response != nil && l.Response.StatusCode/100 == 2 && endpoint == batchResponses:
		resp, err := responses.DecodeUpstreamResponse(l.Response.Body)
		if le := (*llm.Error)(nil); errors.As(err, &le) {
			out.Err = c.ownError(le) // a failed response: its error, as a live one's
			if resp != nil {
				out.Usage = resp.Usage // and what it used, billed
			}
			break
		}
		if err != nil {
			return out, err
		}
		out.Response = resp
	case l.Response != nil && l.Response.StatusCode/100 == 2:
		resp, err := wire.DecodeChatResponse(l.Response.Body)
		if err != nil {
			return out, err
		}
		out.Response = resp
	case l.Response != nil:
		hresp := &http.Response{StatusCode: l.Response.StatusCode, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(l.Response.Body))}
		out.Err = c.statusError(hresp)
	default:
		msg := "the provider batch did not run this request"
		if l.Error != nil {
			msg = strings.TrimSpace(l.Error.Code + ": " + l.Error.Message)
		}
		out.Err = &llm.Error{Kind: llm.KindUpstream, Message: "upstream " + c.name + ": " + provider.Redact(msg, c.secrets...), Provider: c.name, Retryable: true}
	}
	return out, nil
}
