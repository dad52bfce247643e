package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/openai"
)

// TestToolsRefusedAsTheRule: the set worked out at config load answers as
// openai.ToolsNeedResponses does, for every effort a request may ask (an
// unknown level included), on deployments with and without declared
// levels, of models whose rule reads the effort and of models whose does
// not, named in any case.
func TestToolsRefusedAsTheRule(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, api_key: k}
deployments:
  mini:    {provider: oa, model: gpt-4.1-mini, capabilities: [tools]}
  g54:     {provider: oa, model: OpenAI/GPT-5.4, capabilities: [tools]}
  g54-min: {provider: oa, model: gpt-5.4, reasoning_efforts: [minimal, high], capabilities: [tools]}
  terra:   {provider: oa, model: gpt-5.6-terra, capabilities: [tools]}
  sol61:   {provider: oa, model: gpt-6.1-sol, capabilities: [tools]}
  llama:   {provider: oa, model: meta-llama/Llama-3.3-70B-Instruct, capabilities: [tools]}
routes:
  all: {deployments: [mini, g54, g54-min, terra, sol61, llama]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	efforts := append([]llm.Effort{"turbo"}, allEfforts...)
	for _, name := range []string{"mini", "g54", "g54-min", "terra", "sol61", "llama"} {
		dep := p.Deployment(name)
		if dep == nil || !dep.openAI {
			t.Fatalf("%s: no OpenAI deployment", name)
		}
		for _, e := range efforts {
			f := &Features{Needs: NeedTools, Effort: e}
			want := openai.ToolsNeedResponses(dep.ModelID(), dep.ReasoningEfforts, e, true)
			if got := toolsRefused(dep, f); got != want {
				t.Errorf("%s at %q: toolsRefused %v, the rule %v", name, e, got, want)
			}
			if toolsRefused(dep, &Features{Effort: e}) {
				t.Errorf("%s at %q: refused without tools", name, e)
			}
		}
	}
}

// TestPlanToolsMixedCaseAllocs: planning a request with function tools on
// a deployment whose model id has capitals (as OpenAI-compatible hosts
// name theirs) allocates no more than on one whose id has none: the
// tools-on-Chat rule is not asked per candidate.
func TestPlanToolsMixedCaseAllocs(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, api_key: k}
deployments:
  lower: {provider: oa, model: meta-llama/llama-3.3-70b-instruct, capabilities: [tools]}
  mixed: {provider: oa, model: meta-llama/Llama-3.3-70B-Instruct, capabilities: [tools]}
routes:
  r-lower: {deployments: [lower]}
  r-mixed: {deployments: [mixed]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	allocs := func(route string) float64 {
		in := req(route, llm.CategoryChat, withTools(""))
		return testing.AllocsPerRun(100, func() {
			if _, err := p.Plan(in); err != nil {
				t.Fatal(err)
			}
		})
	}
	if lower, mixed := allocs("r-lower"), allocs("r-mixed"); mixed > lower {
		t.Errorf("plan allocates %v times for a mixed-case id, %v for a lower-case one", mixed, lower)
	}
}
