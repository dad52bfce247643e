// Package openai is the provider adapter for the OpenAI Chat Completions,
// Embeddings, Moderations, Images (generations) and Audio (speech,
// transcriptions, translations) APIs and for every API that copies them
// (DeepSeek, Mistral, Groq, Together, Fireworks, xAI, OpenRouter, vLLM,
// Ollama, LM Studio…: kind "openai" with their base_url), plus Azure
// OpenAI (kind "azure"), which has no moderations.
//
// Requests and responses are translated with switchyard/wire/openai; this
// package adds the HTTP exchange: URLs, credentials, error mapping and the
// server-sent event stream. A chat request for a model OpenAI serves only
// on the Responses API, or for a deployment configured api: responses, is
// sent to POST /responses instead, translated with
// switchyard/wire/responses (responses.go).
package openai

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/thinking"
	wire "switchyard/wire/openai"
)

// Kinds registered by this package.
const (
	KindOpenAI = "openai"
	KindAzure  = "azure"
)

// DefaultBaseURL is the API root of kind "openai" when no base_url is set.
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultAzureAPIVersion is the api-version sent to Azure deployment routes
// when the config names none (the latest GA data-plane inference version).
const DefaultAzureAPIVersion = "2024-10-21"

// MaxResponseBytes bounds a non-streamed response body.
const MaxResponseBytes = 32 << 20

func init() {
	factory := func(cfg provider.Config) (provider.Provider, error) { return New(cfg) }
	provider.Register(KindOpenAI, factory)
	provider.Register(KindAzure, factory)
}

var (
	_ provider.Provider    = (*Client)(nil)
	_ provider.Embedder    = (*Client)(nil)
	_ provider.Moderator   = (*Client)(nil)
	_ provider.Imager      = (*Client)(nil)
	_ provider.Speaker     = (*Client)(nil)
	_ provider.Transcriber = (*Client)(nil)
)

// Client talks to one OpenAI-compatible or Azure OpenAI endpoint. It is safe
// for concurrent use.
type Client struct {
	name    string
	base    string // without a trailing slash
	key     string
	headers map[string]string
	secrets []string // key and header values, masked in errors (provider.Secrets)
	hc      *http.Client
	log     *slog.Logger // nil: slog.Default()

	// azure selects the api-key header; deployments selects the
	// /openai/deployments/{model}/… routes with an api-version query.
	azure       bool
	deployments bool
	apiVersion  string
	// realtimeVersion is the api_version configured (empty when none was:
	// the realtime route then has its own default).
	realtimeVersion string

	// completionTokens sends the token limit as max_completion_tokens
	// (which OpenAI's reasoning models require) rather than max_tokens
	// (which every compatible vendor knows): set for api.openai.com and for
	// Azure versions that accept it.
	completionTokens bool
	// serviceTier sends the client's service_tier (provider.Config.
	// ServiceTier); without it the field is left out.
	serviceTier bool
	// thinkingSwitch is where the upstream takes a Qwen model's thinking
	// switch (provider.Config.ThinkingSwitch; wire.SetQwenThinking).
	thinkingSwitch wire.ThinkingSwitch
	// thoughts keeps the reasoning items behind a Responses API answer's
	// tool calls (provider.Config.Thinking); nil keeps none.
	thoughts *thinking.Memory
	// googleCompat reports a base_url of Google's OpenAI compatibility
	// endpoint (GoogleCompatURL), which is sent thought signatures unless
	// a deployment says otherwise.
	googleCompat bool
	// openRouter reports a base_url of OpenRouter (OpenRouterURL), which
	// is sent reasoning_details unless a deployment says otherwise.
	openRouter bool
	// stringContent reports a base_url of a host that takes a message's
	// content only as a string (StringContentURL), which is sent text
	// alone as one unless a deployment says otherwise.
	stringContent bool
	// mistral reports a base_url of Mistral's API (MistralURL), which is
	// not sent stream_options unless a deployment says otherwise, nor
	// metadata.
	mistral bool
	// strictMembers reports a base_url of a host that refuses OpenAI's
	// bookkeeping members (StrictMembersURL), which is sent none.
	strictMembers bool
	// allowedTools reports an upstream whose Chat Completions take a
	// tool_choice of allowed_tools (OpenAI's API and Azure OpenAI's v1
	// routes); any other is sent the allowed tools alone
	// (wire.ChatOptions.AllowedTools). Azure's dated api-versions are
	// not: their schemas lag OpenAI's tool_choice (they took "required"
	// months after OpenAI did), and a filtered list works on all.
	allowedTools bool
	// compatible reports kind openai on a host other than api.openai.com,
	// which may have no /responses route (noResponsesRoute).
	compatible bool
}

