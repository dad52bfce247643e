// Package anthropic is the provider adapter for Anthropic's Messages API
// (POST /v1/messages), streamed. It registers itself as kind
// "anthropic". The wire format and its translation to and from the
// canonical llm types live in switchyard/wire/anthropic.
//
// The API key travels only in the x-api-key header; it never appears in
// errors or logs, and a client's own Authorization header is never
// forwarded (each upstream request is built from scratch).
package anthropic

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/thinking"
	wire "switchyard/wire/anthropic"
)

// DefaultBaseURL is the public Anthropic API root.
const DefaultBaseURL = "https://api.anthropic.com"

func init() {
	provider.Register("anthropic", func(cfg provider.Config) (provider.Provider, error) { return New(cfg) })
}

var _ provider.Provider = (*Client)(nil)

// Client talks to one Anthropic API endpoint. It is safe for concurrent use.
type Client struct {
	name    string
	url     string // the messages endpoint
	key     string
	version string
	headers map[string]string
	secrets []string // key and header values, masked in errors (provider.Secrets)
	hc      *http.Client
	log     *slog.Logger // nil: slog.Default()
	// autoCache marks breakpoints for clients that could not (see
	// provider.Config.AutoCache and Stream).
	autoCache bool
	// thoughts keeps the thinking of answers that call tools (see
	// provider.Config.Thinking); nil keeps none.
	thoughts *thinking.Memory
}

// New returns a client for cfg. BaseURL defaults to DefaultBaseURL; the
// endpoint is BaseURL + "/v1/messages", or + "/messages" when BaseURL
// already ends in "/v1". APIVersion defaults to wire.DefaultVersion. A nil
// HTTPClient means provider.DefaultHTTPClient; no client follows redirects
// (provider.UpstreamClient). It fails for a BaseURL that is not an
// absolute http(s) URL.
func New(cfg provider.Config) (*Client, error) {
	base, _, err := provider.BaseURL("anthropic", cfg.Name, cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(base, "/v1") {
		base += "/v1"
	}
	c := &Client{name: cfg.Name, url: base + "/messages", key: cfg.APIKey, version: cfg.APIVersion, headers: cfg.Headers,
		secrets: provider.Secrets(cfg.APIKey, cfg.Headers), hc: cfg.HTTPClient, log: cfg.Logger,
		autoCache: cfg.AutoCache, thoughts: cfg.Thinking}
	if c.name == "" {
		c.name = "anthropic"
	}
	if c.version == "" {
		c.version = wire.DefaultVersion
	}
	c.hc = provider.UpstreamClient(c.hc)
	return c, nil
}

// post sends body and returns a 2xx response; any other status is turned
// into an *llm.Error here, so failures before the first byte of a stream
// are ordinary errors the dispatcher can fail over on.
func (c *Client) post(ctx context.Context, body *wire.MessagesRequest, stream bool) (*http.Response, error) {
	data, err := body.MarshalJSON() // json.Marshal would compact it again
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "could not encode the upstream request", Provider: c.name, Err: err}
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, nil)
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "could not build the upstream request", Provider: c.name, Err: err}
	}
	provider.SetBody(hreq, data)
	for k, v := range c.headers {
		hreq.Header.Set(k, v)
	}
	if c.key != "" {
		hreq.Header.Set("x-api-key", c.key)
	}
	for _, b := range body.Betas {
		addBeta(hreq.Header, b)
	}
	if body.ContextManagement != nil {
		addBeta(hreq.Header, wire.ContextManagementBeta)
		if wire.CompactsContext(body.ContextManagement) {
			addBeta(hreq.Header, wire.CompactEditBeta)
		}
	}
	if body.UserProfileID != "" { // the client's, for this Claude API deployment alone (wire/anthropic/billing.go)
		hreq.Header.Set(wire.HeaderUserProfileID, body.UserProfileID)
	}
	hreq.Header.Set("anthropic-version", c.version)
	hreq.Header.Set("content-type", "application/json")
	if stream {
		hreq.Header.Set("accept", "text/event-stream")
	} else {
		hreq.Header.Set("accept", "application/json")
	}
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transport(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := c.statusError(resp)
		if e.Kind == llm.KindRateLimit && body.Speed == wire.SpeedFast && fastLimitHit(resp.Header) {
			// Fast mode's own limit: the model's standard one may not be
			// reached, so the request may go on at standard speed.
			e.Code = llm.CodeFastRateLimited
		}
		return nil, e
	}
	return resp, nil
}

// fastLimitHit reports whether a 429 to a request in fast mode is fast
// mode's own limit (which has its own anthropic-fast-* headers) rather
// than one of the model's standard limits (anthropic-ratelimit-*): a fast
// header at 0 says fast, a standard one at 0 (and no fast one) says
// standard, and a 429 that says neither is taken for fast mode's, the
// limit a fast request meets first.
func fastLimitHit(h http.Header) bool {
	for _, k := range fastRemaining {
		if h.Get(k) == "0" {
			return true
		}
	}
	for _, k := range standardRemaining {
		if h.Get(k) == "0" {
			return false
		}
	}
	return true
}

var (
	fastRemaining     = []string{"anthropic-fast-input-tokens-remaining", "anthropic-fast-output-tokens-remaining"}
	standardRemaining = []string{"anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-tokens-remaining",
		"anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-output-tokens-remaining"}
)

// statusError maps a non-2xx answer, honouring Anthropic's x-should-retry
// header when it is sent.
func (c *Client) statusError(resp *http.Response) *llm.Error {
	e := provider.ErrorFromResponse(c.name, c.secrets, resp, extractMessage)
	switch resp.Header.Get("x-should-retry") {
	case "true":
		e.Retryable = true
	case "false":
		e.Retryable = false
	}
	return e
}

// extractMessage returns "type: message" from an Anthropic error body, or
// "" when the body is not one.
func extractMessage(body []byte) string {
	if obj, ok := wire.ParseError(body); ok {
		return string(obj.Type) + ": " + obj.Message
	}
	return ""
}

func (c *Client) transport(ctx context.Context, err error) *llm.Error {
	return provider.TransportError(c.name, ctx, err)
}

// own names this provider on an *llm.Error from the translation.
func (c *Client) own(err error) error {
	var le *llm.Error
	if errors.As(err, &le) {
		le.Provider = c.name
		return le
	}
	return &llm.Error{Kind: llm.KindInternal, Message: "internal error", Provider: c.name, Err: err}
}

// addBeta adds beta to the anthropic-beta header (a comma-separated list,
// which the configured headers may have started) unless it is there.
func addBeta(h http.Header, beta string) {
	have := h.Get("anthropic-beta")
	for _, b := range strings.Split(have, ",") {
		if strings.TrimSpace(b) == beta {
			return
		}
	}
	if have != "" {
		beta = have + "," + beta
	}
	h.Set("anthropic-beta", beta)
}
