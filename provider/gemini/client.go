// Package gemini is the provider adapter for the Gemini API
// (generativelanguage.googleapis.com): streamed chat via
// models.streamGenerateContent?alt=sse, embeddings via
// models.batchEmbedContents. It registers itself as kind "gemini".
//
// The API key travels in the x-goog-api-key header, never in the URL, so it
// cannot leak into access logs or error messages that quote URLs.
package gemini

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/thinking"
	wire "switchyard/wire/gemini"
)

// DefaultBaseURL is the public Gemini API root.
const DefaultBaseURL = "https://generativelanguage.googleapis.com"

// maxBody bounds a successful response body read into memory.
const maxBody = 32 << 20

func init() {
	provider.Register("gemini", func(cfg provider.Config) (provider.Provider, error) { return New(cfg) })
}

var (
	_ provider.Provider = (*Client)(nil)
	_ provider.Embedder = (*Client)(nil)
)

// Client talks to one Gemini API endpoint. It is safe for concurrent use.
type Client struct {
	name    string
	root    string // versioned root, e.g. https://…/v1beta
	key     string
	headers map[string]string
	secrets []string // key and header values, masked in errors (provider.Secrets)
	hc      *http.Client
	log     *slog.Logger // nil: slog.Default()
	// thoughts keeps the signatures of the model's tool calls
	// (provider.Config.Thinking); nil keeps none.
	thoughts *thinking.Memory
}

// New returns a client for cfg. BaseURL defaults to DefaultBaseURL; "/v1beta"
// is appended unless it already ends in a version ("/v1beta" or "/v1").
// A nil HTTPClient means provider.DefaultHTTPClient; no client follows
// redirects (provider.UpstreamClient).
func New(cfg provider.Config) (*Client, error) {
	base, _, err := provider.BaseURL("gemini", cfg.Name, cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(base, "/v1beta") && !strings.HasSuffix(base, "/v1") {
		base += "/v1beta"
	}
	hc := provider.UpstreamClient(cfg.HTTPClient)
	name := cfg.Name
	if name == "" {
		name = "gemini"
	}
	return &Client{name: name, root: base, key: cfg.APIKey, headers: cfg.Headers,
		secrets: provider.Secrets(cfg.APIKey, cfg.Headers), hc: hc, log: cfg.Logger, thoughts: cfg.Thinking}, nil
}

// modelID strips the "models/" resource prefix a caller may include.
func modelID(model string) string { return strings.TrimPrefix(model, "models/") }

func (c *Client) modelURL(model, method string) string {
	return c.root + "/models/" + url.PathEscape(modelID(model)) + ":" + method
}

// post sends body as JSON and returns a 2xx response; any other status is
// turned into an *llm.Error here.
func (c *Client) post(ctx context.Context, u string, body any, stream bool) (*http.Response, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "gemini: encode request", Provider: c.name, Err: err}
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "gemini: build request", Provider: c.name, Err: err}
	}
	provider.SetBody(hreq, b)
	for k, v := range c.headers {
		if !strings.EqualFold(k, "Authorization") {
			hreq.Header.Set(k, v)
		}
	}
	hreq.Header.Set("Content-Type", "application/json")
	if c.key != "" {
		hreq.Header.Set("x-goog-api-key", c.key)
	}
	if stream {
		hreq.Header.Set("Accept", "text/event-stream")
	}
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transport(ctx, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, c.upstreamError(resp)
	}
	return resp, nil
}

// decode reads a bounded JSON body into v and closes it.
func (c *Client) decode(ctx context.Context, resp *http.Response, v any) error {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return c.transport(ctx, err)
	}
	if len(b) > maxBody {
		return provider.Garbage(c.name, fmt.Errorf("gemini: response body over %d bytes", maxBody))
	}
	if err := json.Unmarshal(b, v); err != nil {
		// A count past int (1e30) costs the usage only.
		if stripped, ok := provider.WithoutUsage(b); ok && json.Unmarshal(stripped, v) == nil {
			return nil
		}
		return provider.Garbage(c.name, err)
	}
	return nil
}

// upstreamError maps a non-2xx response. Gemini answers a bad API key with
// 400 INVALID_ARGUMENT (reason API_KEY_INVALID): that is our configuration
// failing, not the caller's request, so it becomes the same credential
// error provider.ErrorFromResponse makes of a 401/403.
func (c *Client) upstreamError(resp *http.Response) *llm.Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	st, ok := wire.ParseError(body)
	badKey := ok && resp.StatusCode == http.StatusBadRequest && st.HasReason(wire.ReasonAPIKeyInvalid)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	e := provider.ErrorFromResponse(c.name, c.secrets, resp, wire.ErrorMessage)
	if ok && (e.RetryAfter == 0 || st.DailyQuota()) {
		// A spent daily quota is waited out until it resets, whatever the
		// seconds its RetryInfo or a Retry-After say.
		e.RetryAfter = st.RetryWait(time.Now())
	}
	if badKey {
		e.Kind, e.Status, e.Retryable, e.Code = llm.KindUpstream, http.StatusBadGateway, false, llm.CodeUpstreamAuth
		e.Message = fmt.Sprintf("upstream %s rejected the configured credentials (400 %s); check the provider's api_key in the router config",
			c.name, wire.ReasonAPIKeyInvalid)
	}
	return e
}

// transport maps a failure to reach or read the upstream, redacting the key
// from the cause.
func (c *Client) transport(ctx context.Context, err error) *llm.Error {
	e := provider.TransportError(c.name, ctx, err)
	if cause := provider.RedactCause(e.Err, c.secrets); cause != e.Err {
		e.Err = cause // written only when it changes: e may be shared
	}
	return e
}

// own stamps an error from the wire layer with the provider's name and
// scrubs the key from its message.
func (c *Client) own(err error) error {
	e := llm.AsError(err)
	if e.Provider == "" {
		e.Provider = c.name
	}
	e.Message = provider.Redact(e.Message, c.secrets...)
	return e
}
