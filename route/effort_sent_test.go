package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestRefusedParamsReadSentEffort checks that the route reads the
// reasoning effort as the adapter sends it (openai.SentEffort), not as
// asked: none asked of GPT-6.1 Sol, which takes no none, is sent low, so
// stop and logprobs skip it where GPT-6 Sol (which takes none) serves
// them; minimal asked of GPT-5.4 is sent none, so it takes stop.
func TestRefusedParamsReadSentEffort(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  sol61: {provider: oai, model: gpt-6.1-sol, api: chat_completions, price: {input: 2, output: 10}}
  sol6:  {provider: oai, model: gpt-6-sol, api: chat_completions, price: {input: 2, output: 10}}
  gpt54: {provider: oai, model: gpt-5.4, api: chat_completions, price: {input: 2.5, output: 15}}
routes:
  all: {deployments: [sol61, sol6, gpt54], strategy: ordered}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	stop := func(in *Input) { in.Features.StopSequences = 1 }
	logprobs := func(in *Input) { in.Features.Needs = NeedLogprobs }
	effort := func(e llm.Effort) func(*Input) { return func(in *Input) { in.Features.Effort = e } }
	for _, tt := range []struct {
		name string
		edit []func(*Input)
		want string
	}{
		{"stop none", []func(*Input){stop, effort(llm.EffortNone)}, "sol6,gpt54"},
		{"logprobs none", []func(*Input){logprobs, effort(llm.EffortNone)}, "sol6,gpt54"},
		{"stop minimal", []func(*Input){stop, effort(llm.EffortMinimal)}, "sol6,gpt54"},
		{"stop low", []func(*Input){stop, effort(llm.EffortLow)}, ""},
	} {
		if tt.want == "" {
			if plan, err := p.Plan(req("all", llm.CategoryChat, tt.edit...)); err == nil {
				t.Errorf("%s: plan %s, want none", tt.name, order(plan))
			}
			continue
		}
		if got := order(mustPlan(t, p, req("all", llm.CategoryChat, tt.edit...))); got != tt.want {
			t.Errorf("%s: plan %s, want %s", tt.name, got, tt.want)
		}
	}
	if r := findRejection(mustPlan(t, p, req("all", llm.CategoryChat, stop, effort(llm.EffortNone))), "sol61"); r == nil || r.Reason != ReasonParam || r.Param != "stop" {
		t.Errorf("sol61 with stop at none: rejection %+v", r)
	}
}
