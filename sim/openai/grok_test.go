package openai

import (
	"testing"

	"switchyard/sim"
)

// TestGrokRefusals checks that Grok profiles refuse, with xAI's status and
// body (not OpenAI's error object), what the Grok models refuse — the
// penalties even at 0, stop on a reasoning model, reasoning_effort on one
// without the dial — on Chat Completions and the Responses API, and take
// what they take (temperature, max_tokens, logprobs, the effort where
// there is a dial).
func TestGrokRefusals(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(
		sim.Profile{Model: "grok-4.3", Reasoning: true}, sim.Profile{Model: "grok-4-1-fast-reasoning", Reasoning: true},
		sim.Profile{Model: "grok-4-1-fast-non-reasoning"},
	), nil))
	const msgs = `"messages":[{"role":"user","content":"hi"}]`
	for _, tt := range []struct {
		path, model, params string
		want                string // "": 200
	}{
		{"chat/completions", "grok-4.3", `"presence_penalty":0`, "Model grok-4.3 does not support parameter presencePenalty."},
		{"chat/completions", "grok-4.3", `"frequency_penalty":0.5`, "Model grok-4.3 does not support parameter frequencyPenalty."},
		{"chat/completions", "grok-4.3", `"stop":["END"]`, "Model grok-4.3 does not support parameter stop."},
		{"chat/completions", "grok-4-1-fast-reasoning", `"reasoning_effort":"high"`, "Model grok-4-1-fast-reasoning does not support parameter reasoningEffort."},
		{"chat/completions", "grok-4-1-fast-non-reasoning", `"presence_penalty":0`, "Model grok-4-1-fast-non-reasoning does not support parameter presencePenalty."},
		{"chat/completions", "grok-4-1-fast-non-reasoning", `"stop":"END","temperature":0.2`, ""},
		{"chat/completions", "grok-4.3", `"reasoning_effort":"high","temperature":0.2,"top_p":0.5,"max_tokens":100,"logprobs":true,"seed":1`, ""},
		{"chat/completions", "grok-4-1-fast-reasoning", `"temperature":0.7,"max_tokens":50`, ""},
		{"responses", "grok-4-1-fast-reasoning", `"reasoning":{"effort":"low"}`, "Model grok-4-1-fast-reasoning does not support parameter reasoningEffort."},
		{"responses", "grok-4.3", `"reasoning":{"effort":"low"},"temperature":0.3`, ""},
	} {
		input := msgs
		if tt.path == "responses" {
			input = `"input":"hi"`
		}
		body := `{"model":"` + tt.model + `",` + input + `,` + tt.params + `}`
		status, h, out := do(t, hc, "POST", url+"/v1/"+tt.path, body, bearer)
		if tt.want == "" {
			if status != 200 {
				t.Errorf("%s %s %s: %d %s", tt.path, tt.model, tt.params, status, out)
			}
			continue
		}
		if want := `{"code":"invalid-argument","error":"` + tt.want + `"}`; status != 400 || out != want || h.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s %s: %d %s, want 400 %s", tt.path, tt.model, tt.params, status, out, want)
		}
	}
}

// A Grok profile refuses a name on a message not a user's with xAI's 400,
// and takes one on a user message.
func TestGrokRefusesNames(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "grok-4.3", Reasoning: true}, sim.Profile{Model: "gpt-sim"}), nil))
	for _, tt := range []struct {
		model, msgs string
		status      int
	}{
		{"grok-4.3", `[{"role":"system","content":"Be brief.","name":"rules"},{"role":"user","content":"hi"}]`, 400},
		{"grok-4.3", `[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello.","name":"bot"},{"role":"user","content":"again"}]`, 400},
		{"grok-4.3", `[{"role":"user","content":"hi","name":"ann"}]`, 200},
		{"gpt-sim", `[{"role":"system","content":"Be brief.","name":"rules"},{"role":"user","content":"hi"}]`, 200},
	} {
		status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", `{"model":"`+tt.model+`","messages":`+tt.msgs+`}`, bearer)
		const want = `{"code":"Client specified an invalid argument","error":"Invalid request content: Only message of role user can have a name."}`
		if status != tt.status || status == 400 && out != want {
			t.Errorf("%s %s: %d %s", tt.model, tt.msgs, status, out)
		}
	}
}
