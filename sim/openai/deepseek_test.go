package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/sim"
)

const weatherTools = `"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]`

// A DeepSeek model in thinking mode writes its reasoning in
// reasoning_content, before the answer, complete and streamed.
func TestDeepSeekReasoningContent(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "deepseek-reasoner", Reasoning: true}, sim.Profile{Model: "deepseek-chat"}), nil))
	chat := url + "/v1/chat/completions"
	status, _, body := do(t, hc, "POST", chat, `{"model":"deepseek-reasoner","messages":[{"role":"user","content":"Use get_weather for Oslo"}],`+weatherTools+`}`, bearer)
	var resp struct {
		Choices []struct {
			Message struct {
				ReasoningContent string            `json:"reasoning_content"`
				ToolCalls        []json.RawMessage `json:"tool_calls"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || status != 200 || len(resp.Choices) != 1 {
		t.Fatalf("%d %s", status, body)
	}
	if m := resp.Choices[0].Message; m.ReasoningContent != `The user asks: "Use get_weather for Oslo". I should call get_weather.` || len(m.ToolCalls) != 1 {
		t.Errorf("message %+v", m)
	}
	_, _, stream := do(t, hc, "POST", chat, `{"model":"deepseek-reasoner","stream":true,"messages":[{"role":"user","content":"Hi"}]}`, bearer)
	first := strings.Index(stream, `"delta":{"role":"assistant","content":null,"reasoning_content":"The user asks: "}`)
	answer := strings.Index(stream, `"delta":{"content":"`)
	if first < 0 || answer < first || !strings.Contains(stream, `"delta":{"content":null,"reasoning_content":"I can answer directly."}`) {
		t.Errorf("stream %s", stream)
	}
	_, _, plain := do(t, hc, "POST", chat, `{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}]}`, bearer)
	if strings.Contains(plain, "reasoning_content") {
		t.Errorf("deepseek-chat without thinking: %s", plain)
	}
	_, _, enabled := do(t, hc, "POST", chat, `{"model":"deepseek-chat","thinking":{"type":"enabled"},"messages":[{"role":"user","content":"Hi"}]}`, bearer)
	if !strings.Contains(enabled, "reasoning_content") {
		t.Errorf("deepseek-chat with thinking enabled: %s", enabled)
	}
}

// A tool loop sent to a DeepSeek model in thinking mode without
// reasoning_content on an assistant message of a user turn that called
// tools is refused as DeepSeek refuses it; "" is taken; a turn that
// called no tools needs none.
func TestDeepSeekRefusesLoopWithoutReasoning(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "deepseek-reasoner"}, sim.Profile{Model: "gpt-sim"}), nil))
	chat := url + "/v1/chat/completions"
	loop := func(model, reasoning string) string {
		return `{"model":"` + model + `",` + weatherTools + `,"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},` +
			`{"role":"user","content":"Weather in Oslo?"},{"role":"assistant","content":null` + reasoning +
			`,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"4C"}]}`
	}
	status, _, body := do(t, hc, "POST", chat, loop("deepseek-reasoner", ""), bearer)
	const want = `{"error":{"message":"Missing ` + "`reasoning_content`" + ` field in the assistant message at message index 3. For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}` + "\n"
	if status != 400 || body != want {
		t.Errorf("%d %s\nwant %s", status, body, want)
	}
	for _, tc := range []struct{ model, reasoning string }{
		{"deepseek-reasoner", `,"reasoning_content":""`},
		{"deepseek-reasoner", `,"reasoning_content":"I should call get_weather."`},
		{"gpt-sim", ""},
	} {
		if status, _, body := do(t, hc, "POST", chat, loop(tc.model, tc.reasoning), bearer); status != 200 {
			t.Errorf("%s %s: %d %s", tc.model, tc.reasoning, status, body)
		}
	}
	if status, _, body := do(t, hc, "POST", chat, `{"model":"gpt-sim","thinking":{"type":"enabled"},"messages":[{"role":"user","content":"Hi"}]}`, bearer); status != 400 || !strings.Contains(body, "Unrecognized request argument supplied: thinking") {
		t.Errorf("thinking on an OpenAI model: %d %s", status, body)
	}
}
