package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestEncodeChatRequestSizesBodyOnce checks that the upstream body is
// allocated once (the estimate is not below the size, which would copy it
// on growth) and not much larger than it needs (each upstream attempt
// holds it until the upstream has read it; a flat per-message estimate
// made it 2.5× a conversation of short messages).
func TestEncodeChatRequestSizesBodyOnce(t *testing.T) {
	many := func(n int, m llm.Message) []llm.Message {
		ms := make([]llm.Message, n)
		for i := range ms {
			ms[i] = m
		}
		return ms
	}
	pairs := func(n int, a, b llm.Message) []llm.Message { // each call answered, as OpenAI takes them
		ms := make([]llm.Message, 0, 2*n)
		for range n {
			ms = append(ms, a, b)
		}
		return ms
	}
	parts := llm.Message{Role: llm.RoleUser, Content: []llm.Part{
		{Type: llm.PartText, Text: "what is in this picture?"},
		llm.ImagePart("https://example.com/cat.png", "low"),
	}}
	call := llm.Message{
		Role: llm.RoleAssistant,
		Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{
			{ID: "call_1", Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`},
		}},
	}
	answer := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "18C"}}, StringContent: true, Extra: &llm.MessageExtra{ToolCallID: "call_1"}}
	tests := []struct {
		name string
		req  *llm.Request
		// raw marks raw JSON, which json.Valid checks with a pooled
		// scanner that may allocate (always under -race): only the
		// capacity is checked.
		raw bool
	}{
		{"short messages", &llm.Request{Model: "m", Messages: many(20_000, llm.TextMessage(llm.RoleUser, "hello"))}, false},
		{"one long message", &llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, strings.Repeat("lorem ipsum ", 50_000))}}, false},
		{"parts", &llm.Request{Model: "m", Messages: many(5_000, parts)}, false},
		{"tool calls", &llm.Request{Model: "m", Messages: pairs(2_500, call, answer)}, false},
		{"named, refusal", &llm.Request{Model: "m", Messages: many(5_000, llm.Message{
			Role:          llm.RoleAssistant,
			Content:       []llm.Part{{Type: llm.PartText, Text: "x"}},
			StringContent: true,
			Extra:         &llm.MessageExtra{Name: "bot", Refusal: "no"},
		})}, false},
		{"other parts", &llm.Request{Model: "m", Messages: many(5_000, llm.Message{
			Role: llm.RoleUser, Content: []llm.Part{llm.OtherPart(json.RawMessage(`{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}`))},
		})}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := EncodeChatRequest(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if limit := len(body) + len(body)/8 + 512; cap(body) > limit {
				t.Errorf("body of %d bytes has a capacity of %d (%.2f×); want at most %d", len(body), cap(body), float64(cap(body))/float64(len(body)), limit)
			}
			if tt.raw {
				return
			}
			allocs := testing.AllocsPerRun(2, func() {
				if _, err := EncodeChatRequest(tt.req); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 1 {
				t.Errorf("encoding took %v allocations; want 1 (the body, sized once)", allocs)
			}
		})
	}
}
