package openai

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/coder/websocket"

	"switchyard/provider"
)

// realtimeAzureAPIVersion is the api-version of Azure's preview realtime
// route (/openai/realtime?api-version=…&deployment=…) when the provider
// sets none: the version Azure's realtime WebSocket guide names.
const realtimeAzureAPIVersion = "2025-04-01-preview"

var _ provider.Realtimer = (*Client)(nil)

// DialRealtime opens a Realtime API session with model (see
// provider.Realtimer): wss://…/v1/realtime?model=MODEL on OpenAI (the
// base URL's scheme turned to ws), Authorization: Bearer with the
// provider's key; on Azure, a resource endpoint's
// /openai/realtime?api-version=…&deployment=MODEL (the provider's
// api_version, else 2025-04-01-preview) or, for a base_url ending in
// /openai/v1, its /realtime?model=MODEL (Azure's GA route), with the key
// in the api-key header. The connection's read limit is left at the
// library's default; the caller sets its own.
func (c *Client) DialRealtime(ctx context.Context, model string) (*websocket.Conn, error) {
	h := http.Header{}
	for k, v := range c.headers {
		h.Set(k, v)
	}
	if c.key != "" {
		if c.azure {
			h.Set("Api-Key", c.key)
		} else {
			h.Set("Authorization", "Bearer "+c.key)
		}
	}
	conn, resp, err := websocket.Dial(ctx, c.realtimeURL(model), &websocket.DialOptions{HTTPClient: c.hc, HTTPHeader: h})
	if err == nil {
		return conn, nil
	}
	if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols && resp.Body != nil {
		return nil, c.statusError(resp)
	}
	if ctx.Err() != nil {
		return nil, c.transportError(ctx, ctx.Err())
	}
	e := c.transportError(ctx, err)
	if resp != nil {
		e.Message = "upstream " + c.name + " did not complete the realtime handshake"
	}
	return nil, e
}

// realtimeURL is the URL of a realtime session with model.
func (c *Client) realtimeURL(model string) string {
	base := c.base
	switch {
	case strings.HasPrefix(base, "https://"):
		base = "wss://" + base[len("https://"):]
	case strings.HasPrefix(base, "http://"):
		base = "ws://" + base[len("http://"):]
	}
	q := url.Values{}
	if c.deployments {
		v := c.realtimeVersion
		if v == "" {
			v = realtimeAzureAPIVersion
		}
		q.Set("api-version", v)
		q.Set("deployment", model)
		return base + "/openai/realtime?" + q.Encode()
	}
	q.Set("model", model)
	if c.apiVersion != "" {
		q.Set("api-version", c.apiVersion)
	}
	return base + "/realtime?" + q.Encode()
}
