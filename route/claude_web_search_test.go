package route

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// claudeTool is an Anthropic server tool of type typ as a native Messages
// request declares it.
func claudeTool(typ, name string) llm.Tool {
	raw := json.RawMessage(`{"type":"` + typ + `","name":"` + name + `"}`)
	return llm.Tool{Type: "function", Name: name, Anthropic: &llm.AnthropicToolOptions{Server: raw}}
}

// TestClaudeWebSearchModel checks that a route passes over for Claude's
// own web search tool, declared on a native Messages request, a Claude
// deployment whose model has no web search tool (Claude 3 Haiku, the first
// 3.5 Sonnet; anthropic.HasWebSearch), naming the model, and that one
// named directly is a 400; Claude's web fetch tool is not web search.
func TestClaudeWebSearchModel(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  an: {kind: anthropic, api_key: k}
deployments:
  haiku3: {provider: an, model: claude-3-haiku-20240307, capabilities: [tools, streaming]}
  sonnet35: {provider: an, model: claude-3-5-sonnet-20240620, capabilities: [tools, streaming]}
  haiku35: {provider: an, model: claude-3-5-haiku-20241022, capabilities: [tools, streaming]}
routes:
  all: {deployments: [haiku3, sonnet35, haiku35]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	for _, typ := range []string{"web_search_20250305", "web_search_20260209"} {
		r := llm.Request{Tools: []llm.Tool{{Type: "function", Name: "f"}, claudeTool(typ, "web_search")}}
		if n := NeedsOf(&r); n&NeedClaudeWebSearch == 0 || n&NeedServerTools == 0 {
			t.Fatalf("%s: needs %v", typ, n)
		}
		web := func(in *Input) { in.Features.Needs, in.Features.HostedParam = NeedsOf(&r), "tools" }
		plan := mustPlan(t, p, req("all", llm.CategoryChat, web))
		if got := order(plan); got != "haiku35" {
			t.Errorf("%s: plan %s, want haiku35", typ, got)
		}
		for dep, model := range map[string]string{"haiku3": "claude-3-haiku-20240307", "sonnet35": "claude-3-5-sonnet-20240620"} {
			rej := findRejection(plan, dep)
			if rej == nil || rej.Reason != ReasonWebSearchModel || rej.Note != model || !strings.Contains(rej.Detail(), "serves model "+model+", which has no web search tool") {
				t.Errorf("%s: %s rejection %+v", typ, dep, rej)
			}
			_, err = p.Plan(req(dep, llm.CategoryChat, web))
			e := wantErr(t, err, llm.KindInvalidRequest, "deployment "+dep+" serves model "+model+", which has no web search tool")
			if e.Param != "tools" || e.HTTPStatus() != 400 {
				t.Errorf("%s: param %q status %d", dep, e.Param, e.HTTPStatus())
			}
		}
	}
	fetch := llm.Request{Tools: []llm.Tool{claudeTool("web_fetch_20250910", "web_fetch")}}
	if n := NeedsOf(&fetch); n&NeedClaudeWebSearch != 0 {
		t.Errorf("web fetch: needs %v", n)
	}
	if got := order(mustPlan(t, p, req("all", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedsOf(&fetch) }))); got != "haiku3,sonnet35,haiku35" {
		t.Errorf("web fetch: plan %s", got)
	}
}
