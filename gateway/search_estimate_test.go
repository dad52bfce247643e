package gateway

import (
	"encoding/json"
	"testing"

	"switchyard/classify"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// A request asking for web search — OpenAI's web_search tool, Chat's
// web_search_options, Claude's own web search tool — is reserved against
// the hard budgets at one search over its tokens' estimate: 1,000 prompt
// tokens and 500 out on haiku, $0.00035, and $0.01 for the search.
func TestBudgetReservesOneSearch(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  claude: {kind: anthropic, api_key: k}
deployments:
  haiku: {provider: claude, model: claude-haiku-5-5, price: {input: 0.1, output: 0.5}}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := route.New(cfg, route.Options{})
	claude := llm.Tool{Type: "function", Name: "web_search", Anthropic: &llm.AnthropicToolOptions{Server: json.RawMessage(`{"type":"web_search_20250305","name":"web_search"}`)}}
	for _, c := range []struct {
		name string
		edit func(*llm.Request)
		want float64
	}{
		{"no search", func(*llm.Request) {}, 0.00035},
		{"web_search_options", func(r *llm.Request) {
			r.Extra = map[string]json.RawMessage{"web_search_options": json.RawMessage(`{}`)}
		}, 0.01035},
		{"responses web_search", func(r *llm.Request) {
			r.OpenAIHosted = &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}, Param: "tools[0].type"}
		}, 0.01035},
		{"claude web search", func(r *llm.Request) { r.Tools = []llm.Tool{claude} }, 0.01035},
		{"file_search alone", func(r *llm.Request) {
			r.OpenAIHosted = &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"file_search"}`)}, Param: "tools[0].type"}
		}, 0.00035},
	} {
		req := hello("haiku")
		c.edit(req)
		f := Features(classify.Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 1000}, req)
		f.MaxTokens = 500
		if f.WebSearch != (c.want > 0.001) {
			t.Errorf("%s: features ask web search %v", c.name, f.WebSearch)
		}
		plan, err := p.Plan(&route.Input{Model: "haiku", Features: f, Overrides: route.Overrides{Allowed: route.AllowAll}})
		if c.name == "file_search alone" {
			continue // the Claude deployment serves no file search; its need is checked, not its estimate
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := planEstimate(plan, tierEstimate).USD; got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("%s: reserved $%v, want $%v", c.name, got, c.want)
		}
	}
}
