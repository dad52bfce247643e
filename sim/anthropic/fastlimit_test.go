package anthropic

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"switchyard/sim"
)

// TestFastRateLimit: a fast_rate_limit fault refuses requests in fast mode
// only, as Anthropic does past fast mode's own limit: 429
// rate_limit_error, retry-after and the anthropic-fast-* headers; the
// same request at standard speed is served, and the fault is spent only
// by fast requests.
func TestFastRateLimit(t *testing.T) {
	faults := &sim.Faults{}
	faults.Add(sim.Fault{Kind: sim.FaultFastRateLimit, Model: "claude-opus-5-5", Count: 1, RetryAfter: 12 * time.Second})
	srv := httptest.NewServer(New(sim.NewCatalog(sim.Profile{Model: "claude-opus-5-5", MaxOutputTokens: 64000}), faults))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	body := func(speed string) string {
		return `{"model":"claude-opus-5-5","max_tokens":50,` + speed + `"messages":[{"role":"user","content":"hi"}]}`
	}
	if resp := postBeta(t, srv, body(`"speed":"standard",`), ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("standard speed: %d", resp.StatusCode)
	}
	resp := postBeta(t, srv, body(`"speed":"fast",`), "")
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Type  string `json:"type"`
		Error struct{ Type, Message string }
	}
	if resp.StatusCode != http.StatusTooManyRequests || json.Unmarshal(b, &e) != nil || e.Type != "error" || e.Error.Type != "rate_limit_error" {
		t.Fatalf("fast: %d %s", resp.StatusCode, b)
	}
	h := resp.Header
	if h.Get("retry-after") != "12" || h.Get("anthropic-fast-input-tokens-remaining") != "0" || h.Get("anthropic-fast-output-tokens-limit") == "" {
		t.Errorf("headers %v", h)
	}
	if _, err := time.Parse(time.RFC3339, h.Get("anthropic-fast-output-tokens-reset")); err != nil {
		t.Errorf("reset: %v", err)
	}
	if resp := postBeta(t, srv, body(`"speed":"fast",`), ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the fault (count 1) struck twice: %d", resp.StatusCode)
	}
}
