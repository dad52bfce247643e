package route

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

const optionalHostedFixture = `
providers:
  oa: {kind: openai, api_key: k}
  az: {kind: azure, api_key: k, base_url: https://r.openai.azure.com}
  gm: {kind: gemini, api_key: k}
deployments:
  azdep: {provider: az, model: gpt-4.1, price: {input: 1, output: 1}}
  gem25: {provider: gm, model: gemini-2.5-flash, price: {input: 1, output: 1}}
  oa:    {provider: oa, model: gpt-5.5, api: responses, price: {input: 9, output: 9}}
routes:
  drop:     {deployments: [azdep, gem25, oa], hosted_tools: drop_optional}
  droponly: {deployments: [azdep, gem25], hosted_tools: drop_optional}
  refuse:   {deployments: [azdep, gem25]}
  plain:    {deployments: [azdep, gem25], hosted_tools: refuse}
  splitdrop: {deployments: [azdep, oa], hosted_tools: drop_optional, split: {azdep: 99, oa: 1}}
  learndrop:
    deployments: [azdep, gem25, oa]
    hosted_tools: drop_optional
    strategy: best
    adaptive: {enabled: true, lambda: 0.2, explore: 0.5, min_outcomes: 10, half_life: 6h}
`

// searchWithTools is a request declaring OpenAI's web_search beside a
// function tool, as the Codex CLI sends; optional says whether it leaves
// the search to the model (tool_choice auto) or forces it.
func searchWithTools(optional bool) func(*Input) {
	return func(in *Input) {
		f := &in.Features
		f.Needs, f.HasTools, f.WebSearch = NeedHostedTools|NeedTools, true, true
		f.HostedTools, f.HostedParam = llm.HostedWebSearch, "tools[1].type"
		if optional {
			f.OptionalHosted = llm.HostedWebSearch
		}
	}
}

// TestOptionalHostedDropped checks hosted_tools drop_optional: a
// candidate that cannot run an optional web_search (Azure's deployment
// routes, Gemini 2.5 beside function tools) is kept and marked to be sent
// without it, ranked after one that runs it whatever the route's order,
// and estimated without the search; the explanation names it.
func TestOptionalHostedDropped(t *testing.T) {
	cfg, err := config.Parse([]byte(optionalHostedFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, req("drop", llm.CategoryChat, searchWithTools(true)))
	if got := order(plan); got != "oa,azdep,gem25" {
		t.Fatalf("plan %s, want oa (which runs the search) first, then azdep,gem25", got)
	}
	want := map[string]llm.HostedKinds{"oa": 0, "azdep": llm.HostedWebSearch, "gem25": llm.HostedWebSearch}
	for _, tier := range plan.Tiers {
		for _, c := range tier.Candidates {
			if c.DroppedHosted != want[c.Deployment.Name] {
				t.Errorf("%s: dropped %q, want %q", c.Deployment.Name, c.DroppedHosted, want[c.Deployment.Name])
			}
			if c.Deployment.Name == "azdep" && c.ResponsesAPI {
				t.Errorf("azdep planned on the Responses API without the hosted tool")
			}
		}
	}
	var b strings.Builder
	if err := plan.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "without web_search") {
		t.Errorf("explanation does not name the dropped tool:\n%s", b.String())
	}
	js, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"dropped_hosted":["web_search"]`) {
		t.Errorf("JSON explanation does not name the dropped tool: %s", js)
	}
	only := mustPlan(t, p, req("droponly", llm.CategoryChat, searchWithTools(true)))
	if got := order(only); got != "azdep,gem25" {
		t.Errorf("droponly plan %s, want azdep,gem25", got)
	}
	noSearch := mustPlan(t, p, req("droponly", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedTools }))
	if c, s := only.Tiers[0].Candidates[0], noSearch.Tiers[0].Candidates[0]; c.EstCostUSD != s.EstCostUSD {
		t.Errorf("estimate %v with the search dropped, %v without one asked: want no search counted", c.EstCostUSD, s.EstCostUSD)
	}
}

// TestOptionalHostedRefused checks what still refuses: a route without
// the setting (or with refuse), a forced web search, and an optional one
// beside another hosted tool the candidate cannot run.
func TestOptionalHostedRefused(t *testing.T) {
	cfg, err := config.Parse([]byte(optionalHostedFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	for _, tt := range []struct {
		name, route string
		edit        func(*Input)
	}{
		{"default refuse", "refuse", searchWithTools(true)},
		{"refuse", "plain", searchWithTools(true)},
		{"forced", "droponly", searchWithTools(false)},
		{"with file_search", "droponly", func(in *Input) {
			searchWithTools(true)(in)
			in.Features.HostedTools |= llm.HostedFileSearch
		}},
	} {
		_, err := p.Plan(req(tt.route, llm.CategoryChat, tt.edit))
		e := wantErr(t, err, llm.KindInvalidRequest)
		if e.Param != "tools[1].type" || e.HTTPStatus() != 400 {
			t.Errorf("%s: param %q status %d: %v", tt.name, e.Param, e.HTTPStatus(), e)
		}
	}
}

// TestOptionalHostedDefault checks the responses section's hosted_tools:
// the default of a route that sets none, overridden by a route's refuse.
func TestOptionalHostedDefault(t *testing.T) {
	cfg, err := config.Parse([]byte(optionalHostedFixture+"responses: {hosted_tools: drop_optional}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	if got := order(mustPlan(t, p, req("refuse", llm.CategoryChat, searchWithTools(true)))); got != "azdep,gem25" {
		t.Errorf("route without hosted_tools: plan %s, want azdep,gem25", got)
	}
	if _, err := p.Plan(req("plain", llm.CategoryChat, searchWithTools(true))); err == nil {
		t.Errorf("route with hosted_tools refuse: planned")
	}
	if c := mustPlan(t, p, req("gem25", llm.CategoryChat, searchWithTools(true))).Tiers[0].Candidates[0]; c.Deployment.Name != "gem25" || c.DroppedHosted != llm.HostedWebSearch {
		t.Errorf("gem25 named: first %s dropping %q", c.Deployment.Name, c.DroppedHosted)
	}
}

// TestOptionalHostedSplitAndAdaptive: neither a split nor the adaptive
// scorer puts a candidate sent without the optional hosted tools before
// one that runs them: the split picks among those that run them, the
// bandit weighs them apart, however well the others did.
func TestOptionalHostedSplitAndAdaptive(t *testing.T) {
	cfg, err := config.Parse([]byte(optionalHostedFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	s := outcomes("learndrop", "", map[string]map[llm.Category][2]float64{
		"azdep": {llm.CategoryChat: {100, 0.99}}, "gem25": {llm.CategoryChat: {100, 0.98}}, "oa": {llm.CategoryChat: {100, 0.1}},
	})
	for seed := range uint64(200) {
		in := req("splitdrop", llm.CategoryChat, searchWithTools(true))
		in.Seed = seed
		plan := mustPlan(t, p, in)
		if plan.First() != "oa" || plan.Explanation.Split == "azdep" {
			t.Fatalf("seed %d: split plan %s, split pick %q: want oa first, azdep not picked", seed, order(plan), plan.Explanation.Split)
		}
		in = chatInput("learndrop", llm.CategoryChat, seed, s)
		searchWithTools(true)(in)
		plan = mustPlan(t, p, in)
		if got := order(plan); !strings.HasPrefix(got, "oa,") {
			t.Fatalf("seed %d: adaptive plan %s: want oa first", seed, got)
		}
	}
}
