package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"switchyard/config"
)

// Fields Switchyard does not model reach an OpenAI-wire upstream unchanged,
// and image parts and the developer role pass through.
func TestUnknownFieldsPassThroughToOpenAIUpstreams(t *testing.T) {
	t.Parallel()
	var got map[string]json.RawMessage
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &got)
		// The router streams from every upstream (to see the first token).
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n" +
			"data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\ndata: [DONE]\n\n"))
	}))
	defer upstream.Close()
	e := newEnv(t, func(c *config.Config) {
		// A host other than api.openai.com is sent service_tier only when
		// its provider says it takes it.
		c.Providers["rec"] = &config.Provider{Name: "rec", Kind: "openai", BaseURL: upstream.URL + "/v1", APIKey: "k", ServiceTier: config.ServiceTierSend}
		c.Deployments["rec-model"] = &config.Deployment{Name: "rec-model", Provider: "rec", Model: "upstream-name"}
	})
	body := []byte(`{"model":"rec-model","logprobs":true,"top_logprobs":2,"service_tier":"flex",
		"messages":[{"role":"developer","content":"be brief"},
		{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}}]}]}`)
	resp, b := post(t, e.URL+"/v1/chat/completions", "k", body)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	for field, want := range map[string]string{`logprobs`: `true`, `top_logprobs`: `2`, `service_tier`: `"flex"`, `model`: `"upstream-name"`} {
		if string(got[field]) != want {
			t.Errorf("upstream got %s=%s, want %s", field, got[field], want)
		}
	}
	var msgs []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	json.Unmarshal(got["messages"], &msgs)
	if len(msgs) != 2 || msgs[0].Role != "developer" {
		t.Fatalf("messages: %s", got["messages"])
	}
	var parts []map[string]any
	if json.Unmarshal(msgs[1].Content, &parts) != nil || len(parts) != 2 || parts[1]["type"] != "image_url" {
		t.Errorf("image part not passed through: %s", msgs[1].Content)
	}
}
