package openai

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"switchyard/llm"
	"switchyard/provider"
)

// The realtime URL of each kind of provider, and the key's header.
func TestRealtimeURL(t *testing.T) {
	for _, tt := range []struct {
		kind, base, version, want string
	}{
		{KindOpenAI, "https://api.openai.com/v1", "", "wss://api.openai.com/v1/realtime?model=gpt-realtime"},
		{KindOpenAI, "http://127.0.0.1:9/v1", "", "ws://127.0.0.1:9/v1/realtime?model=gpt-realtime"},
		{KindAzure, "https://res.openai.azure.com", "", "wss://res.openai.azure.com/openai/realtime?api-version=2025-04-01-preview&deployment=gpt-realtime"},
		{KindAzure, "https://res.openai.azure.com", "2024-10-01-preview", "wss://res.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-realtime"},
		{KindAzure, "https://res.openai.azure.com/openai/v1", "", "wss://res.openai.azure.com/openai/v1/realtime?model=gpt-realtime"},
	} {
		c := newClient(t, provider.Config{Kind: tt.kind, BaseURL: tt.base, APIKey: testKey, APIVersion: tt.version})
		if got := c.realtimeURL("gpt-realtime"); got != tt.want {
			t.Errorf("%s %s: %s, want %s", tt.kind, tt.base, got, tt.want)
		}
	}
}

// DialRealtime sends the provider's key (Bearer; Azure's api-key) and
// opens the session; a refused handshake is mapped by its status, never
// carrying the key.
func TestDialRealtime(t *testing.T) {
	seen := make(chan http.Header, 4)
	status := http.StatusSwitchingProtocols
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
		if status != http.StatusSwitchingProtocols {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write([]byte(`{"error":{"message":"no (` + testKey + `)","type":"server_error","param":null,"code":"x"}}`))
			return
		}
		c, err := websocket.Accept(w, r, nil)
		if err == nil {
			c.Close(websocket.StatusNormalClosure, "")
		}
	}))
	t.Cleanup(srv.Close)
	for _, kind := range []string{KindOpenAI, KindAzure} {
		base := srv.URL + "/v1"
		if kind == KindAzure {
			base = srv.URL + "/openai/v1"
		}
		c := newClient(t, provider.Config{Kind: kind, BaseURL: base, APIKey: testKey})
		conn, err := c.DialRealtime(context.Background(), "gpt-realtime")
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		conn.CloseNow()
		h := <-seen
		if kind == KindOpenAI && h.Get("Authorization") != "Bearer "+testKey || kind == KindAzure && (h.Get("Api-Key") != testKey || h.Get("Authorization") != "") {
			t.Errorf("%s: headers %v", kind, h)
		}
	}
	c := newClient(t, provider.Config{Kind: KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: testKey})
	for st, want := range map[int]struct {
		kind      llm.ErrorKind
		retryable bool
	}{429: {llm.KindRateLimit, true}, 503: {llm.KindUnavailable, true}, 500: {llm.KindUpstream, true}, 401: {llm.KindUpstream, false}} { // 401: our key, not the caller's
		status = st
		_, err := c.DialRealtime(context.Background(), "gpt-realtime")
		<-seen
		e := asLLM(t, err)
		if e.Kind != want.kind || e.Retryable != want.retryable || strings.Contains(e.Error(), testKey) || strings.Contains(e.Message, testKey) {
			t.Errorf("%d: %+v", st, e)
		}
	}
	srv.Close()
	if _, err := c.DialRealtime(context.Background(), "gpt-realtime"); !asLLM(t, err).Retryable {
		t.Errorf("a refused connection: %v", err)
	}
}
