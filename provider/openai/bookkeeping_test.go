package openai

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"switchyard/llm/llmtest"
	"switchyard/provider"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A request carrying OpenAI's bookkeeping members (as Codex CLI's
// prompt_cache_key reaches the adapter, in Extra) is answered by Groq's
// and Mistral's simulated APIs, which refuse them as the real ones do:
// those hosts are sent none; OpenAI's own is sent them as written.
func TestBookkeepingMembersByHost(t *testing.T) {
	models := sim.NewCatalog(sim.Profile{Model: "llama-3.3-70b-versatile"}, sim.Profile{Model: "mistral-large-latest"}, sim.Profile{Model: "gpt-4o-mini"})
	tests := []struct {
		base, model string
		handler     http.Handler
		sent        bool
	}{
		{"https://api.groq.com/openai/v1", "llama-3.3-70b-versatile", simopenai.New(models, nil), false},
		{"https://api.mistral.ai/v1", "mistral-large-latest", simopenai.NewMistral(models, nil), false},
		{"https://api.openai.com/v1", "gpt-4o-mini", simopenai.New(models, nil), true},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			var body []byte
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ = io.ReadAll(r.Body)
				r.Body = io.NopCloser(strings.NewReader(string(body)))
				tt.handler.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			u, _ := url.Parse(srv.URL)
			tr := provider.NewTransport()
			t.Cleanup(tr.CloseIdleConnections)
			c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: tt.base, APIKey: "k", HTTPClient: &http.Client{Transport: toServer{u, tr}}})
			if err != nil {
				t.Fatal(err)
			}
			req := userRequest(tt.model, "hello")
			req.Extra = map[string]json.RawMessage{"prompt_cache_key": json.RawMessage(`"0199-abc"`), "safety_identifier": json.RawMessage(`"u1"`),
				"prompt_cache_retention": json.RawMessage(`"24h"`)}
			r, err := llmtest.Complete(context.Background(), c, req)
			if err != nil {
				t.Fatalf("%v (sent %s)", err, body)
			}
			if r.Choices[0].Message.Text() == "" {
				t.Errorf("empty answer %+v", r)
			}
			if got := strings.Contains(string(body), `"prompt_cache_key":"0199-abc"`) && strings.Contains(string(body), `"safety_identifier":"u1"`); got != tt.sent {
				t.Errorf("sent %s, want the bookkeeping members sent: %v", body, tt.sent)
			}
			if _, ok := req.Extra["prompt_cache_key"]; !ok {
				t.Error("the caller's Extra was changed")
			}
		})
	}
}
