package gemini

import (
	"context"
	"net/http/httptest"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/sim"
	simgemini "switchyard/sim/gemini"
)

// TestToolResultWithRefReachesGemini3: a tool whose result is a JSON
// Schema (an MCP tool describing another, say) holds "$ref" keys, which
// Gemini 3 takes for references to parts of the function response and
// refuses; through the real adapter against the simulator, which refuses
// as Gemini does, the tool loop is answered.
func TestToolResultWithRefReachesGemini3(t *testing.T) {
	srv := httptest.NewServer(simgemini.New(sim.NewCatalog(sim.Profile{Model: "gemini-3-flash-preview", MaxOutputTokens: 65536, TokensPerSecond: 5000}), nil))
	t.Cleanup(srv.Close)
	c := newClient(t, srv, testKey)
	req := &llm.Request{Model: "gemini-3-flash-preview", Messages: []llm.Message{
		llm.TextMessage(llm.RoleUser, "Describe the fetch tool."),
		{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "call_1", Type: "function", Name: "describe", Arguments: `{"tool":"fetch"}`}}}},
		{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"type":"object","properties":{"cookies":{"$ref":"#/$defs/Cookie"}},"$defs":{"Cookie":{"type":"string"}}}`}},
			Extra: &llm.MessageExtra{ToolCallID: "call_1"}},
	}, Tools: []llm.Tool{{Type: "function", Name: "describe", Parameters: []byte(`{"type":"object"}`)}}}
	if _, err := llmtest.Complete(context.Background(), c, req); err != nil {
		t.Fatal(err)
	}
}
