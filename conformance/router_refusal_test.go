package conformance

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/sim"
)

// openAIRefusal is the refusal OpenAI's Structured Outputs guide shows
// ("Refusals with Structured Outputs"): the message's refusal, content
// null, finish_reason stop.
const openAIRefusal = "I'm sorry, I cannot assist with that request."

// refusingOpenAI is an OpenAI upstream whose model refuses every request
// as the guide shows, on Chat Completions and on the Responses API
// (refuseResponses), whole and streamed (the refusal in deltas, as
// content is). The simulators do not refuse so:
// their refusal fault is a content filter's (sim.FaultRefusal).
func refusingOpenAI(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Stream bool `json:"stream"`
		}
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v1/responses" && json.Unmarshal(b, &req) == nil {
			refuseResponses(w, req.Stream)
			return
		}
		if r.URL.Path != "/v1/chat/completions" || json.Unmarshal(b, &req) != nil {
			http.Error(w, `{"error":{"message":"not here","type":"invalid_request_error","param":null,"code":null}}`, http.StatusNotFound)
			return
		}
		const head = `{"id":"chatcmpl-refused","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_1"`
		const usage = `"usage":{"prompt_tokens":12,"completion_tokens":10,"total_tokens":22}`
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, head+`,"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"`+openAIRefusal+`"},"logprobs":null,"finish_reason":"stop"}],`+usage+`}`)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		chunk := func(choices string) {
			io.WriteString(w, "data: "+strings.Replace(head, `"chat.completion"`, `"chat.completion.chunk"`, 1)+`,"choices":`+choices+"}\n\n")
		}
		chunk(`[{"index":0,"delta":{"role":"assistant","content":null,"refusal":""},"logprobs":null,"finish_reason":null}]`)
		for _, piece := range strings.SplitAfter(openAIRefusal, " ") {
			chunk(`[{"index":0,"delta":{"refusal":"` + piece + `"},"logprobs":null,"finish_reason":null}]`)
		}
		chunk(`[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]`)
		chunk(`[],` + usage)
		io.WriteString(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestRouterResponsesRefusal checks the Responses stream and answer of a
// refusal: an OpenAI model's, on Chat Completions upstream and on the
// Responses API (its refusal part, response.refusal.delta and .done) and a Claude model's (stop_reason refusal: an incomplete
// answer, reason content_filter), every event and Response against the
// spec, and that the refusal's own types were seen.
func TestRouterResponsesRefusal(t *testing.T) {
	t.Parallel()
	upstream := refusingOpenAI(t)
	url, _, sims := routerSim(t, func(c *config.Config) {
		c.Providers["refusing"] = &config.Provider{Name: "refusing", Kind: config.KindOpenAI, BaseURL: upstream + "/v1", APIKey: "k"}
		for name, api := range map[string]string{"refusing-gpt-4o-mini": config.APIChatCompletions, "refusing-responses": config.APIResponses} {
			d := *c.Deployments["gpt-4o-mini"]
			d.Name, d.Provider, d.API = name, "refusing", api
			c.Deployments[d.Name] = &d
		}
	})
	sims.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	oa := loadSpec(t, "openai")
	seen := map[string]bool{}
	for _, model := range []string{"refusing-gpt-4o-mini", "refusing-responses", "claude-haiku-4-5"} {
		body := `{"model":"` + model + `","input":"Extract the user's address.","text":{"format":{"type":"json_schema","name":"address","strict":true,"schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}}`
		b := callOK(t, model, http.MethodPost, url+"/v1/responses", body+`,"stream":true}`, "Authorization", bearer)
		if strings.HasPrefix(model, "refusing-") && !strings.Contains(string(b), `"type":"response.refusal.done"`) {
			t.Errorf("%s: no response.refusal.done in the stream: %s", model, b)
		}
		for _, ev := range sse(t, b) {
			typ := oa.checkEvent(t, "ResponseStreamEvent", ev.data)
			if ev.name != typ {
				t.Errorf("%s: event name %q, data type %q", model, ev.name, typ)
			}
			seen[typ] = true
			m := decode(t, ev.data)
			if p, _ := m["part"].(map[string]any); p["type"] != nil {
				seen["part "+p["type"].(string)] = true
			}
		}
		b = callOK(t, model, http.MethodPost, url+"/v1/responses", body+`}`, "Authorization", bearer)
		resp := oa.check(t, "Response", b)
		if strings.HasPrefix(model, "refusing-") && !strings.Contains(string(b), `{"type":"refusal","refusal":"`+openAIRefusal+`"}`) {
			t.Errorf("%s: no refusal part carrying the refusal in %s", model, b)
		}
		if model == "claude-haiku-4-5" && resp["status"] != "incomplete" {
			t.Errorf("%s: status %v, want incomplete: %s", model, resp["status"], b)
		}
	}
	for _, typ := range []string{"response.refusal.delta", "response.refusal.done", "part refusal",
		"response.content_part.added", "response.content_part.done", "response.completed", "response.incomplete"} {
		if !seen[typ] {
			t.Errorf("no %s seen", typ)
		}
	}
	t.Logf("event types checked: %v", seen)
}
