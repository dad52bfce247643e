package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

const declaredRulesFixture = `
providers:
  oa: {kind: openai, api_key: k}
deployments:
  g54:      {provider: oa, model: gpt-5.4, reasoning_efforts: [minimal, low, medium, high], capabilities: [tools, streaming]}
  g54-chat: {provider: oa, model: gpt-5.4, api: chat_completions, reasoning_efforts: [minimal, low, medium, high], capabilities: [tools, streaming]}
  g51:      {provider: oa, model: gpt-5.1, api: chat_completions, reasoning_efforts: [low, medium, high], capabilities: [streaming]}
  sol61:    {provider: oa, model: gpt-6.1-sol, api: chat_completions, reasoning_efforts: [none, low, medium, high, xhigh, max], capabilities: [streaming]}
routes:
  tools: {deployments: [g54, g54-chat]}
  stop:  {deployments: [g51, sol61]}
`

// TestDeclaredEffortRules: the tools-on-Chat and stop rules read the
// level a deployment declaring reasoning_efforts is sent, not the model
// id's: minimal declared on gpt-5.4 is sent minimal, at which its tools
// need the Responses API (the api auto deployment is called there, the
// chat_completions one skipped); none asked of gpt-5.1 declared low to
// high is sent low, which refuses stop; none declared on gpt-6.1-sol is
// sent none, which takes it.
func TestDeclaredEffortRules(t *testing.T) {
	cfg, err := config.Parse([]byte(declaredRulesFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, req("tools", llm.CategoryChat, withTools(llm.EffortMinimal)))
	if r := findRejection(plan, "g54-chat"); r == nil || r.Reason != ReasonToolsEffort {
		t.Errorf("minimal with tools: g54-chat rejection %+v (plan %s)", r, order(plan))
	}
	if c := plan.Tiers[0].Candidates; len(c) != 1 || c[0].Deployment.Name != "g54" || !c[0].ResponsesAPI {
		t.Errorf("minimal with tools: plan %s", order(plan))
	}
	plan = mustPlan(t, p, req("stop", llm.CategoryChat, func(in *Input) {
		in.Features.Effort, in.Features.StopSequences = llm.EffortNone, 1
	}))
	if r := findRejection(plan, "g51"); r == nil || r.Reason != ReasonParam || r.Param != "stop" {
		t.Errorf("none with stop: g51 rejection %+v", r)
	}
	if r := findRejection(plan, "sol61"); r != nil {
		t.Errorf("none with stop: sol61 rejected %+v", r)
	}
}
