package anthropic

import (
	"bytes"
	"errors"
	"testing"

	"switchyard/llm"
)

// The advisor tool and the toolsets are kept as written and make the
// request Claude's alone; their names are checked as the API does; the
// advisor's result in an assistant turn is kept in place.
func TestClaudeOnlyTools(t *testing.T) {
	body := `{"model":"claude-sonnet-4-6","max_tokens":50,"tools":[
		{"type":"advisor_20260301","name":"advisor","model":"claude-opus-4-8","max_uses":2},
		{"type":"browser_toolset_20260801","configs":{"javascript_exec":{"enabled":false}}},
		{"type":"computer_toolset_20260801","cache_control":{"type":"ephemeral"}}],
		"messages":[{"role":"user","content":"plan it"},{"role":"assistant","content":[
			{"type":"server_tool_use","id":"srvtoolu_1","name":"advisor","input":{}},
			{"type":"advisor_tool_result","tool_use_id":"srvtoolu_1","content":{"type":"advisor_result","text":"Do X."}},
			{"type":"text","text":"ok"}]},{"role":"user","content":"go"}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !req.AnthropicServerTools() || len(req.Tools) != 3 || req.Tools[1].Name != "browser_toolset_20260801" {
		t.Fatalf("Claude only %v, tools %v", req.AnthropicServerTools(), toolNames(req.Tools))
	}
	if blocks := req.Messages[1].Blocks(); len(blocks) != 2 {
		t.Fatalf("assistant blocks %d, want server_tool_use, advisor_tool_result", len(blocks))
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := out.MarshalJSON()
	for _, want := range []string{`"configs":{"javascript_exec":{"enabled":false}}`, `"model":"claude-opus-4-8","max_uses":2`, `"type":"advisor_tool_result"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("Claude is sent %s, without %s", b, want)
		}
	}
	for _, bad := range []string{
		`{"type":"advisor_20260301","name":"adviser","model":"m"}`,
		`{"type":"computer_toolset_20260801","name":"computer"}`,
	} {
		if _, err := DecodeRequest([]byte(`{"model":"m","max_tokens":5,"tools":[` + bad + `],"messages":[{"role":"user","content":"x"}]}`)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// An MCP tool listing is refused naming a server mcp_servers does not
// declare (the API's tool_reference_unresolved); with its server it
// meets the router's refusal of mcp_servers.
func TestMCPToolListing(t *testing.T) {
	turns := `"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"mcp_tool_listing","mcp_server_name":"s","tools":[]},{"type":"text","text":"a"}]},{"role":"user","content":"y"}]`
	_, err := DecodeRequest([]byte(`{"model":"m","max_tokens":5,` + turns + `}`))
	var e *llm.Error
	if !errors.As(err, &e) || e.Code != CodeToolReferenceUnresolved {
		t.Errorf("without its server: %v", err)
	}
	_, err = DecodeRequest([]byte(`{"model":"m","max_tokens":5,"mcp_servers":[{"type":"url","url":"https://mcp.example/sse","name":"s"}],` + turns + `}`))
	if !errors.As(err, &e) || e.Param != "mcp_servers" {
		t.Errorf("with its server: %v", err)
	}
}
