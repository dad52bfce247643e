package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// deepSeekResponse is a DeepSeek thinking-mode answer that calls a tool,
// in the shape of its API reference (reasoning_content beside content).
const deepSeekResponse = `{"id":"930c60df-bf64-41c9-a88e-3ec75f81e00e","object":"chat.completion","created":1705651092,"model":"deepseek-reasoner",` +
	`"choices":[{"index":0,"message":{"role":"assistant","content":"","reasoning_content":"The user wants the weather.\nI should call get_weather.",` +
	`"tool_calls":[{"index":0,"id":"call_00_abc","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},` +
	`"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":16,"completion_tokens":30,"total_tokens":46,` +
	`"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":12},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":16},` +
	`"system_fingerprint":"fp_a1b2c3d4e5_prod0820_fp8_kvcache"}`

// deepSeekChunks are the first two chunks of DeepSeek's streamed thinking:
// the role with an empty reasoning_content, then a piece of reasoning.
var deepSeekChunks = []string{
	`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]}`,
	`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"Okay, \"weather\""},"logprobs":null,"finish_reason":null}]}`,
}

// deepSeekToolLoop is a Chat Completions client's tool loop in DeepSeek's
// request shape: the assistant turn carries its reasoning_content.
const deepSeekToolLoop = `{"model":"deepseek-reasoner","messages":[{"role":"user","content":"Weather in Oslo?"},` +
	`{"role":"assistant","content":null,"reasoning_content":"I should call get_weather.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},` +
	`{"role":"tool","tool_call_id":"call_1","content":"4C"}]}`

func TestDecodeReasoningContent(t *testing.T) {
	r, err := DecodeChatResponse([]byte(deepSeekResponse))
	if err != nil {
		t.Fatal(err)
	}
	m := &r.Choices[0].Message
	if th := m.Thinking(); len(th) != 1 || th[0] != (llm.Thinking{Text: "The user wants the weather.\nI should call get_weather."}) {
		t.Errorf("thinking %+v", th)
	}
	if len(m.ToolCalls()) != 1 || r.Usage.ReasoningTokens != 12 {
		t.Errorf("calls %+v, usage %+v", m.ToolCalls(), r.Usage)
	}
	for _, tc := range []struct{ message, want string }{
		{`{"content":"a","reasoning":"by reasoning"}`, "by reasoning"},
		{`{"content":"a","reasoning":"r","reasoning_content":"rc"}`, "rc"},
		{`{"content":"a","reasoning_content":"rc","reasoning":"r"}`, "rc"},
		{`{"content":"a","reasoning_content":"","reasoning":null}`, ""},
		{`{"content":"a","reasoning":{"summary":"x"}}`, ""},
	} {
		r, err := DecodeChatResponse([]byte(`{"choices":[{"message":` + tc.message + `}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := ReasoningText(&r.Choices[0].Message); got != tc.want {
			t.Errorf("%s: thinking %q, want %q", tc.message, got, tc.want)
		}
	}
}

func TestDecodeReasoningDelta(t *testing.T) {
	first, err := DecodeChunk([]byte(deepSeekChunks[0]))
	if err != nil {
		t.Fatal(err)
	}
	if d := first.Choices[0].Delta; d.Role != llm.RoleAssistant || d.Thinking != nil {
		t.Errorf("first delta %+v: want the role and no thinking (it is empty)", d)
	}
	next, err := DecodeChunk([]byte(deepSeekChunks[1]))
	if err != nil {
		t.Fatal(err)
	}
	if d := next.Choices[0].Delta; d.Thinking == nil || d.Thinking.Text != `Okay, "weather"` || d.Content != "" {
		t.Errorf("delta %+v", d)
	}
	groq, err := DecodeChunk([]byte(`{"id":"c","choices":[{"index":0,"delta":{"reasoning":"step"}}]}`))
	if err != nil || groq.Choices[0].Delta.Thinking == nil || groq.Choices[0].Delta.Thinking.Text != "step" {
		t.Errorf("reasoning delta: %+v (%v)", groq, err)
	}
}

// A Chat Completions client gets thinking as DeepSeek writes it:
// reasoning_content on the message and on each delta (content null
// beside it when the delta has no text).
func TestAppendReasoningContent(t *testing.T) {
	r, err := DecodeChatResponse([]byte(deepSeekResponse))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Choices []struct {
			Message map[string]json.RawMessage `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(AppendChatResponse(nil, r), &out); err != nil {
		t.Fatal(err)
	}
	if got := string(out.Choices[0].Message["reasoning_content"]); got != `"The user wants the weather.\nI should call get_weather."` {
		t.Errorf("message reasoning_content %s", got)
	}
	c, err := DecodeChunk([]byte(deepSeekChunks[1]))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(AppendChunk(nil, c)); !strings.Contains(got, `"delta":{"content":null,"reasoning_content":"Okay, \"weather\""}`) {
		t.Errorf("chunk %s", got)
	}
	plain := &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "hi"}}}}
	if got := string(AppendChunk(nil, plain)); strings.Contains(got, "reasoning") {
		t.Errorf("a delta without thinking: %s", got)
	}
}

