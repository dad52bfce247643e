package openai

import (
	"testing"

	"switchyard/sim"
)

// TestToolsEffortRefusal checks that Chat Completions refuses function
// (and custom) tools at a reasoning effort the model refuses them at, with
// OpenAI's status and body byte for byte, and takes them at effort none,
// on the older models, and without tools; the Responses API takes them.
func TestToolsEffortRefusal(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(
		sim.Profile{Model: "gpt-5.6-terra", Reasoning: true}, sim.Profile{Model: "gpt-6-sol", Reasoning: true},
		sim.Profile{Model: "gpt-6.2-sol", Reasoning: true}, sim.Profile{Model: "gpt-5.4", Reasoning: true},
		sim.Profile{Model: "gpt-5.1", Reasoning: true},
	), nil))
	const (
		msgs   = `"messages":[{"role":"user","content":"weather in Oslo?"}]`
		tool   = `"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]`
		custom = `"tools":[{"type":"custom","custom":{"name":"apply_patch"}}]`
	)
	refused := func(model string) string {
		return `{"error":{"message":"Function tools with reasoning_effort are not supported for ` + model +
			` in /v1/chat/completions. To use function tools, use /v1/responses or set reasoning_effort to 'none'.","type":"invalid_request_error","param":"reasoning_effort","code":null}}` + "\n"
	}
	for _, tt := range []struct {
		model, params string
		refused       bool
	}{
		{"gpt-5.6-terra", tool, true},
		{"gpt-5.6-terra", tool + `,"reasoning_effort":"low"`, true},
		{"gpt-5.6-terra", custom, true},
		{"gpt-5.6-terra", tool + `,"reasoning_effort":"none"`, false},
		{"gpt-5.6-terra", `"reasoning_effort":"high"`, false},
		{"gpt-6-sol", tool + `,"stream":true`, true},
		{"gpt-6.2-sol", tool + `,"reasoning_effort":"low"`, true}, // none it refuses as a value (TestEffortRefusal)
		{"gpt-5.4", tool, false},
		{"gpt-5.4", tool + `,"reasoning_effort":"medium"`, true},
		{"gpt-5.1", tool + `,"reasoning_effort":"high"`, false},
	} {
		body := `{"model":"` + tt.model + `",` + msgs + `,` + tt.params + `}`
		status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer)
		switch {
		case tt.refused && (status != 400 || out != refused(tt.model)):
			t.Errorf("%s %s: %d %s", tt.model, tt.params, status, out)
		case !tt.refused && status != 200:
			t.Errorf("%s %s: %d %s, want 200", tt.model, tt.params, status, out)
		}
	}
	body := `{"model":"gpt-5.6-terra","input":"weather in Oslo?","reasoning":{"effort":"high"},"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{}}}]}`
	if status, _, out := do(t, hc, "POST", url+"/v1/responses", body, bearer); status != 200 {
		t.Errorf("responses: %d %s", status, out)
	}
}
