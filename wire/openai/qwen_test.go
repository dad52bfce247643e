package openai

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

func TestQwenModeOf(t *testing.T) {
	for _, tt := range []struct {
		model string
		want  QwenMode
	}{
		{"qwen3-32b", QwenThinksByDefault},
		{"Qwen/Qwen3-8B", QwenThinksByDefault},
		{"qwen3-0.6b", QwenThinksByDefault},
		{"qwen/qwen3-235b-a22b", QwenThinksByDefault},
		{"qwen3-30b-a3b", QwenThinksByDefault},
		{"qwen3.5-plus", QwenThinksByDefault},
		{"Qwen/Qwen3.6-35B-A3B", QwenThinksByDefault},
		{"qwen-plus", QwenThinksWhenAsked},
		{"qwen-plus-latest", QwenThinksWhenAsked},
		{"qwen-flash", QwenThinksWhenAsked},
		{"qwen-turbo", QwenThinksWhenAsked},
		{"qwen3-max", QwenThinksWhenAsked},
		{"qwen3-max-preview", QwenThinksWhenAsked},
		{"qwen3-vl-plus", QwenThinksWhenAsked},
		{"qwq-plus", QwenThinksAlways},
		{"Qwen/QwQ-32B", QwenThinksAlways},
		{"qwen3-235b-a22b-thinking-2507", QwenThinksAlways},
		{"Qwen/Qwen3-30B-A3B-Thinking-2507", QwenThinksAlways},
		{"qwen3-vl-235b-a22b-thinking", QwenThinksAlways},
		{"qwen3-235b-a22b-instruct-2507", QwenNoThinking},
		{"Qwen/Qwen3-Coder-480B-A35B-Instruct", QwenNoThinking},
		{"qwen3-coder-plus", QwenNoThinking},
		{"qwen2.5-72b-instruct", QwenNoThinking},
		{"qwen-max", QwenNoThinking},
		{"deepseek-reasoner", QwenNoThinking},
		{"gpt-4o", QwenNoThinking},
	} {
		if got := QwenModeOf(tt.model); got != tt.want {
			t.Errorf("QwenModeOf(%q) = %d, want %d", tt.model, got, tt.want)
		}
	}
}