// A client's reasoning_content on an assistant message is its thinking,
// sent on to a host that wants it (and to no other); an assistant message
// without any gets "" there.
func TestReasoningContentSentBack(t *testing.T) {
	req, err := DecodeChatRequest([]byte(deepSeekToolLoop))
	if err != nil {
		t.Fatal(err)
	}
	if got := ReasoningText(&req.Messages[1]); got != "I should call get_weather." {
		t.Fatalf("assistant thinking %q", got)
	}
	plain, err := EncodeChatRequest(req)
	if err != nil || strings.Contains(string(plain), "reasoning_content") {
		t.Errorf("without the option: %s (%v)", plain, err)
	}
	req.Messages = append(req.Messages, llm.TextMessage(llm.RoleAssistant, "4 degrees."), llm.TextMessage(llm.RoleUser, "Thanks"))
	body, err := EncodeChatRequestWith(req, ChatOptions{ReasoningContent: true})
	if err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Messages []map[string]json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal(body, &sent); err != nil {
		t.Fatal(err)
	}
	want := []string{"", `"I should call get_weather."`, "", `""`, ""}
	for i, m := range sent.Messages {
		if got := string(m["reasoning_content"]); got != want[i] {
			t.Errorf("message %d reasoning_content %s, want %s", i, got, want[i])
		}
	}
}

func TestDeepSeekThinking(t *testing.T) {
	for _, tc := range []struct {
		model, thinking string
		want            bool
	}{
		{"deepseek-reasoner", "", true},
		{"deepseek-v4-pro", "", true},
		{"deepseek/deepseek-v4-flash", "", true},
		{"DeepSeek-Reasoner", "", true},
		{"deepseek-v4-pro", `{"type":"disabled"}`, false},
		{"deepseek-chat", "", false},
		{"deepseek-chat", `{"type":"enabled"}`, true},
		{"deepseek-chat", `{"type": "disabled"}`, false},
		{"gpt-4.1", `{"type":"enabled"}`, false},
		{"qwen3-235b", "", false},
	} {
		req := &llm.Request{Model: tc.model}
		if tc.thinking != "" {
			req.Extra = map[string]json.RawMessage{"thinking": json.RawMessage(tc.thinking)}
		}
		if got := DeepSeekThinking(req); got != tc.want {
			t.Errorf("%s %s: %v, want %v", tc.model, tc.thinking, got, tc.want)
		}
	}
}

// A deployment's reasoning_content setting overrides the model id's rule.
func TestSendsReasoningContent(t *testing.T) {
	for _, tc := range []struct {
		model   string
		setting llm.ReasoningContent
		want    bool
	}{
		{"deepseek-reasoner", llm.ReasoningContentAuto, true},
		{"deepseek-reasoner", llm.ReasoningContentOmit, false},
		{"kimi-k2-thinking", llm.ReasoningContentAuto, true},
		{"kimi-k2-thinking-turbo", llm.ReasoningContentAuto, true},
		{"kimi-k2.5", llm.ReasoningContentAuto, true},
		{"Pro/moonshotai/Kimi-K2.5", llm.ReasoningContentAuto, true},
		{"moonshotai/kimi-k2.6", llm.ReasoningContentAuto, true},
		{"kimi-k2.5", llm.ReasoningContentOmit, false},
		{"kimi-k2-0905-preview", llm.ReasoningContentAuto, false},
		{"kimi-k2-instruct", llm.ReasoningContentAuto, false},
		{"kimi-latest", llm.ReasoningContentAuto, false},
		{"moonshot-v1-8k", llm.ReasoningContentAuto, false},
	} {
		if got := SendsReasoningContent(&llm.Request{Model: tc.model, ReasoningContent: tc.setting}); got != tc.want {
			t.Errorf("%s %q: %v, want %v", tc.model, tc.setting, got, tc.want)
		}
	}
}

// A Kimi K2.5 request that turns thinking off (thinking {"type":
// "disabled"}, as Moonshot takes it) is not sent reasoning_content.
func TestKimiThinkingDisabled(t *testing.T) {
	req := &llm.Request{Model: "kimi-k2.5", Extra: map[string]json.RawMessage{"thinking": json.RawMessage(`{"type":"disabled"}`)}}
	if SendsReasoningContent(req) {
		t.Error("thinking disabled: reasoning_content sent")
	}
	req.Extra["thinking"] = json.RawMessage(`{"type":"enabled"}`)
	if !SendsReasoningContent(req) {
		t.Error("thinking enabled: reasoning_content not sent")
	}
}
