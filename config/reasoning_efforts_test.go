package config

import (
	"slices"
	"testing"

	"switchyard/llm"
)

// TestReasoningEfforts: an openai or azure deployment's reasoning_efforts
// is decoded into the domain type weakest first, with capability
// reasoning; unset it is nil (by the model id). An empty list, an unknown
// level, a level listed twice, a value that is no list and the key on a
// deployment of another kind are errors at their place.
func TestReasoningEfforts(t *testing.T) {
	const base = "providers: {vllm: {kind: openai, api_key: k, base_url: 'http://gpu:8000/v1'}, az: {kind: azure, api_key: k, base_url: 'https://r.openai.azure.com'}, claude: {kind: anthropic, api_key: k}, gem: {kind: gemini, api_key: k}}\ndeployments:\n"
	c := mustParse(t, []byte(base+`  oss: {provider: vllm, model: openai/gpt-oss-120b, reasoning_efforts: [high, low, medium]}
  new: {provider: az, model: my-o9, reasoning_efforts: [none, minimal, low, medium, high, xhigh], capabilities: [tools]}
  auto: {provider: vllm, model: acme-reasoner}
`), nil)
	for name, want := range map[string][]llm.Effort{
		"oss":  {llm.EffortLow, llm.EffortMedium, llm.EffortHigh},
		"new":  {llm.EffortNone, llm.EffortMinimal, llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh},
		"auto": nil,
	} {
		d := c.Deployments[name].LLM()
		if !slices.Equal(d.ReasoningEfforts, want) || (want == nil) == (d.ReasoningEfforts != nil) {
			t.Errorf("%s reasoning_efforts %v, want %v", name, d.ReasoningEfforts, want)
		}
		if d.Has(llm.CapReasoning) != (want != nil) {
			t.Errorf("%s capabilities %v: reasoning should follow reasoning_efforts", name, d.Capabilities)
		}
	}
	if got := c.Deployments["new"].Capabilities; !slices.Equal(got, []llm.Capability{llm.CapTools}) {
		t.Errorf("the configuration's capabilities were changed: %v", got)
	}
	for _, tc := range []struct{ line, path, msg string }{
		{"  e: {provider: vllm, reasoning_efforts: []}\n", "deployments.e.reasoning_efforts", "is empty"},
		{"  u: {provider: vllm, reasoning_efforts: [low, hihg]}\n", "deployments.u.reasoning_efforts[1]", `unknown effort "hihg"`},
		{"  d: {provider: vllm, reasoning_efforts: [low, high, low]}\n", "deployments.d.reasoning_efforts[2]", `effort "low" is listed twice`},
		{"  s: {provider: vllm, reasoning_efforts: high}\n", "deployments.s.reasoning_efforts", "must be a list"},
		{"  c: {provider: claude, model: claude-opus-4-5, reasoning_efforts: [low, high]}\n", "deployments.c.reasoning_efforts", "a provider of kind anthropic has no reasoning_effort"},
		{"  g: {provider: gem, model: gemini-3-pro-preview, reasoning_efforts: [low, high]}\n", "deployments.g.reasoning_efforts", "a provider of kind gemini has no reasoning_effort"},
	} {
		_, err := Parse([]byte(base+tc.line), nil)
		findError(t, err, tc.path, tc.msg)
	}
}
