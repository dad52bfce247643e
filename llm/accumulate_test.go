package llm

import "testing"

func TestAccumulator(t *testing.T) {
	var a Accumulator
	chunks := []Chunk{
		{ID: "c1", Model: "m", Created: 5, Choices: []ChunkChoice{{Delta: Delta{Role: RoleAssistant, Content: "Hel"}}}},
		{ID: "c1", Choices: []ChunkChoice{{Delta: Delta{Content: "lo", ToolCalls: []ToolCallDelta{{Index: 0, ID: "call_1", Type: "function", Name: "f", Arguments: `{"a"`}}}}}},
		{ID: "c1", Choices: []ChunkChoice{{Delta: Delta{ToolCalls: []ToolCallDelta{{Index: 0, Arguments: `:1}`}, {Index: 1, ID: "call_2", Name: "g", Arguments: `{}`}}}}}},
		{ID: "c1", Choices: []ChunkChoice{{FinishReason: FinishToolCalls}}},
		{ID: "c1", Usage: &Usage{PromptTokens: 3, CompletionTokens: 4, TotalTokens: 7, CachedPromptTokens: 1}},
	}
	for i := range chunks {
		a.Add(&chunks[i])
	}
	r := a.Response()
	if r.ID != "c1" || r.Model != "m" || r.Created != 5 || len(r.Choices) != 1 {
		t.Fatalf("response %+v", r)
	}
	m := r.Choices[0].Message
	if m.Text() != "Hello" || r.Choices[0].FinishReason != FinishToolCalls || m.Role != RoleAssistant {
		t.Errorf("choice %+v", r.Choices[0])
	}
	if len(m.ToolCalls) != 2 || m.ToolCalls[0].Arguments != `{"a":1}` || m.ToolCalls[1].Name != "g" || m.ToolCalls[0].Type != "function" {
		t.Errorf("tool calls %+v", m.ToolCalls)
	}
	if r.Usage == nil || r.Usage.TotalTokens != 7 || r.Usage.CachedPromptTokens != 1 {
		t.Errorf("usage %+v", r.Usage)
	}
}
