package openai

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// A Qwen model's request is sent its thinking switch where the host takes
// one: streamed (every chat call) as asked, not streamed (a batch line)
// with thinking off on DashScope, which refuses it on; never
// reasoning_effort.
func TestEncodeChatQwenThinking(t *testing.T) {
	for _, tt := range []struct {
		name, sw       string
		stream         bool
		effort         llm.Effort
		enable, budget string
		kwargs         string
	}{
		{"dashscope streamed", "enable_thinking", true, llm.EffortHigh, "true", "16384", ""},
		{"dashscope batch line", "enable_thinking", false, llm.EffortHigh, "false", "", ""},
		{"dashscope batch line default", "enable_thinking", false, "", "false", "", ""},
		{"vllm", "chat_template_kwargs", false, llm.EffortLow, "", "", `{"enable_thinking":true}`},
		{"unset", "", true, llm.EffortLow, "", "", ""},
	} {
		c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: "http://127.0.0.1:9/v1", APIKey: "k", ThinkingSwitch: tt.sw})
		if err != nil {
			t.Fatal(err)
		}
		req := &llm.Request{Model: "qwen3-32b", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}
		if tt.effort != "" {
			req.Reasoning = &llm.Reasoning{Effort: tt.effort}
		}
		body, err := c.encodeChat(req, tt.stream)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		_, effort := m["reasoning_effort"]
		if string(m["enable_thinking"]) != tt.enable || string(m["thinking_budget"]) != tt.budget || string(m["chat_template_kwargs"]) != tt.kwargs ||
			effort != (tt.sw == "" && tt.effort != "") {
			t.Errorf("%s: body %s", tt.name, body)
		}
		if req.Reasoning == nil && tt.effort != "" {
			t.Errorf("%s: the caller's request was changed", tt.name)
		}
	}
}
