package route

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

const responsesFixture = `
providers:
  oa: {kind: openai, api_key: k}
  az: {kind: azure, api_key: k, base_url: https://r.openai.azure.com}
  azv1: {kind: azure, api_key: k, base_url: https://r.openai.azure.com/openai/v1}
deployments:
  pro:    {provider: oa, model: gpt-5.5-pro, capabilities: [tools, streaming, reasoning, logprobs]}
  plain:  {provider: oa, model: gpt-5.5, capabilities: [tools, streaming, reasoning]}
  forced: {provider: oa, model: gpt-4.1, api: responses, capabilities: [tools, streaming, logprobs]}
  lp:     {provider: oa, model: gpt-4.1, capabilities: [streaming, logprobs]}
  chat:   {provider: oa, model: gpt-5.5-pro, api: chat_completions, capabilities: [tools, streaming]}
  azdep:  {provider: az, model: codex, base_model: gpt-5-codex, capabilities: [tools, streaming]}
  azv1:   {provider: azv1, model: gpt-5-codex, capabilities: [tools, streaming]}
routes:
  all: {deployments: [pro, plain, forced, chat, azdep, azv1, lp]}
`

// TestUpstreamAPIResolved: every OpenAI-wire deployment's API is resolved
// as the adapter resolves it, the explanation says which deployments
// are called on the Responses API, and a request with stop sequences is
// not planned on them (the Responses API has no stop); one for logprobs
// is, where the deployment returns them.
func TestUpstreamAPIResolved(t *testing.T) {
	cfg, err := config.Parse([]byte(responsesFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, req("all", llm.CategoryChat))
	want := map[string]llm.UpstreamAPI{"pro": llm.APIResponses, "plain": llm.APIChatCompletions, "forced": llm.APIResponses,
		"chat": llm.APIChatCompletions, "azdep": llm.APIChatCompletions, "azv1": llm.APIResponses, "lp": llm.APIChatCompletions}
	for _, tier := range plan.Tiers {
		for _, c := range tier.Candidates {
			if c.Deployment.API != want[c.Deployment.Name] {
				t.Errorf("%s: api %q, want %q", c.Deployment.Name, c.Deployment.API, want[c.Deployment.Name])
			}
		}
	}
	var b strings.Builder
	if err := plan.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		name := strings.Fields(line + " x")[0]
		if api, ok := want[name]; ok && strings.Contains(line, "Responses API") != (api == llm.APIResponses) {
			t.Errorf("explanation line %q", line)
		}
	}
	stops := mustPlan(t, p, req("all", llm.CategoryChat, func(in *Input) { in.Features.StopSequences = 1 }))
	if got := order(stops); got != "plain,lp" { // chat and azdep: reasoning models, which refuse stop
		t.Errorf("with stop: plan %s", got)
	}
	if r := findRejection(stops, "pro"); r == nil || r.Reason != ReasonParam || r.Param != "stop" {
		t.Errorf("pro rejection %+v", r)
	}
	logprobs := mustPlan(t, p, req("all", llm.CategoryChat, func(in *Input) { in.Features.Needs |= NeedLogprobs }))
	if r := findRejection(logprobs, "forced"); r != nil || !strings.Contains(order(logprobs), "forced") || strings.Contains(order(logprobs), "plain") {
		t.Errorf("logprobs: plan %s, forced rejected %+v: want the Responses API deployment declaring logprobs planned", order(logprobs), r)
	}
}
