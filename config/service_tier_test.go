package config

import (
	"strings"
	"testing"
)

// A provider takes service_tier by its kind and host unless its
// service_tier setting says otherwise: api.openai.com and Claude do,
// Azure on its v1 routes or an api-version from 2025-10-01-preview on,
// other OpenAI-compatible hosts only with service_tier: send, Gemini
// never.
func TestTakesServiceTier(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    Provider
		want bool
	}{
		{"openai default host", Provider{Kind: KindOpenAI}, true},
		{"api.openai.com", Provider{Kind: KindOpenAI, BaseURL: "https://api.openai.com/v1"}, true},
		{"compatible host", Provider{Kind: KindOpenAI, BaseURL: "https://api.deepseek.com"}, false},
		{"compatible host that takes it", Provider{Kind: KindOpenAI, BaseURL: "http://127.0.0.1:9/v1", ServiceTier: ServiceTierSend}, true},
		{"openai told to drop it", Provider{Kind: KindOpenAI, ServiceTier: ServiceTierDrop}, false},
		{"pool on api.openai.com", Provider{Kind: KindOpenAI, Endpoints: []Endpoint{{BaseURL: "https://api.openai.com/v1"}}}, true},
		{"azure default version", Provider{Kind: KindAzure, BaseURL: "https://r.openai.azure.com"}, false},
		{"azure recent version", Provider{Kind: KindAzure, BaseURL: "https://r.openai.azure.com", APIVersion: "2025-10-01-preview"}, true},
		{"azure v1 routes", Provider{Kind: KindAzure, BaseURL: "https://r.openai.azure.com/openai/v1"}, true},
		{"anthropic", Provider{Kind: KindAnthropic}, true},
		{"gemini", Provider{Kind: KindGemini}, false},
	} {
		if got := tt.p.TakesServiceTier(); got != tt.want {
			t.Errorf("%s: TakesServiceTier() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestServiceTierSetting(t *testing.T) {
	p := func(body string) string {
		return "deployments: {d: {provider: p}}\nroutes: {r: {deployments: [d]}}\nproviders:\n  p:\n" + body
	}
	c := mustParse(t, []byte(p("    kind: openai\n    base_url: https://api.groq.com/openai/v1\n    api_key: k\n    service_tier: send\n")), nil)
	if !c.Providers["p"].TakesServiceTier() {
		t.Error("service_tier: send not taken")
	}
	for _, tt := range []struct{ name, body, problem, hint string }{
		{"unknown value", "    kind: openai\n    api_key: k\n    service_tier: sned\n", `unknown service_tier "sned"`, `did you mean "send"?`},
		{"on gemini", "    kind: gemini\n    api_key: k\n    service_tier: send\n", "service_tier is only for kind openai or azure, not gemini", "remove it"},
	} {
		_, err := Parse([]byte(p(tt.body)), nil)
		fe := findError(t, err, "providers.p.service_tier", tt.problem)
		if !strings.Contains(fe.Hint, tt.hint) {
			t.Errorf("%s: hint %q, want it to contain %q", tt.name, fe.Hint, tt.hint)
		}
	}
}

// cost.priority_multiplier defaults to DefaultPriorityMultiplier and must
// be at least 1.
func TestPriorityMultiplier(t *testing.T) {
	const base = "deployments: {d: {provider: p}}\nroutes: {r: {deployments: [d]}}\nproviders: {p: {kind: openai, api_key: k}}\n"
	if c := mustParse(t, []byte(base), nil); c.Cost.PriorityMultiplier() != DefaultPriorityMultiplier {
		t.Errorf("default %v", c.Cost.PriorityMultiplier())
	}
	if c := mustParse(t, []byte(base+"cost: {priority_multiplier: 1.75}\n"), nil); c.Cost.PriorityMultiplier() != 1.75 {
		t.Errorf("set %v", c.Cost.PriorityMultiplier())
	}
	_, err := Parse([]byte(base+"cost: {priority_multiplier: 0.5}\n"), nil)
	findError(t, err, "cost.priority_multiplier", "must be at least 1")
}

// A deployment's priority prices are read like its other prices.
func TestPriorityPrices(t *testing.T) {
	const body = "providers: {p: {kind: openai, api_key: k}}\nroutes: {r: {deployments: [d]}}\n" +
		"deployments: {d: {provider: p, price: {input: 2, output: 8, priority_input: 3.5, priority_output: 14, priority_cached_input: 0.875}}}\n"
	c := mustParse(t, []byte(body), nil)
	pp := c.Deployments["d"].Price.Priority
	if pp.Input != 3.5 || pp.Output != 14 || pp.CachedInput != 0.875 {
		t.Errorf("priority prices %+v", pp)
	}
}

// cost.ultrafast_multiplier defaults to DefaultUltrafastMultiplier (6)
// and must be at least 1; a deployment's ultrafast prices are read like
// its priority prices, input and output together.
func TestUltrafastPricing(t *testing.T) {
	const base = "deployments: {d: {provider: p}}\nroutes: {r: {deployments: [d]}}\nproviders: {p: {kind: openai, api_key: k}}\n"
	if c := mustParse(t, []byte(base), nil); c.Cost.UltrafastMultiplier() != 6 {
		t.Errorf("default %v", c.Cost.UltrafastMultiplier())
	}
	if c := mustParse(t, []byte(base+"cost: {ultrafast_multiplier: 4}\n"), nil); c.Cost.UltrafastMultiplier() != 4 {
		t.Errorf("set %v", c.Cost.UltrafastMultiplier())
	}
	_, err := Parse([]byte(base+"cost: {ultrafast_multiplier: 0.5}\n"), nil)
	findError(t, err, "cost.ultrafast_multiplier", "must be at least 1")

	const body = "providers: {p: {kind: openai, api_key: k}}\nroutes: {r: {deployments: [d]}}\n" +
		"deployments: {d: {provider: p, price: {input: 10, output: 50, ultrafast_input: 60, ultrafast_output: 300, ultrafast_cached_input: 6}}}\n"
	if up := mustParse(t, []byte(body), nil).Deployments["d"].Price.Ultrafast; up.Input != 60 || up.Output != 300 || up.CachedInput != 6 {
		t.Errorf("ultrafast prices %+v", up)
	}
	_, err = Parse([]byte(strings.Replace(body, "ultrafast_output: 300, ", "", 1)), nil)
	findError(t, err, "deployments.d.price.ultrafast_input", "ultrafast_input and ultrafast_output go together")
}
