package config

import (
	"testing"

	"switchyard/llm"
)

// TestStructuredOutput: an anthropic deployment's structured_output is
// decoded into the domain type (empty: by model id); an unknown value, or
// the setting on a deployment of another kind, is an error.
func TestStructuredOutput(t *testing.T) {
	const base = "providers: {openai: {kind: openai, api_key: k}, claude: {kind: anthropic, api_key: k}}\ndeployments:\n"
	c := mustParse(t, []byte(base+`  n: {provider: claude, model: claude-haiku-4-5, structured_output: native}
  p: {provider: claude, model: claude-haiku-4-5, structured_output: prompt}
  a: {provider: claude, model: claude-haiku-4-5}
`), nil)
	for name, want := range map[string]llm.StructuredOutput{"n": llm.StructuredNative, "p": llm.StructuredPrompt, "a": llm.StructuredAuto} {
		if got := c.Deployments[name].LLM().StructuredOutput; got != want {
			t.Errorf("%s structured_output %q, want %q", name, got, want)
		}
	}
	_, err := Parse([]byte(base+"  q: {provider: claude, structured_output: tool}\n"), nil)
	findError(t, err, "deployments.q.structured_output", `unknown structured_output "tool"`)
	_, err = Parse([]byte(base+"  o: {provider: openai, structured_output: native}\n"), nil)
	findError(t, err, "deployments.o.structured_output", "applies to anthropic deployments only")
}
