package llm

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestAccumulateBlocks checks that a stream's provider blocks land in the
// accumulated message at their place (the text and tool calls before
// each), whole, and that a pause is kept.
func TestAccumulateBlocks(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	block := func(bd BlockDelta) Delta { return Delta{Output: &OutputDelta{Block: &bd}} }
	deltas := []Delta{
		{Role: RoleAssistant, Content: "Let me look. "},
		block(BlockDelta{Index: 0, Start: raw(`{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}`)}),
		block(BlockDelta{Index: 0, Input: `{"query":`}),
		block(BlockDelta{Index: 0, Input: `"go"}`, Whole: raw(`{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"go"}}`)}),
		block(BlockDelta{Index: 1, Start: raw(`{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}`),
			Whole: raw(`{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}`)}),
		{Content: "Found it."},
		{ToolCalls: []ToolCallDelta{{Index: 0, ID: "toolu_1", Name: "f", Arguments: "{}"}}},
		block(BlockDelta{Index: 3, Start: raw(`{"type":"gap"}`)}), // a gap: not trusted
		block(BlockDelta{Index: 2, Start: raw(`{"type":"late"}`)}),
	}
	var a Accumulator
	for _, d := range deltas {
		a.Add(&Chunk{ID: "m", Choices: []ChunkChoice{{Delta: d}}})
	}
	a.Add(&Chunk{ID: "m", Choices: []ChunkChoice{{FinishReason: FinishStop, Stop: &FinishDetails{Paused: true}}}})
	resp := a.Response()
	m := resp.Choices[0].Message
	want := []Block{
		{Raw: raw(`{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"go"}}`), At: 13},
		{Raw: raw(`{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}`), At: 13},
		{Raw: raw(`{"type":"late"}`), At: 22, Calls: 1},
	}
	if got := m.Blocks(); !reflect.DeepEqual(got, want) {
		t.Errorf("blocks:\n got %s\nwant %s", blocksString(got), blocksString(want))
	}
	if m.Text() != "Let me look. Found it." || len(m.ToolCalls()) != 1 {
		t.Errorf("text %q, calls %+v", m.Text(), m.ToolCalls())
	}
	if !resp.Choices[0].Paused {
		t.Error("the pause was lost")
	}
}

func blocksString(bs []Block) string {
	b, _ := json.Marshal(bs)
	return string(b)
}

// TestAnthropicServerTools checks what makes a request one only Claude
// can serve.
func TestAnthropicServerTools(t *testing.T) {
	fn := Tool{Type: "function", Name: "f"}
	server := Tool{Name: "web_search", Anthropic: &AnthropicToolOptions{Server: json.RawMessage(`{"type":"web_search_20250305","name":"web_search"}`)}}
	var withBlock Message
	withBlock.SetBlocks([]Block{{Raw: json.RawMessage(`{"type":"server_tool_use"}`)}})
	for _, tt := range []struct {
		name string
		req  Request
		want bool
	}{
		{"plain", Request{Tools: []Tool{fn}, Messages: []Message{TextMessage(RoleUser, "hi")}}, false},
		{"deferred function", Request{Tools: []Tool{{Name: "g", Anthropic: &AnthropicToolOptions{DeferLoading: new(bool)}}}}, false},
		{"server tool", Request{Tools: []Tool{fn, server}}, true},
		{"block in history", Request{Messages: []Message{withBlock}}, true},
		{"container", Request{AnthropicContainer: json.RawMessage(`"container_1"`)}, true},
	} {
		if got := tt.req.AnthropicServerTools(); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	u := Usage{WebSearchRequests: 1}
	u.Add(Usage{WebSearchRequests: 2, WebFetchRequests: 1})
	if u.WebSearchRequests != 3 || u.WebFetchRequests != 1 {
		t.Errorf("usage add: %+v", u)
	}
}

// TestWebSearchCost checks that a web search costs $0.01 over the tokens,
// and a web fetch nothing more.
func TestWebSearchCost(t *testing.T) {
	d := Deployment{InputPricePerM: 3, OutputPricePerM: 15}
	tokens := d.Cost(Usage{PromptTokens: 1000, CompletionTokens: 100})
	if got := d.Cost(Usage{PromptTokens: 1000, CompletionTokens: 100, WebSearchRequests: 2, WebFetchRequests: 3}); got != RoundUSD(tokens+0.02) {
		t.Errorf("two searches and three fetches: $%v, want $%v", got, RoundUSD(tokens+0.02))
	}
}

// TestBlocksPromptTokens checks that a conversation's provider blocks and
// a server tool's declaration count in the prompt's estimate.
func TestBlocksPromptTokens(t *testing.T) {
	count := func(s string) int { return len(s) }
	var m Message
	m.Role = RoleAssistant
	req := Request{Messages: []Message{m}}
	before := PromptTokens(&req, count)
	req.Messages[0].SetBlocks([]Block{{Raw: json.RawMessage(`{"type":"web_search_tool_result","content":"` + string(make([]byte, 396)) + `"}`)}})
	req.Tools = []Tool{{Name: "web_search", Anthropic: &AnthropicToolOptions{Server: json.RawMessage(`{"type":"web_search_20250305","name":"web_search"}`)}}}
	if got := PromptTokens(&req, count) - before; got < 110+TokensPerTool+10 {
		t.Errorf("blocks and a server tool add %d tokens; want their raw bytes' quarter", got)
	}
}
