package anthropic

import (
	"context"
	"testing"

	"switchyard/llm"
	"switchyard/provider/thinking"
)

// A thinking answer that calls a tool leaves its thinking in the memory
// under the call's id, in the request's scope, whether or not the client
// shows thinking; the stream carries thinking only to a client that
// shows it.
func TestThinkingKeptForToolLoop(t *testing.T) {
	f := newFixture(t, testKey)
	mem := thinking.New(0, 0)
	f.c.thoughts = mem
	for _, show := range []bool{false, true} {
		req := chatReq("Call get_weather for Oslo, please.")
		req.Tools = []llm.Tool{{Type: "function", Name: "get_weather", Parameters: []byte(`{"type":"object"}`)}}
		req.Reasoning = &llm.Reasoning{Effort: llm.EffortLow, Show: show}
		s, err := f.c.Stream(thinking.WithScope(context.Background(), "acme"), req)
		if err != nil {
			t.Fatal(err)
		}
		thoughtChunks, callID := 0, ""
		for {
			ch, err := s.Next()
			if err != nil {
				break
			}
			for _, c := range ch.Choices {
				if c.Delta.Thinking != nil {
					thoughtChunks++
				}
				for _, tc := range c.Delta.ToolCalls {
					if tc.ID != "" {
						callID = tc.ID
					}
				}
			}
		}
		s.Close()
		if callID == "" {
			t.Fatalf("show %v: no tool call", show)
		}
		if show != (thoughtChunks > 0) {
			t.Errorf("show %v: %d thinking chunks", show, thoughtChunks)
		}
		a := llm.Message{Role: llm.RoleAssistant}
		a.SetToolCalls([]llm.ToolCall{{ID: callID, Type: "function", Name: "get_weather", Arguments: "{}"}})
		res := llm.TextMessage(llm.RoleTool, "18C")
		res.SetToolCallID(callID)
		msgs := []llm.Message{req.Messages[0], a, res}
		got, ok := mem.Restore(context.Background(), "acme", msgs)
		if !ok || len(got[1].Thinking()) != 1 || got[1].Thinking()[0].Signature == "" || got[1].Thinking()[0].Text == "" {
			t.Errorf("show %v: restored %v %+v", show, ok, got[1].Thinking())
		}
		if _, ok := mem.Restore(context.Background(), "other", msgs); ok {
			t.Errorf("show %v: another scope restored the thinking", show)
		}
	}
}
