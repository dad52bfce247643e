package config

import (
	"testing"

	"switchyard/llm"
)

// TestUpstreamAPI: a deployment's api is decoded into the domain type
// (auto and unset: by model id); an unknown value, api on a kind without
// OpenAI's APIs, or responses on Azure's deployment routes is an error at
// its path.
func TestUpstreamAPI(t *testing.T) {
	const base = "providers:\n  openai: {kind: openai, api_key: k}\n  claude: {kind: anthropic, api_key: k}\n  gem: {kind: gemini, api_key: k}\n" +
		"  az: {kind: azure, api_key: k, base_url: https://r.openai.azure.com}\n  azv1: {kind: azure, api_key: k, base_url: https://r.openai.azure.com/openai/v1}\ndeployments:\n"
	c := mustParse(t, []byte(base+`  r: {provider: openai, model: gpt-5.5, api: responses}
  c: {provider: openai, model: gpt-5.5-pro, api: chat_completions}
  a: {provider: openai, model: gpt-5.5-pro, api: auto}
  u: {provider: openai, model: gpt-5.5-pro}
  v1: {provider: azv1, model: gpt-5-codex, api: responses}
  ac: {provider: az, model: gpt-4o, api: chat_completions}
`), nil)
	for name, want := range map[string]llm.UpstreamAPI{"r": llm.APIResponses, "c": llm.APIChatCompletions, "a": llm.APIAuto, "u": llm.APIAuto,
		"v1": llm.APIResponses, "ac": llm.APIChatCompletions} {
		if got := c.Deployments[name].LLM().API; got != want {
			t.Errorf("%s api %q, want %q", name, got, want)
		}
	}
	for _, tc := range []struct{ dep, path, msg string }{
		{"  q: {provider: openai, api: assistants}\n", "deployments.q.api", `unknown api "assistants"`},
		{"  q: {provider: claude, model: claude-haiku-4-5, api: responses}\n", "deployments.q.api", "a provider of kind anthropic has no OpenAI API"},
		{"  q: {provider: gem, model: gemini-2.5-flash, api: chat_completions}\n", "deployments.q.api", "a provider of kind gemini has no OpenAI API"},
		{"  q: {provider: az, model: gpt-5-codex, api: responses}\n", "deployments.q.api", "Azure OpenAI's Responses API is served on its v1 routes only"},
	} {
		_, err := Parse([]byte(base+tc.dep), nil)
		findError(t, err, tc.path, tc.msg)
	}
}
