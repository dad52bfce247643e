package gateway

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/classify"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
)

const optionalHostedConfig = `
providers:
  oa: {kind: openai, api_key: k}
  az: {kind: azure, api_key: k, base_url: https://r.openai.azure.com}
  gm: {kind: gemini, api_key: k}
deployments:
  gpt:   {provider: oa, model: gpt-5.5, api: responses, price: {input: 9, output: 9}}
  azdep: {provider: az, model: gpt-4.1, price: {input: 1, output: 1}}
  gem25: {provider: gm, model: gemini-2.5-flash, price: {input: 2, output: 2}}
routes:
  drop:   {deployments: [azdep, gem25, gpt], hosted_tools: drop_optional}
  refuse: {deployments: [azdep, gem25]}
`

// codexLike is a Responses request as the Codex CLI sends it: a function
// tool and OpenAI's web_search, tool_choice auto.
func codexLike(model string) *llm.Request {
	req := hello(model)
	req.Tools = []llm.Tool{{Name: "shell", Parameters: json.RawMessage(`{"type":"object"}`)}}
	req.ToolChoice = &llm.ToolChoice{Mode: llm.ToolChoiceAuto}
	req.OpenAIHosted = &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}, Include: []string{"web_search_call.action.sources"}, Param: "tools[1].type"}
	return req
}

// newOptionalHostedGateway builds the gateway of optionalHostedConfig,
// each provider answered by its fake.
func newOptionalHostedGateway(t *testing.T, fakes map[string]*llmtest.Provider) *Gateway {
	t.Helper()
	cfg, err := config.Parse([]byte(optionalHostedConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := map[string]llm.ChatProvider{}
	for name, f := range fakes {
		ps[name] = f
	}
	g, err := New(cfg, Options{Providers: ps, Classify: func(req *llm.Request) route.Features {
		return Features(classify.Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 10, HasTools: len(req.Tools) > 0}, req)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	return g
}

// TestOptionalHostedDropped: on a route with hosted_tools drop_optional,
// the OpenAI deployment (listed last) is tried first with the web search;
// when it fails, the Azure deployment serves the request sent without
// it (nor its include value), and the summary names dropped=web_search.
func TestOptionalHostedDropped(t *testing.T) {
	fakes := map[string]*llmtest.Provider{"oa": newFake(map[string]*llm.Error{"gpt-5.5": retryable("gpt down")}), "az": newFake(nil), "gm": newFake(nil)}
	g := newOptionalHostedGateway(t, fakes)
	var served llm.Served
	if _, err := g.Chat(context.Background(), codexLike("drop"), nil, &served); err != nil {
		t.Fatal(err)
	}
	if served.Deployment != "azdep" || !strings.Contains(served.Summary, "dropped=web_search") {
		t.Errorf("served %s, summary %q: want azdep, dropped=web_search", served.Deployment, served.Summary)
	}
	if rs := fakes["oa"].Requests(); len(rs) == 0 || rs[0].OpenAIHosted == nil {
		t.Errorf("gpt was not tried first with the web search: %d calls", len(rs))
	}
	if rs := fakes["az"].Requests(); len(rs) != 1 || rs[0].OpenAIHosted != nil || len(rs[0].Tools) != 1 {
		t.Errorf("azdep was sent %+v, want the function tool alone", rs)
	}
}

// TestOptionalHostedServedWithSearch: the OpenAI deployment answering,
// nothing is dropped; on a route without the setting the request is the
// 400 it was.
func TestOptionalHostedServedWithSearch(t *testing.T) {
	fakes := map[string]*llmtest.Provider{"oa": newFake(nil), "az": newFake(nil), "gm": newFake(nil)}
	g := newOptionalHostedGateway(t, fakes)
	var served llm.Served
	if _, err := g.Chat(context.Background(), codexLike("drop"), nil, &served); err != nil {
		t.Fatal(err)
	}
	if served.Deployment != "gpt" || strings.Contains(served.Summary, "dropped=") {
		t.Errorf("served %s, summary %q: want gpt, nothing dropped", served.Deployment, served.Summary)
	}
	_, err := g.Chat(context.Background(), codexLike("refuse"), nil, &served)
	if e := llm.AsError(err); e == nil || e.HTTPStatus() != 400 || e.Param != "tools[1].type" {
		t.Errorf("refuse route: %v, want a 400 at tools[1].type", err)
	}
}

// TestOptionalHostedDryRun: the dry run notes what each candidate's
// attempt would leave out, as the answer's dropped= names it: the
// Azure and Gemini deployments the web search, the OpenAI one nothing;
// the plan's x-switchyard-route for the one that would answer says so.
func TestOptionalHostedDryRun(t *testing.T) {
	fakes := map[string]*llmtest.Provider{"oa": newFake(nil), "az": newFake(nil), "gm": newFake(nil)}
	g := newOptionalHostedGateway(t, fakes)
	plan, err := g.Route(context.Background(), codexLike("drop"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, azTier := map[string]string{}, -1
	for i, tier := range plan.Tiers {
		for _, c := range tier.Candidates {
			got[c.Deployment.Name] = strings.Join(c.Dropped, ",")
			if c.Deployment.Name == "azdep" {
				azTier = i
			}
		}
	}
	if got["gpt"] != "" || got["azdep"] != "web_search" || got["gem25"] != "web_search" {
		t.Errorf("dropped by candidate: %v", got)
	}
	if s := plan.Summary(azTier, "azdep", 1); !strings.HasSuffix(s, "; attempt=1; dropped=web_search") {
		t.Errorf("summary for azdep: %q", s)
	}
	if s := plan.Summary(0, plan.First(), 0); strings.Contains(s, "dropped=") {
		t.Errorf("summary for %s: %q", plan.First(), s)
	}
}
