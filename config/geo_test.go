package config

import (
	"testing"

	"switchyard/llm"
)

// TestInferenceGeo: a deployment's inference_geo us declares it
// US-resident (the domain type's InferenceGeo); unset, none; another
// value is an error that says what it takes.
func TestInferenceGeo(t *testing.T) {
	const base = "providers: {openai: {kind: openai, api_key: k}, claude: {kind: anthropic, api_key: k}}\ndeployments:\n"
	c := mustParse(t, []byte(base+`  us: {provider: openai, model: gpt-4o, inference_geo: us}
  c: {provider: claude, model: claude-opus-4-6, inference_geo: us}
  a: {provider: claude, model: claude-haiku-4-5}
`), nil)
	for name, want := range map[string]llm.InferenceGeo{"us": llm.GeoUS, "c": llm.GeoUS, "a": ""} {
		if got := c.Deployments[name].LLM().InferenceGeo; got != want {
			t.Errorf("%s inference_geo %q, want %q", name, got, want)
		}
	}
	_, err := Parse([]byte(base+"  q: {provider: claude, inference_geo: eu}\n"), nil)
	findError(t, err, "deployments.q.inference_geo", `unknown inference_geo "eu"`)
	_, err = Parse([]byte(base+"  q: {provider: claude, inference_geo: global}\n"), nil)
	findError(t, err, "deployments.q.inference_geo", `unknown inference_geo "global"`)
}
