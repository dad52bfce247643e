package anthropic

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/sim"
)

// TestCacheScope: the sim takes Claude Code's identity block cached in
// the global scope under the prompt-caching-scope beta, and answers the
// API's 400 for the scope without the beta.
func TestCacheScope(t *testing.T) {
	srv := httptest.NewServer(New(sim.NewCatalog(sim.Profile{Model: "claude-sonnet-4-5", MaxOutputTokens: 64000}), &sim.Faults{}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	const body = `{"model":"claude-sonnet-4-5","max_tokens":50,
		"system":[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral","scope":"global"}}],
		"messages":[{"role":"user","content":"hi"}]}`
	if resp := postBeta(t, srv, body, "claude-code-20250219,prompt-caching-scope-2026-01-05"); resp.StatusCode != http.StatusOK {
		t.Errorf("with the beta: %d", resp.StatusCode)
	}
	resp := postBeta(t, srv, body, "claude-code-20250219")
	var e struct {
		Error struct{ Type, Message string }
	}
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != http.StatusBadRequest || e.Error.Type != "invalid_request_error" ||
		!strings.Contains(e.Error.Message, "system.0.cache_control.ephemeral.scope: Extra inputs are not permitted") {
		t.Errorf("without the beta: %d %+v", resp.StatusCode, e)
	}
}
