package openai

import (
	"testing"

	"switchyard/sim"
)

// A model without function calling refuses tools as Ollama's
// OpenAI-compatible API does (ollama/ollama#14795): a 400 in the error
// shape, type api_error, no param or code; without tools it answers.
func TestModelWithoutToolsRefusesThem(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "gemma3:4b", NoFunctionCalling: true}), nil))
	const tools = `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}],`
	status, _, body := do(t, hc, "POST", url+"/v1/chat/completions", `{"model":"gemma3:4b",`+tools+`"messages":[{"role":"user","content":"Hi"}]}`, bearer)
	const want = `{"error":{"message":"registry.ollama.ai/library/gemma3:4b does not support tools","type":"api_error","param":null,"code":null}}` + "\n"
	if status != 400 || body != want {
		t.Errorf("%d %q", status, body)
	}
	status, _, body = do(t, hc, "POST", url+"/v1/chat/completions", `{"model":"gemma3:4b","messages":[{"role":"user","content":"Hi"}]}`, bearer)
	if status != 200 {
		t.Errorf("without tools: %d %s", status, body)
	}
}
