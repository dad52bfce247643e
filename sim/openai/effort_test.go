package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/sim"
)

// TestEffortRefusal checks that Chat Completions and the Responses API
// refuse a reasoning effort the model does not take with OpenAI's status
// and body byte for byte, listing the values it takes, and take the ones
// it does; a model whose efforts are not known takes any, and a profile
// that lists its own (Efforts) those alone.
func TestEffortRefusal(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(
		sim.Profile{Model: "o4-mini", Reasoning: true}, sim.Profile{Model: "gpt-5", Reasoning: true},
		sim.Profile{Model: "gpt-5.1", Reasoning: true}, sim.Profile{Model: "gpt-6.1-sol", Reasoning: true},
		sim.Profile{Model: "gpt-5-pro", Reasoning: true}, sim.Profile{Model: "gpt-5.1-codex-mini", Reasoning: true},
		sim.Profile{Model: "my-reasoner", Reasoning: true},
		sim.Profile{Model: "host-reasoner", Reasoning: true, Efforts: []llm.Effort{llm.EffortMedium, llm.EffortHigh}},
		sim.Profile{Model: "gpt-5.2", Reasoning: true, Efforts: []llm.Effort{llm.EffortLow, llm.EffortHigh}},
	), nil))
	chat := func(effort, values string) string {
		return `{"error":{"message":"Unsupported value: 'reasoning_effort' does not support '` + effort + `' with this model. Supported values are: ` +
			values + `.","type":"invalid_request_error","param":"reasoning_effort","code":"unsupported_value"}}` + "\n"
	}
	resp := func(effort, model, values string) string {
		return `{"error":{"message":"Unsupported value: '` + effort + `' is not supported with the '` + model + `' model. Supported values are: ` +
			values + `.","type":"invalid_request_error","param":"reasoning.effort","code":"unsupported_value"}}` + "\n"
	}
	const gpt5 = `'minimal', 'low', 'medium', and 'high'`
	for _, tt := range []struct {
		model, effort string
		want          string // "" for 200
	}{
		{"o4-mini", "max", chat("max", `'low', 'medium', and 'high'`)},
		{"o4-mini", "high", ""},
		{"gpt-5", "none", chat("none", gpt5)},
		{"gpt-5", "minimal", ""},
		{"gpt-5.1", "minimal", chat("minimal", `'none', 'low', 'medium', and 'high'`)},
		{"gpt-6.1-sol", "none", chat("none", `'low', 'medium', 'high', 'xhigh', and 'max'`)},
		{"gpt-6.1-sol", "max", ""},
		{"my-reasoner", "max", ""},
		{"host-reasoner", "low", chat("low", `'medium' and 'high'`)}, // a profile's own levels
		{"host-reasoner", "medium", ""},
		{"gpt-5.2", "none", chat("none", `'low' and 'high'`)}, // in place of its id's
	} {
		body := `{"model":"` + tt.model + `","max_completion_tokens":64,"messages":[{"role":"user","content":"hi"}],"reasoning_effort":"` + tt.effort + `"}`
		status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer)
		switch {
		case tt.want != "" && (status != 400 || out != tt.want):
			t.Errorf("chat %s %s: %d %s\nwant %s", tt.model, tt.effort, status, out, tt.want)
		case tt.want == "" && status != 200:
			t.Errorf("chat %s %s: %d %s, want 200", tt.model, tt.effort, status, out)
		}
	}
	for _, tt := range []struct {
		model, effort string
		want          string
	}{
		{"gpt-5.1", "minimal", resp("minimal", "gpt-5.1", `'none', 'low', 'medium', and 'high'`)},
		{"gpt-6.1-sol", "none", resp("none", "gpt-6.1-sol", `'low', 'medium', 'high', 'xhigh', and 'max'`)},
		{"o4-mini", "xhigh", resp("xhigh", "o4-mini", `'low', 'medium', and 'high'`)},
		{"gpt-6.1-sol", "low", ""},
		{"gpt-5-pro", "medium", resp("medium", "gpt-5-pro", `'high'`)}, // Responses-only models
		{"gpt-5.1-codex-mini", "low", resp("low", "gpt-5.1-codex-mini", `'medium' and 'high'`)},
		{"host-reasoner", "xhigh", resp("xhigh", "host-reasoner", `'medium' and 'high'`)},
		{"host-reasoner", "high", ""},
	} {
		body := `{"model":"` + tt.model + `","input":"hi","reasoning":{"effort":"` + tt.effort + `"}}`
		status, _, out := do(t, hc, "POST", url+"/v1/responses", body, bearer)
		switch {
		case tt.want != "" && (status != 400 || out != tt.want):
			t.Errorf("responses %s %s: %d %s\nwant %s", tt.model, tt.effort, status, out, tt.want)
		case tt.want == "" && status != 200:
			t.Errorf("responses %s %s: %d %s, want 200", tt.model, tt.effort, status, out)
		}
	}
}

// TestEffortRulesReadReceivedLevel: a profile listing its own levels for
// a model OpenAI's table knows is judged by the level received, as the
// host would judge it: gpt-5.4 listing minimal refuses function tools on
// Chat Completions at minimal (its table would take minimal as none),
// and gpt-5.1 listing no none refuses a temperature at low.
func TestEffortRulesReadReceivedLevel(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(
		sim.Profile{Model: "gpt-5.4", Reasoning: true, Efforts: []llm.Effort{llm.EffortMinimal, llm.EffortLow, llm.EffortMedium, llm.EffortHigh}},
		sim.Profile{Model: "gpt-5.1", Reasoning: true, Efforts: []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh}},
	), nil))
	tools := `{"model":"gpt-5.4","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"minimal",` +
		`"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}`
	if status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", tools, bearer); status != 400 || !strings.Contains(out, "Function tools with reasoning_effort") {
		t.Errorf("gpt-5.4 minimal with tools: %d %s", status, out)
	}
	temp := `{"model":"gpt-5.1","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low","temperature":0.5}`
	if status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", temp, bearer); status != 400 || !strings.Contains(out, "temperature") {
		t.Errorf("gpt-5.1 low with temperature: %d %s", status, out)
	}
}
