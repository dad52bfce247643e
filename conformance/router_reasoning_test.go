package conformance

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// TestRouterReasoningText checks the answers that carry an
// OpenAI-compatible host's reasoning text (a DeepSeek model in thinking
// mode): as reasoning_content on Chat Completions (an allowed extension),
// as a thinking block on /v1/messages, as a reasoning item on the
// Responses API.
func TestRouterReasoningText(t *testing.T) {
	t.Parallel()
	ds := httptest.NewServer(simopenai.New(sim.NewCatalog(sim.Profile{Model: "deepseek-reasoner", Reasoning: true}), nil))
	t.Cleanup(ds.Close)
	url, _, _ := routerSim(t, func(c *config.Config) {
		c.Providers["deepseek"] = &config.Provider{Name: "deepseek", Kind: config.KindOpenAI, BaseURL: ds.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["deepseek-reasoner"] = &config.Deployment{Name: "deepseek-reasoner", Provider: "deepseek", Model: "deepseek-reasoner"}
	})
	oa, an := loadSpec(t, "openai"), loadSpec(t, "anthropic")
	chat := `{"model":"deepseek-reasoner","messages":[{"role":"user","content":"Prove that 17 is prime."}]}`
	st, b := call(t, http.MethodPost, url+"/v1/chat/completions", chat, "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	m := oa.check(t, "CreateChatCompletionResponse", b)
	if msg := m["choices"].([]any)[0].(map[string]any)["message"].(map[string]any); msg["reasoning_content"] == nil {
		t.Errorf("no reasoning_content: %s", b)
	}
	st, b = call(t, http.MethodPost, url+"/v1/chat/completions", chat[:len(chat)-1]+`,"stream":true}`, "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	evs := sse(t, b)
	for _, ev := range evs[:len(evs)-1] {
		oa.check(t, "CreateChatCompletionStreamResponse", ev.data)
	}
	msgs := `{"model":"deepseek-reasoner","max_tokens":2048,"messages":[{"role":"user","content":"Prove that 17 is prime."}]}`
	st, b = call(t, http.MethodPost, url+"/v1/messages", msgs, anthropicHeaders...)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	an.check(t, "Message", b)
	st, b = call(t, http.MethodPost, url+"/v1/messages", msgs[:len(msgs)-1]+`,"stream":true}`, anthropicHeaders...)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	for _, ev := range sse(t, b) {
		an.checkEvent(t, "MessageStreamEvent", ev.data)
	}
	resp := `{"model":"deepseek-reasoner","input":"Prove that 17 is prime.","reasoning":{"summary":"auto"}}`
	st, b = call(t, http.MethodPost, url+"/v1/responses", resp, "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	oa.check(t, "Response", b)
	st, b = call(t, http.MethodPost, url+"/v1/responses", resp[:len(resp)-1]+`,"stream":true}`, "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	for _, ev := range sse(t, b) {
		oa.checkEvent(t, "ResponseStreamEvent", ev.data)
	}
}