// New returns a client for cfg. Kind "azure" targets Azure OpenAI: a base_url of the resource endpoint
// (https://NAME.openai.azure.com) uses the deployment routes with
// api-version cfg.APIVersion (default DefaultAzureAPIVersion); a base_url
// ending in /openai/v1 uses Azure's OpenAI-style v1 routes, sending
// api-version only when cfg.APIVersion is set. Any other kind is treated as
// "openai". New fails for a base_url that is not an absolute http(s) URL, or
// for Azure without one.
func New(cfg provider.Config) (*Client, error) {
	c := &Client{
		name:    cfg.Name,
		key:     cfg.APIKey,
		headers: cfg.Headers,
		secrets: provider.Secrets(cfg.APIKey, cfg.Headers),
		hc:      cfg.HTTPClient,
		log:     cfg.Logger,
		azure:   cfg.Kind == KindAzure,

		serviceTier:    cfg.ServiceTier,
		thinkingSwitch: wire.ThinkingSwitch(cfg.ThinkingSwitch),
		thoughts:       cfg.Thinking,
	}
	if c.name == "" {
		c.name = "openai"
		if c.azure {
			c.name = "azure"
		}
	}
	c.hc = provider.UpstreamClient(c.hc)
	if c.azure && strings.TrimRight(cfg.BaseURL, "/") == "" {
		return nil, fmt.Errorf("provider %q: kind azure needs base_url (https://RESOURCE.openai.azure.com)", c.name)
	}
	kind := KindOpenAI
	if c.azure {
		kind = KindAzure
	}
	base, u, err := provider.BaseURL(kind, c.name, cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	c.base = base
	c.completionTokens = u.Host == "api.openai.com"
	c.allowedTools = u.Host == "api.openai.com"
	c.compatible = !c.azure && u.Host != "api.openai.com"
	c.googleCompat = !c.azure && GoogleCompatURL(u)
	c.openRouter = !c.azure && OpenRouterURL(u)
	c.stringContent = !c.azure && StringContentURL(u)
	c.mistral = !c.azure && MistralURL(u)
	c.strictMembers = !c.azure && StrictMembersURL(u)
	if c.azure {
		c.apiVersion = cfg.APIVersion
		c.realtimeVersion = cfg.APIVersion
		c.completionTokens = true
		c.allowedTools = strings.HasSuffix(c.base, "/openai/v1")
		if !c.allowedTools {
			c.deployments = true
			c.base = strings.TrimSuffix(c.base, "/openai")
			if c.apiVersion == "" {
				c.apiVersion = DefaultAzureAPIVersion
			}
			// Dated versions compare as strings; older ones reject
			// max_completion_tokens as an unknown argument.
			c.completionTokens = c.apiVersion >= DefaultAzureAPIVersion
		}
	}
	return c, nil
}

// Name returns the configured provider name.
func (c *Client) Name() string { return c.name }

// endpoint returns the URL of operation op ("chat/completions",
// "embeddings") for the upstream model.
func (c *Client) endpoint(op, model string) string {
	var b strings.Builder
	b.WriteString(c.base)
	if c.deployments {
		b.WriteString("/openai/deployments/")
		b.WriteString(url.PathEscape(model))
	}
	b.WriteByte('/')
	b.WriteString(op)
	if c.apiVersion != "" {
		if strings.IndexByte(op, '?') >= 0 {
			b.WriteString("&api-version=")
		} else {
			b.WriteString("?api-version=")
		}
		b.WriteString(url.QueryEscape(c.apiVersion))
	}
	return b.String()
}

// post sends the body encode returns to op, with the header's name and
// value pairs, and returns the response when its status is 2xx. Any
// other status is read and returned as an *llm.Error, as is encode's
// error.
func (c *Client) post(ctx context.Context, op, model string, encode func() ([]byte, error), stream bool, header ...string) (*http.Response, error) {
	body, err := encode()
	if err != nil {
		return nil, err
	}
	accept := "application/json"
	if stream {
		accept = "text/event-stream"
	}
	return c.send(ctx, op, model, body, "application/json", accept, header...)
}

// send posts body of type contentType to op, accepting accept, with the
// header's name and value pairs, and returns the response when its
// status is 2xx; any other status is read and returned as an
// *llm.Error.
func (c *Client) send(ctx context.Context, op, model string, body []byte, contentType, accept string, header ...string) (*http.Response, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(op, model), nil)
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "could not build the upstream request", Provider: c.name, Err: err}
	}
	provider.SetBody(hreq, body)
	h := hreq.Header
	for k, v := range c.headers {
		h.Set(k, v)
	}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	h.Set("Content-Type", contentType)
	h.Set("Accept", accept)
	if c.key != "" {
		if c.azure {
			h.Set("Api-Key", c.key)
		} else {
			h.Set("Authorization", "Bearer "+c.key)
		}
	}
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, c.statusError(resp)
	}
	return resp, nil
}

