package responses

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// signedCallChunk is a call's first delta carrying the signature model
// made.
func signedCallChunk(id, sig, model string) *llm.Chunk {
	return &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, ID: id, Name: "f", Arguments: "{}", Signature: sig, SignatureModel: model}}}}}}
}

// turnSentBack decodes a turn that sends items back after a user
// message, with the call's result, and returns its assistant turn.
func turnSentBack(t *testing.T, sl *Sealer, items []Item) llm.Message {
	t.Helper()
	input := []any{map[string]any{"role": "user", "content": "weather?"}}
	for _, it := range items {
		switch it.Type {
		case ItemReasoning:
			input = append(input, map[string]any{"type": "reasoning", "id": it.ID, "summary": []any{}, "encrypted_content": it.Encrypted})
		case ItemFunctionCall:
			input = append(input, map[string]any{"type": "function_call", "call_id": it.CallID, "name": it.Name, "arguments": "{}"})
		}
	}
	input = append(input, map[string]any{"type": "function_call_output", "call_id": "call_1", "output": "18C"})
	body, _ := json.Marshal(map[string]any{"model": "m", "input": input})
	for _, m := range decodeSealed(t, string(body), sl).Chat.Messages {
		if m.Role == llm.RoleAssistant {
			return m
		}
	}
	t.Fatalf("no assistant turn in %s", body)
	return llm.Message{}
}

// A Gemini call's signature rides the reasoning item, streamed and
// complete, with thinking before it or none: sent back, the item puts it
// on its call with the model that made it, and no block of it stays in
// the turn's thinking. Without a sealer (no key), or reasoning not
// asked, no item carries it.
func TestReasoningItemCarriesCallSignature(t *testing.T) {
	sl := testSealer(t, 1, "acme")
	for _, thought := range []bool{true, false} {
		var chunks []*llm.Chunk
		msg := llm.Message{Role: llm.RoleAssistant}
		if thought {
			chunks = append(chunks, thinkingChunk(0, "Weighing the city.", "", ""))
			msg.SetThinking([]llm.Thinking{{Text: "Weighing the city."}})
		}
		chunks = append(chunks, signedCallChunk("call_1", "c2ln", "gemini-3-pro-preview"), finishChunk(llm.FinishToolCalls))
		msg.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "f", Arguments: "{}", Signature: "c2ln", SignatureModel: "gemini-3-pro-preview"}})
		_, streamed := streamSealed(t, reasoningBody, sl, chunks...)
		complete := OutputOf(decodeSealed(t, reasoningBody, sl), &llm.Response{Choices: []llm.Choice{{Message: msg, FinishReason: llm.FinishToolCalls}}}, IDs{Base: "b"})
		for name, out := range map[string]Output{"streamed": streamed, "complete": complete} {
			if len(out.Items) != 2 || out.Items[0].Type != ItemReasoning || out.Items[0].Encrypted == "" {
				t.Fatalf("thought %v, %s: items %+v", thought, name, out.Items)
			}
			if thought != (len(out.Items[0].Summary) == 1) {
				t.Errorf("thought %v, %s: summary %v", thought, name, out.Items[0].Summary)
			}
			m := turnSentBack(t, sl, out.Items)
			if tc := m.ToolCalls()[0]; tc.Signature != "c2ln" || tc.SignatureModel != "gemini-3-pro-preview" {
				t.Errorf("thought %v, %s: the call sent back %+v", thought, name, tc)
			}
			for _, b := range m.Thinking() {
				if _, _, _, ok := b.GeminiSignature(); ok || b.Text != "Weighing the city." {
					t.Errorf("thought %v, %s: the turn's thinking %+v", thought, name, m.Thinking())
				}
			}
		}
	}
	for _, c := range []struct {
		body string
		sl   *Sealer
	}{{reasoningBody, nil}, {`{"model":"m","input":"hi","include":["reasoning.encrypted_content"]}`, sl}} {
		_, out := streamSealed(t, c.body, c.sl, signedCallChunk("call_1", "c2ln", "gemini-3-pro-preview"), finishChunk(llm.FinishToolCalls))
		if len(out.Items) != 1 || out.Items[0].Type != ItemFunctionCall {
			t.Errorf("%s, sealer %v: items %+v", c.body, c.sl != nil, out.Items)
		}
	}
}
