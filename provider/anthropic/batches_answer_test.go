package anthropic

import (
	"context"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/anthropic"
)

// RestoreAnswer gives a Message Batch's answer the client's property
// names back in its calls' arguments, and keeps Claude's thinking only
// for a client that shows it, with thinking on.
func TestBatchRestoreAnswer(t *testing.T) {
	f := newFixture(t, testKey)
	n := 4096
	req := &llm.Request{Model: testModel, MaxTokens: &n, Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "Save it"}}}},
		Tools: []llm.Tool{{Type: "function", Name: "save", Parameters: []byte(`{"type":"object","properties":{"file path":{"type":"string"}}}`)}}}
	answer := func() *llm.Response {
		resp := &llm.Response{Choices: []llm.Choice{{Message: llm.Message{Role: llm.RoleAssistant}}}}
		m := &resp.Choices[0].Message
		m.SetToolCalls([]llm.ToolCall{{ID: "toolu_1", Type: "function", Name: "save", Arguments: `{"` + wire.PropertyKey("file path") + `":"/tmp/a"}`}})
		m.SetThinking([]llm.Thinking{{Text: "hmm", Signature: "sig"}})
		return resp
	}
	resp := answer()
	f.c.RestoreAnswer(context.Background(), req, resp)
	m := resp.Choices[0].Message
	if calls := m.ToolCalls(); calls[0].Arguments != `{"file path":"/tmp/a"}` || len(m.Thinking()) != 0 {
		t.Errorf("restored %+v, thinking %+v (not shown)", calls, m.Thinking())
	}
	shown := *req
	shown.Reasoning = &llm.Reasoning{BudgetTokens: 2048, Show: true}
	resp = answer()
	f.c.RestoreAnswer(context.Background(), &shown, resp)
	if th := resp.Choices[0].Message.Thinking(); len(th) != 1 || th[0].Signature != "sig" {
		t.Errorf("thinking %+v, want it shown", th)
	}
}
