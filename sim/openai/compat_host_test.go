package openai

import (
	"testing"

	"switchyard/sim"
)

// A profile on an OpenAI-compatible host (Host: sim.HostCompat) serving
// its own reasoning model takes max_tokens and sampling, as vLLM, SGLang
// and Ollama do; an OpenAI model id there keeps OpenAI's rules, and the
// same unknown id on OpenAI itself (no Host) or on Azure (whose
// deployment names say nothing of the model) still refuses as o3 does.
func TestCompatHostReasoningTakesMaxTokens(t *testing.T) {
	cat := sim.NewCatalog(
		sim.Profile{Model: "acme-r1", Reasoning: true, Host: sim.HostCompat},
		sim.Profile{Model: "o3", Reasoning: true, Host: sim.HostCompat},
		sim.Profile{Model: "acme-r2", Reasoning: true},
	)
	url, hc := start(t, New(cat, nil))
	azURL, azHC := start(t, NewAzure(cat, nil))
	const msgs = `"messages":[{"role":"user","content":"hi"}]`
	for _, tt := range []struct {
		model, params, param string // "" param: 200
		azure                bool
	}{
		{"acme-r1", `"max_tokens":100`, "", false},
		{"acme-r1", `"max_tokens":100,"temperature":0.6,"top_p":0.95,"stop":["END"]`, "", false},
		{"acme-r1", `"max_completion_tokens":100`, "", false},
		{"o3", `"max_tokens":100`, "max_tokens", false},
		{"o3", `"temperature":0.6`, "temperature", false},
		{"acme-r2", `"max_tokens":100`, "max_tokens", false},
		{"acme-r1", `"max_tokens":100`, "max_tokens", true},
	} {
		u, client, hdr := url+"/v1/chat/completions", hc, bearer
		if tt.azure {
			u, client, hdr = azURL+"/openai/deployments/"+tt.model+"/chat/completions?api-version=2024-10-21", azHC, map[string]string{"Api-Key": "k", "Content-Type": "application/json"}
		}
		status, _, out := do(t, client, "POST", u, `{"model":"`+tt.model+`",`+msgs+`,`+tt.params+`}`, hdr)
		if tt.param == "" {
			if status != 200 {
				t.Errorf("%s %s: %d %s", tt.model, tt.params, status, out)
			}
			continue
		}
		if e := errorOf(t, out); status != 400 || e["param"] != tt.param || e["code"] != "unsupported_parameter" && e["code"] != "unsupported_value" {
			t.Errorf("%s %s azure=%v: %d %s", tt.model, tt.params, tt.azure, status, out)
		}
	}
}
