package anthropic

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"switchyard/llm"
)

func readResponse(t *testing.T, name string) *MessagesResponse {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var r MessagesResponse
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return &r
}

func TestToLLM(t *testing.T) {
	text := func(s string) []llm.Part { return []llm.Part{{Type: llm.PartText, Text: s}} }
	tests := []struct {
		file string
		want llm.Response
	}{
		{"response_text.json", llm.Response{ID: "msg_013Zva2CMHLNnXjNJJKqJ2EF", Model: "claude-opus-4-6",
			Choices: []llm.Choice{{Message: llm.Message{Role: llm.RoleAssistant, Content: text("Hi! My name is Claude."), StringContent: true}, FinishReason: llm.FinishStop}},
			Usage:   &llm.Usage{PromptTokens: 2095, CompletionTokens: 503, TotalTokens: 2598}}},
		{"response_tool_use.json", llm.Response{ID: "msg_01Aq9w938a90dw8q", Model: "claude-opus-4-6",
			Choices: []llm.Choice{{Message: llm.Message{
				Role:          llm.RoleAssistant,
				Content:       text("I'll check the current weather in San Francisco for you."),
				StringContent: true,
				Extra:         &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "toolu_01A09q90qw90lq917835lq9", Type: "function", Name: "get_weather", Arguments: `{"location": "San Francisco, CA", "unit": "celsius"}`}}},
			},
				FinishReason: llm.FinishToolCalls}},
			Usage: &llm.Usage{PromptTokens: 384, CompletionTokens: 71, TotalTokens: 455}}},
		{"response_cache.json", llm.Response{ID: "msg_01KGzPCnXsuDQbnxHTqCF1j7", Model: "claude-opus-4-6",
			Choices: []llm.Choice{{Message: llm.Message{Role: llm.RoleAssistant, Content: text("The main themes of Pride and Prejudice are..."), StringContent: true,
				Extra: &llm.MessageExtra{Thinking: []llm.Thinking{{Text: "Let me look at the book's themes.", Signature: "EqQBCgIYAhIM"}}}}, FinishReason: llm.FinishLength}},
			Usage:       &llm.Usage{PromptTokens: 21 + 188086, CompletionTokens: 393, TotalTokens: 21 + 188086 + 393, CacheWriteTokens: 188086, ReasoningTokens: 12, ServiceTier: llm.TierDefault},
			ServiceTier: llm.TierDefault}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := ToLLM(readResponse(t, tt.file))
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("ToLLM =\n%+v\nwant\n%+v", *got, tt.want)
			}
		})
	}
}

func TestToLLMToolOnly(t *testing.T) {
	stop := StopToolUse
	got := ToLLM(&MessagesResponse{ID: "msg_1", StopReason: &stop, Content: []ContentBlock{
		{Type: BlockThinking, Thinking: "hmm"},
		{Type: BlockToolUse, ID: "toolu_a", Name: "f"},
		{Type: "server_tool_use", Raw: json.RawMessage(`{"type":"server_tool_use"}`)},
		{Type: BlockToolUse, ID: "toolu_b", Name: "g", Input: json.RawMessage(`{"x":1}`)},
	}, Usage: Usage{InputTokens: 5, CacheReadInputTokens: 1024, OutputTokens: 9}})
	m := got.Choices[0].Message
	if m.Content != nil {
		t.Errorf("content = %+v, want nil for a tool-call-only answer", m.Content)
	}
	want := []llm.ToolCall{{ID: "toolu_a", Type: "function", Name: "f", Arguments: "{}"}, {ID: "toolu_b", Type: "function", Name: "g", Arguments: `{"x":1}`}}
	if !reflect.DeepEqual(m.ToolCalls(), want) {
		t.Errorf("tool calls = %+v, want %+v", m.ToolCalls(), want)
	}
	if th := m.Thinking(); len(th) != 1 || th[0].Text != "hmm" {
		t.Errorf("thinking = %+v, want the thinking block kept", th)
	}
	wantU := llm.Usage{PromptTokens: 1029, CompletionTokens: 9, TotalTokens: 1038, CachedPromptTokens: 1024}
	if *got.Usage != wantU {
		t.Errorf("usage = %+v, want %+v", *got.Usage, wantU)
	}
}

func TestFinishReason(t *testing.T) {
	for in, want := range map[string]llm.FinishReason{
		"end_turn": llm.FinishStop, "stop_sequence": llm.FinishStop, "pause_turn": llm.FinishStop,
		"max_tokens": llm.FinishLength, "tool_use": llm.FinishToolCalls, "refusal": llm.FinishContentFilter,
		"": llm.FinishStop, "compaction": llm.FinishStop, "model_context_window_exceeded": llm.FinishLength,
	} {
		if got := FinishReason(in); got != want {
			t.Errorf("FinishReason(%q) = %q, want %q", in, got, want)
		}
	}
	for _, f := range []llm.FinishReason{llm.FinishStop, llm.FinishLength, llm.FinishToolCalls, llm.FinishContentFilter} {
		if got := FinishReason(StopReason(f)); got != f {
			t.Errorf("round trip of %q gave %q", f, got)
		}
	}
}

func TestErrorTypes(t *testing.T) {
	tests := []struct {
		body      string
		kind      llm.ErrorKind
		status    int
		retryable bool
	}{
		{`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, llm.KindUnavailable, 529, true},
		{`{"type":"error","error":{"type":"rate_limit_error","message":"slow down"},"request_id":"req_1"}`, llm.KindRateLimit, 429, true},
		{`{"type":"error","error":{"type":"api_error","message":"Internal server error"}}`, llm.KindUpstream, 500, true},
		{`{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}`, llm.KindInvalidRequest, 400, false},
		{`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, llm.KindAuth, 401, false},
		{`{"type":"error","error":{"type":"not_found_error","message":"model: x"}}`, llm.KindNotFound, 404, false},
		{`{"type":"error","error":{"type":"timeout_error","message":"timeout"}}`, llm.KindTimeout, 504, true},
		{`{"type":"error","error":{"type":"brand_new_error","message":"?"}}`, llm.KindUpstream, 500, true},
	}
	for _, tt := range tests {
		obj, ok := ParseError([]byte(tt.body))
		if !ok {
			t.Fatalf("ParseError(%s) failed", tt.body)
		}
		e := obj.ToLLMError()
		if e.Kind != tt.kind || obj.Type.Status() != tt.status || e.Retryable != tt.retryable {
			t.Errorf("%s: kind %s status %d retryable %v; want %s %d %v", obj.Type, e.Kind, obj.Type.Status(), e.Retryable, tt.kind, tt.status, tt.retryable)
		}
		if ErrorTypeFor(tt.kind).Kind() != tt.kind && obj.Type != "brand_new_error" {
			t.Errorf("ErrorTypeFor(%s) does not map back", tt.kind)
		}
	}
	for _, bad := range []string{``, `{}`, `{"error":"x"}`, `<html>`, `{"type":"error","error":{"message":"no type"}}`} {
		if _, ok := ParseError([]byte(bad)); ok {
			t.Errorf("ParseError(%q) accepted a non-Anthropic body", bad)
		}
	}
}
