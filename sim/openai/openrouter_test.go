package openai

import (
	"strings"
	"testing"

	"switchyard/sim"
)

// A Gemini 3 model on OpenRouter's path writes reasoning_details with
// its call, complete and streamed in pieces, and refuses the loop's next
// turn without them with OpenRouter's 400; OpenAI's path refuses the
// member.
func TestOpenRouterReasoningDetails(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "google/gemini-3-flash-preview", Reasoning: true}, sim.Profile{Model: "gpt-sim"}), nil))
	chat := url + "/api/v1/chat/completions"
	ask := `{"model":"google/gemini-3-flash-preview","messages":[{"role":"user","content":"Use get_weather for Oslo"}],` + weatherTools
	_, _, body := do(t, hc, "POST", chat, ask+`}`, bearer)
	if !strings.Contains(body, `"reasoning_details":[{`) || !strings.Contains(body, `"type":"reasoning.encrypted"`) {
		t.Errorf("complete: %s", body)
	}
	_, _, stream := do(t, hc, "POST", chat, ask+`,"stream":true}`, bearer)
	if strings.Count(stream, `"reasoning_details":[{`) != 3 || !strings.Contains(stream, `"delta":{"role":"assistant","content":"","refusal":null,"reasoning_details":[{"type":"reasoning.text","text":"I should call "`) {
		t.Errorf("stream: %s", stream)
	}
	loop := `{"model":"%s",` + weatherTools + `,"messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":null%s,` +
		`"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"4C"}]}`
	fill := func(model, details string) string {
		return strings.Replace(strings.Replace(loop, "%s", model, 1), "%s", details, 1)
	}
	status, _, refused := do(t, hc, "POST", chat, fill("google/gemini-3-flash-preview", ""), bearer)
	if status != 400 || !strings.HasPrefix(refused, `{"error":{"code":400,"message":"Provider returned error","metadata":{"provider_name":"Google AI Studio","raw":"Gemini models require OpenRouter reasoning details to be preserved in each request.`) {
		t.Errorf("without details: %d %s", status, refused)
	}
	kept := `,"reasoning_details":[{"type":"reasoning.encrypted","data":"` + ThoughtSignature("get_weather", "{}") + `","id":"c1","format":"google-gemini-v1","index":1}]`
	if status, _, body := do(t, hc, "POST", chat, fill("google/gemini-3-flash-preview", kept), bearer); status != 200 {
		t.Errorf("with details: %d %s", status, body)
	}
	status, _, body = do(t, hc, "POST", url+"/v1/chat/completions", fill("gpt-sim", kept), bearer)
	if status != 400 || !strings.Contains(body, `"Additional properties are not allowed ('reasoning_details' was unexpected) - 'messages.1'"`) {
		t.Errorf("OpenAI's path: %d %s", status, body)
	}
}
