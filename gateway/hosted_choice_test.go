package gateway

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/classify"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// A Responses tool_choice forcing a hosted tool other than web search
// ({"type":"file_search"}, code_interpreter, image_generation, mcp) asks
// for that tool even when the request declares only web search: a route
// passes over the deployments that cannot run it (a Claude deployment
// runs web search alone), and one named directly is a 400 naming the
// tool, rather than an answer run without it.
func TestHostedChoiceNeedsItsTool(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, api_key: k}
  an: {kind: anthropic, api_key: k}
deployments:
  claude: {provider: an, model: claude-haiku-4-5, capabilities: [tools, streaming]}
  gpt:    {provider: oa, model: gpt-5.5, capabilities: [tools, streaming]}
routes:
  both: {deployments: [claude, gpt]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := route.New(cfg, route.Options{})
	for _, choice := range []string{`{"type":"file_search"}`, `{"type":"code_interpreter"}`, `{"type":"image_generation"}`, `{"type":"mcp","server_label":"deepwiki"}`} {
		typ := choice[9 : strings.IndexByte(choice[9:], '"')+9]
		req := hello("both")
		req.OpenAIHosted = &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}, ToolChoice: json.RawMessage(choice), Param: "tools[0].type"}
		f := Features(classify.Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 10}, req)
		plan, err := p.Plan(&route.Input{Model: "both", Features: f, Overrides: route.Overrides{Allowed: route.AllowAll}})
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if len(plan.Tiers) != 1 || len(plan.Tiers[0].Candidates) != 1 || plan.Tiers[0].Candidates[0].Deployment.Name != "gpt" {
			t.Errorf("%s: plan %+v, want gpt alone", typ, plan.Explanation.Rejected)
		}
		_, err = p.Plan(&route.Input{Model: "claude", Features: f, Overrides: route.Overrides{Allowed: route.AllowAll}})
		if e := llm.AsError(err); e == nil || e.HTTPStatus() != 400 || !strings.Contains(e.Message, "does not serve the hosted tools "+typ) {
			t.Errorf("%s forced on claude: %v", typ, err)
		}
	}
	// Web search forced: the Claude deployment runs it.
	req := hello("both")
	req.OpenAIHosted = &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}, ToolChoice: json.RawMessage(`{"type":"web_search"}`), Param: "tools[0].type"}
	f := Features(classify.Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 10}, req)
	if _, err := p.Plan(&route.Input{Model: "claude", Features: f, Overrides: route.Overrides{Allowed: route.AllowAll}}); err != nil {
		t.Errorf("web search forced on claude: %v", err)
	}
}
