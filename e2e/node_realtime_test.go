package e2e

import (
	"net/http/httptest"
	"testing"
)

// TestNodeRealtime runs node/realtime.test.mjs: the Realtime API with the
// npm openai package's OpenAIRealtimeWS and OpenAIRealtimeWebSocket (over
// the ws package), and a client secret minted with
// client.realtime.clientSecrets.create. Their URLs are always wss://, so the router is served
// over TLS with httptest's certificate, which node is told to accept.
// The sessions are recorded, priced.
func TestNodeRealtime(t *testing.T) {
	t.Parallel()
	node := nodeOrSkip(t, "openai", "ws")
	e := newEnv(t, nil)
	ts := httptest.NewTLSServer(e.Router)
	t.Cleanup(ts.Close)
	runNodeScript(t, node, "realtime.test.mjs", "SWITCHYARD_URL="+ts.URL+"/v1", "NODE_TLS_REJECT_UNAUTHORIZED=0")
	n := 0
	for _, r := range e.recorded(t, 4) {
		if r.Endpoint != "realtime" {
			continue
		}
		n++
		if r.Status == 200 && (r.Deployment != "gpt-realtime" || r.Responses != 1 || r.CostUSD <= 0) {
			t.Errorf("record %+v", r)
		}
	}
	if n != 4 {
		t.Errorf("%d realtime records, want 4", n)
	}
}
