package e2e

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/server"
)

// The client's key reaches neither the upstream (which gets the
// deployment's key, and only the realtime subprotocol) nor the router's
// log, whether it came as a header or as a browser's subprotocol.
func TestRealtimeKeyStaysHome(t *testing.T) {
	const upstreamKey = "sk-upstream-realtime-0123456789"
	var (
		mu   sync.Mutex
		seen []http.Header
	)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.Write(r.Context(), websocket.MessageText, []byte(`{"type":"session.created","event_id":"event_1","session":{}}`))
		c.Read(context.Background()) // until the client closes
	}))
	t.Cleanup(up.Close)
	var logs bytes.Buffer
	var logMu sync.Mutex
	e := newEnvWith(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName}}
		c.Providers["custom"] = &config.Provider{Name: "custom", Kind: config.KindOpenAI, BaseURL: up.URL + "/v1", APIKey: upstreamKey}
		c.Deployments["rt-custom"] = &config.Deployment{Name: "rt-custom", Provider: "custom", Model: "gpt-realtime", Capabilities: []llm.Capability{llm.CapRealtime}}
	}, server.RouterOptions{Logger: slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	for _, way := range []struct {
		header    http.Header
		protocols []string
	}{
		{http.Header{"Authorization": {"Bearer " + clientKey}}, []string{"realtime"}},
		{http.Header{}, []string{"realtime", "openai-insecure-api-key." + clientKey}},
	} {
		conn, _, err := rtDial(ctxT(t), e, "rt-custom", way.header, way.protocols...)
		if err != nil {
			t.Fatal(err)
		}
		if ev := rtRead(t, conn); ev.Type != "session.created" {
			t.Errorf("first event %s", ev.raw)
		}
		conn.Close(websocket.StatusNormalClosure, "")
	}
	e.recorded(t, 2)
	mu.Lock()
	defer mu.Unlock()
	for _, h := range seen {
		if h.Get("Authorization") != "Bearer "+upstreamKey || h.Get("Sec-Websocket-Protocol") != "" {
			t.Errorf("upstream headers %v", h)
		}
		for k, vs := range h {
			for _, v := range vs {
				if strings.Contains(v, clientKey) {
					t.Errorf("the client's key reached the upstream in %s", k)
				}
			}
		}
	}
	logMu.Lock()
	defer logMu.Unlock()
	if strings.Contains(logs.String(), clientKey) || strings.Contains(logs.String(), upstreamKey) {
		t.Errorf("a key is in the log:\n%s", logs.String())
	}
}

// lockedWriter serializes writes to w.
type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A keyless router (the demo) refuses a realtime handshake that a page of
// another site opened (a WebSocket is a GET, which the cross-origin guard
// deems safe, yet a session spends), and takes its own origin's.
func TestRealtimeKeylessRefusesOtherOrigins(t *testing.T) {
	e := newEnv(t, nil)
	host := strings.TrimPrefix(e.URL, "http://")
	_, resp, err := rtDial(ctxT(t), e, "gpt-realtime", http.Header{"Origin": {"https://evil.example"}}, "realtime")
	if err == nil || resp == nil || resp.StatusCode != 403 || !strings.Contains(rtBody(resp), "cross_origin_refused") {
		t.Errorf("another origin: %v %v", resp, err)
	}
	conn, _, err := rtDial(ctxT(t), e, "gpt-realtime", http.Header{"Origin": {"http://" + host}}, "realtime")
	if err != nil {
		t.Fatalf("its own origin: %v", err)
	}
	conn.Close(websocket.StatusNormalClosure, "")
}
