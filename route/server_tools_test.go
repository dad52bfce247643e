package route

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestServerToolsNeeds checks what makes a request need Anthropic's
// server tools: a server tool's declaration, a server block in an
// assistant turn, a container; a deferred function alone does not.
func TestServerToolsNeeds(t *testing.T) {
	server := llm.Tool{Type: "function", Name: "web_search", Anthropic: &llm.AnthropicToolOptions{
		Server: json.RawMessage(`{"type":"web_search_20250305","name":"web_search"}`)}}
	deferred := llm.Tool{Type: "function", Name: "f", Anthropic: &llm.AnthropicToolOptions{DeferLoading: new(bool)}}
	var turn llm.Message
	turn.Role = llm.RoleAssistant
	turn.SetBlocks([]llm.Block{{Raw: json.RawMessage(`{"type":"server_tool_use"}`)}})
	for _, tt := range []struct {
		name string
		req  llm.Request
		want string
	}{
		{"deferred function", llm.Request{Tools: []llm.Tool{deferred}}, "tools"},
		{"server tool", llm.Request{Tools: []llm.Tool{deferred, server}}, "tools,server_tools,claude_web_search"},
		{"server block", llm.Request{Messages: []llm.Message{turn}}, "server_tools"},
		{"container", llm.Request{AnthropicContainer: json.RawMessage(`"c_1"`)}, "server_tools"},
	} {
		if got := NeedsOf(&tt.req).String(); got != tt.want {
			t.Errorf("%s: needs %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestServerToolsRoutes checks that a request with server tools lands on
// Claude alone, the others skipped with an honest reason, and that a
// route (or a model) with no Claude deployment answers 400.
func TestServerToolsRoutes(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	server := func(in *Input) { in.Features.Needs = NeedTools | NeedServerTools }
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, server))
	if got := order(plan); got != "claude" {
		t.Errorf("server tools: plan %s, want claude", got)
	}
	for _, name := range []string{"gpt", "flash"} {
		r := findRejection(plan, name)
		if r == nil || r.Reason != ReasonServerTools || !strings.Contains(r.Detail(), "only Anthropic deployments take them") {
			t.Errorf("%s rejection %+v", name, r)
		}
	}
	for _, model := range []string{"gpt", "flash"} {
		_, err = p.Plan(req(model, llm.CategoryChat, server))
		wantErr(t, err, llm.KindInvalidRequest, "does not serve Anthropic's server tools")
	}
}
