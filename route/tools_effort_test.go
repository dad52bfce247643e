package route

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

const toolsEffortFixture = `
providers:
  oa: {kind: openai, api_key: k}
  az: {kind: azure, api_key: k, base_url: https://r.openai.azure.com}
  azv1: {kind: azure, api_key: k, base_url: https://r.openai.azure.com/openai/v1}
deployments:
  terra:      {provider: oa, model: gpt-5.6-terra, capabilities: [tools, streaming]}
  terra-chat: {provider: oa, model: gpt-5.6-terra, api: chat_completions, capabilities: [tools, streaming]}
  terra-resp: {provider: oa, model: gpt-5.6-terra, api: responses, capabilities: [tools, streaming]}
  sol62-chat: {provider: oa, model: gpt-6.2-sol, api: chat_completions, capabilities: [tools, streaming]}
  azdep:      {provider: az, model: sol, base_model: gpt-6-sol, capabilities: [tools, streaming]}
  azv1:       {provider: azv1, model: gpt-6-sol, capabilities: [tools, streaming]}
  mini:       {provider: oa, model: gpt-4.1-mini, api: chat_completions, capabilities: [tools, streaming]}
routes:
  all:  {deployments: [terra, terra-chat, terra-resp, sol62-chat, azdep, azv1, mini]}
  chat: {deployments: [terra-chat, sol62-chat]}
`

// withTools is a request offering function tools at effort (""
// for none asked).
func withTools(effort llm.Effort) func(*Input) {
	return func(in *Input) { in.Features.Needs, in.Features.Effort = NeedTools, effort }
}

// TestToolsEffortRoutes: a request with function tools at an effort the
// model refuses them at on Chat Completions (gpt-5.6-terra, gpt-6-sol:
// any but none, no effort asked included; gpt-6.2-sol: every effort) is
// planned on the deployments called on the Responses API (api responses,
// or auto on an upstream with /responses: the explanation says so), the
// chat_completions and Azure deployment-route ones skipped with reason
// tools_effort; at effort none they all serve it but gpt-6.2-sol.
func TestToolsEffortRoutes(t *testing.T) {
	cfg, err := config.Parse([]byte(toolsEffortFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	for _, effort := range []llm.Effort{"", llm.EffortHigh} {
		plan := mustPlan(t, p, req("all", llm.CategoryChat, withTools(effort)))
		got := map[string]bool{}
		for _, tier := range plan.Tiers {
			for _, c := range tier.Candidates {
				got[c.Deployment.Name] = c.ResponsesAPI
			}
		}
		if len(got) != 4 || !got["terra"] || !got["terra-resp"] || !got["azv1"] || got["mini"] {
			t.Errorf("effort %q: plan %s, responses %v", effort, order(plan), got)
		}
		for _, name := range []string{"terra-chat", "sol62-chat", "azdep"} {
			r := findRejection(plan, name)
			if r == nil || r.Reason != ReasonToolsEffort || r.Param != "reasoning_effort" || !strings.Contains(r.Detail(), "refuses function tools on Chat Completions") {
				t.Errorf("effort %q: %s rejection %+v", effort, name, r)
			}
		}
	}
	plan := mustPlan(t, p, req("all", llm.CategoryChat, withTools(llm.EffortNone)))
	if r := findRejection(plan, "sol62-chat"); r == nil || r.Reason != ReasonToolsEffort || findRejection(plan, "terra-chat") != nil || findRejection(plan, "azdep") != nil {
		t.Errorf("effort none: plan %s, rejected %+v", order(plan), plan.Explanation.Rejected)
	}
	for _, c := range plan.Tiers[0].Candidates {
		if c.ResponsesAPI != (c.Deployment.Name == "terra-resp") {
			t.Errorf("effort none: %s on the Responses API: %v", c.Deployment.Name, c.ResponsesAPI)
		}
	}
	if plan := mustPlan(t, p, req("all", llm.CategoryChat, func(in *Input) { in.Features.Effort = llm.EffortHigh })); len(plan.Explanation.Rejected) != 0 {
		t.Errorf("no tools: rejected %+v", plan.Explanation.Rejected)
	}
}

// TestToolsEffortNoDeployment: a route whose deployments all call Chat
// Completions answers 400 at reasoning_effort naming each and why; one
// named directly too.
func TestToolsEffortNoDeployment(t *testing.T) {
	cfg, err := config.Parse([]byte(toolsEffortFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	_, err = p.Plan(req("chat", llm.CategoryChat, withTools("")))
	e := wantErr(t, err, llm.KindInvalidRequest, "terra-chat serves model gpt-5.6-terra", "sol62-chat serves model gpt-6.2-sol", "api chat_completions")
	if e.Param != "reasoning_effort" || e.HTTPStatus() != 400 {
		t.Errorf("route: param %q status %d", e.Param, e.HTTPStatus())
	}
	_, err = p.Plan(req("terra-chat", llm.CategoryChat, withTools(llm.EffortLow)))
	if e := wantErr(t, err, llm.KindInvalidRequest, "deployment terra-chat serves model gpt-5.6-terra"); e.Param != "reasoning_effort" {
		t.Errorf("pinned: param %q", e.Param)
	}
}

// TestToolsEffortResponsesLimits: an api auto deployment that would call
// the Responses API for the request's tools is held to that API's limits
// (one choice, no stop), as an api responses one is.
func TestToolsEffortResponsesLimits(t *testing.T) {
	cfg, err := config.Parse([]byte(toolsEffortFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, req("all", llm.CategoryChat, withTools(""), func(in *Input) { in.Features.StopSequences = 1 }))
	if r := findRejection(plan, "terra"); r == nil || r.Reason != ReasonParam || r.Param != "stop" {
		t.Errorf("stop: terra rejection %+v", r)
	}
	plan = mustPlan(t, p, req("all", llm.CategoryChat, withTools(""), func(in *Input) { in.Features.Choices = 2 }))
	if r := findRejection(plan, "terra"); r == nil || r.Reason != ReasonChoices || r.Limit != 1 {
		t.Errorf("n: terra rejection %+v", r)
	}
}