// statusError maps a non-2xx response (and closes its body). Besides what
// provider.ErrorFromResponse does, it keeps the upstream's error code and
// param (e.g. Azure's "content_filter", OpenAI's "context_length_exceeded")
// except when the upstream rejected our own credentials: then its code is
// about our key, not the caller's request.
func (c *Client) statusError(resp *http.Response) *llm.Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	e := provider.ErrorFromResponse(c.name, c.secrets, resp, wire.DecodeErrorMessage)
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return e
	}
	if up := wire.DecodeStreamError(body); up != nil {
		if up.Code != "" {
			e.Code = provider.Redact(up.Code, c.secrets...)
		}
		e.Param = provider.Redact(up.Param, c.secrets...)
	}
	provider.Classify(e)
	return e
}

// transportError maps a failure to reach or read from the upstream, making
// sure nothing in it can carry the key.
func (c *Client) transportError(ctx context.Context, err error) *llm.Error {
	e := provider.TransportError(c.name, ctx, err)
	if cause := provider.RedactCause(e.Err, c.secrets); cause != e.Err {
		e.Err = cause // written only when it changes: e may be shared
	}
	return e
}

// readBody reads a 2xx body up to MaxResponseBytes and closes it.
func (c *Client) readBody(ctx context.Context, resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	if len(data) > MaxResponseBytes {
		return nil, provider.Garbage(c.name, fmt.Errorf("response body over %d bytes", MaxResponseBytes))
	}
	return data, nil
}

// bodyError returns the error a 2xx body reports in OpenAI's error shape
// (some compatible servers answer errors with 200), or nil.
func (c *Client) bodyError(data []byte) *llm.Error {
	e := wire.DecodeStreamError(data)
	if e == nil {
		return nil
	}
	return c.ownError(e)
}

// ownError stamps an error decoded from an upstream payload with the
// provider name and strips the key from what the client may see.
func (c *Client) ownError(e *llm.Error) *llm.Error {
	e.Provider = c.name
	e.Message = provider.Redact(e.Message, c.secrets...)
	e.Param = provider.Redact(e.Param, c.secrets...)
	e.Code = provider.Redact(e.Code, c.secrets...)
	return e
}
