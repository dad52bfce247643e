package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/server"
)

// The client's key reaches neither the upstream (which gets the
// deployment's key, and only the realtime subprotocol) nor the router's
// log, whether it came as a header or as a browser's subprotocol.
func TestRealtimeKeyStaysHome(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// A client secret minted with a key (POST /v1/realtime/client_secrets)
// opens a realtime session as that key's caller, on the model it was
// minted for, and nothing else.
func TestRealtimeClientSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName, Tenant: "acme"}}
	})
	url := e.URL + "/v1/realtime/client_secrets"
	resp, b := post(t, url, clientKey, []byte(`{"expires_after":{"anchor":"created_at","seconds":60},"session":{"type":"realtime","model":"gpt-realtime"}}`))
	var sec struct {
		Value     string          `json:"value"`
		ExpiresAt int64           `json:"expires_at"`
		Session   json.RawMessage `json:"session"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &sec) != nil || !strings.HasPrefix(sec.Value, "ek_") ||
		sec.ExpiresAt < time.Now().Add(50*time.Second).Unix() || sec.ExpiresAt > time.Now().Add(70*time.Second).Unix() || !strings.Contains(string(sec.Session), `"gpt-realtime"`) {
		t.Fatalf("minted %d %s", resp.StatusCode, b)
	}
	conn, _, err := rtDial(ctxT(t), e, "gpt-realtime", http.Header{}, "realtime", "openai-insecure-api-key."+sec.Value)
	if err != nil {
		t.Fatal(err)
	}
	rtRead(t, conn)
	conn.Close(websocket.StatusNormalClosure, "")
	if r := e.recorded(t, 1)[0]; r.Caller != clientName || r.Tenant != "acme" || r.Endpoint != "realtime" || r.Status != 200 {
		t.Errorf("record %+v", r)
	}
	for _, tt := range []struct {
		name   string
		do     func() (int, string)
		status int
	}{
		{"another model", func() (int, string) {
			_, resp, _ := rtDial(ctxT(t), e, "gpt-4o-mini", http.Header{"Authorization": {"Bearer " + sec.Value}}, "realtime")
			return resp.StatusCode, rtBody(resp)
		}, 403},
		{"an unknown secret", func() (int, string) {
			_, resp, _ := rtDial(ctxT(t), e, "gpt-realtime", http.Header{"Authorization": {"Bearer ek_nothing"}}, "realtime")
			return resp.StatusCode, rtBody(resp)
		}, 401},
		{"on another endpoint", func() (int, string) {
			resp, b := post(t, e.URL+"/v1/chat/completions", sec.Value, chatBody("gpt-4o-mini", "hi", false))
			return resp.StatusCode, string(b)
		}, 401},
		{"minting without a key", func() (int, string) {
			resp, b := post(t, url, "", []byte(`{}`))
			return resp.StatusCode, string(b)
		}, 401},
		{"a lifetime out of bounds", func() (int, string) {
			resp, b := post(t, url, clientKey, []byte(`{"expires_after":{"anchor":"created_at","seconds":5}}`))
			return resp.StatusCode, string(b)
		}, 400},
	} {
		if status, body := tt.do(); status != tt.status || !strings.Contains(body, `"error"`) {
			t.Errorf("%s: %d %s", tt.name, status, body)
		}
	}
}