// TestSetQwenThinking: what a Qwen model's request is sent, by the host's
// switch, the model's mode, the reasoning asked and streaming; the
// reasoning_effort is never sent to such a host.
func TestSetQwenThinking(t *testing.T) {
	effort := func(e llm.Effort) *llm.Reasoning { return &llm.Reasoning{Effort: e} }
	for _, tt := range []struct {
		name   string
		model  string
		sw     ThinkingSwitch
		r      *llm.Reasoning
		stream bool
		extra  map[string]string
		want   map[string]string // the Extra members written; nil: none
	}{
		{"dashscope default streamed", "qwen3-32b", SwitchEnableThinking, nil, true, nil, nil},
		{"dashscope default not streamed", "qwen3-32b", SwitchEnableThinking, nil, false, nil, map[string]string{"enable_thinking": "false"}},
		{"dashscope hybrid off not streamed", "qwen-plus", SwitchEnableThinking, nil, false, nil, map[string]string{"enable_thinking": "false"}},
		{"dashscope effort high", "qwen-plus", SwitchEnableThinking, effort(llm.EffortHigh), true, nil,
			map[string]string{"enable_thinking": "true", "thinking_budget": "16384"}},
		{"dashscope budget", "Qwen/Qwen3-8B", SwitchEnableThinking, &llm.Reasoning{BudgetTokens: 3000}, true, nil,
			map[string]string{"enable_thinking": "true", "thinking_budget": "3000"}},
		{"dashscope adaptive", "qwen3-32b", SwitchEnableThinking, &llm.Reasoning{Adaptive: true}, true, nil,
			map[string]string{"enable_thinking": "true"}},
		{"dashscope effort none", "qwen3-32b", SwitchEnableThinking, effort(llm.EffortNone), true, nil,
			map[string]string{"enable_thinking": "false"}},
		{"dashscope effort not streamed", "qwen3-32b", SwitchEnableThinking, effort(llm.EffortLow), false, nil,
			map[string]string{"enable_thinking": "false"}},
		{"dashscope thinking-only effort", "qwen3-235b-a22b-thinking-2507", SwitchEnableThinking, effort(llm.EffortLow), true, nil,
			map[string]string{"thinking_budget": "2048"}},
		{"dashscope thinking-only none", "qwq-plus", SwitchEnableThinking, effort(llm.EffortNone), true, nil, nil},
		{"dashscope client's own switch", "qwen3-32b", SwitchEnableThinking, effort(llm.EffortHigh), false,
			map[string]string{"enable_thinking": "true"}, map[string]string{"enable_thinking": "true"}},
		{"dashscope client's own budget", "qwen3-32b", SwitchEnableThinking, effort(llm.EffortHigh), true,
			map[string]string{"thinking_budget": "100"}, map[string]string{"enable_thinking": "true", "thinking_budget": "100"}},
		{"vllm effort", "Qwen/Qwen3-8B", SwitchChatTemplate, effort(llm.EffortMedium), false, nil,
			map[string]string{"chat_template_kwargs": `{"enable_thinking":true}`}},
		{"vllm none kept kwargs", "Qwen/Qwen3-8B", SwitchChatTemplate, effort(llm.EffortNone), true,
			map[string]string{"chat_template_kwargs": `{"foo":1}`}, map[string]string{"chat_template_kwargs": `{"enable_thinking":false,"foo":1}`}},
		{"vllm default", "Qwen/Qwen3-8B", SwitchChatTemplate, nil, false, nil, nil},
		{"vllm thinking-only", "Qwen/QwQ-32B", SwitchChatTemplate, effort(llm.EffortHigh), true, nil, nil},
		{"no switch", "qwen3-32b", SwitchNone, effort(llm.EffortHigh), false, nil, nil},
		{"not qwen", "gpt-5", SwitchEnableThinking, effort(llm.EffortHigh), false, nil, nil},
	} {
		req := &llm.Request{Model: tt.model, Reasoning: tt.r, Stream: tt.stream}
		if tt.extra != nil {
			req.Extra = map[string]json.RawMessage{}
			for k, v := range tt.extra {
				req.Extra[k] = json.RawMessage(v)
			}
		}
		orig, own := req.Extra, clientSwitched(req, tt.sw)
		SetQwenThinking(req, tt.sw)
		got := map[string]string{}
		for k, v := range req.Extra {
			got[k] = string(v)
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: extra %v, want %v", tt.name, got, tt.want)
			continue
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("%s: %s = %s, want %s", tt.name, k, got[k], v)
			}
		}
		sent := tt.sw != SwitchNone && QwenModeOf(tt.model) != QwenNoThinking && !own
		if sent && req.Reasoning != nil {
			t.Errorf("%s: reasoning %+v left for reasoning_effort", tt.name, req.Reasoning)
		}
		if !sent && req.Reasoning != tt.r {
			t.Errorf("%s: reasoning changed", tt.name)
		}
		if len(orig) > 0 && len(orig) != len(tt.extra) {
			t.Errorf("%s: the client's Extra was written into", tt.name)
		}
	}
}

// TestQwenThinkingEncoded: the switch is written in the request body.
func TestQwenThinkingEncoded(t *testing.T) {
	req := &llm.Request{Model: "qwen3-32b", Stream: true, Reasoning: &llm.Reasoning{Effort: llm.EffortLow},
		Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}
	SetQwenThinking(req, SwitchEnableThinking)
	body, err := EncodeChatRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if string(m["enable_thinking"]) != "true" || string(m["thinking_budget"]) != "2048" {
		t.Errorf("body %s: want enable_thinking true, thinking_budget 2048", body)
	}
	if _, ok := m["reasoning_effort"]; ok {
		t.Errorf("body %s: reasoning_effort sent", body)
	}
}

// FuzzSetQwenThinking: whatever a client sent as chat_template_kwargs or
// enable_thinking, the switch written is valid JSON and nothing panics.
func FuzzSetQwenThinking(f *testing.F) {
	f.Add(`{"foo":1}`, "true", true)
	f.Add(`null`, "", false)
	f.Add(`[1,2]`, "false", true)
	f.Add(`{"enable_thinking":false}`, "", true)
	f.Add(`{"a":{"b":[1,{"c":null}]},"d":"\u00e9"}`, "", false)
	f.Add(`{`, "1", true)
	f.Fuzz(func(t *testing.T, kwargs, enable string, chatTemplate bool) {
		sw := SwitchEnableThinking
		if chatTemplate {
			sw = SwitchChatTemplate
		}
		req := &llm.Request{Model: "qwen3-32b", Reasoning: &llm.Reasoning{Effort: llm.EffortLow}, Extra: map[string]json.RawMessage{}}
		if json.Valid([]byte(kwargs)) {
			req.Extra[ExtraChatTemplateKwargs] = json.RawMessage(kwargs)
		}
		if enable != "" && json.Valid([]byte(enable)) {
			req.Extra[ExtraEnableThinking] = json.RawMessage(enable)
		}
		SetQwenThinking(req, sw)
		for k, v := range req.Extra {
			if !json.Valid(v) {
				t.Fatalf("%s = %q is not JSON", k, v)
			}
		}
	})
}
