package config

import (
	"strings"
	"testing"
)

// TakesBatches: the providers' own hosts by default, a declared batch
// capability elsewhere on kinds openai and anthropic; never Azure,
// Gemini, a pool, nor an OpenAI-compatible host that does not declare it.
func TestTakesBatches(t *testing.T) {
	c := mustParse(t, []byte(`providers:
  openai: {kind: openai, api_key: k}
  anthropic: {kind: anthropic, api_key: k}
  groq: {kind: openai, base_url: "https://api.groq.com/openai/v1", api_key: k}
  sim: {kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: k}
  gemini: {kind: gemini, api_key: k}
  pool: {kind: openai, api_keys: [a, b]}
deployments:
  gpt: {provider: openai, model: gpt-4o-mini}
  claude: {provider: anthropic, model: claude-3-5-haiku-latest}
  groq: {provider: groq, model: llama-3.1-8b-instant, price: {input: 0.05, output: 0.08}}
  simulated: {provider: sim, model: gpt-4o-mini, capabilities: [batch]}
  flash: {provider: gemini, model: gemini-2.0-flash}
  pooled: {provider: pool, model: gpt-4o-mini, capabilities: [batch]}
`), nil)
	for name, want := range map[string]bool{"gpt": true, "claude": true, "groq": false, "simulated": true, "flash": false, "pooled": false, "none": false} {
		if got := c.TakesBatches(name); got != want {
			t.Errorf("TakesBatches(%s) = %v, want %v", name, got, want)
		}
	}
	_, err := Parse([]byte(`providers: {gemini: {kind: gemini, api_key: k}}
deployments: {flash: {provider: gemini, model: gemini-2.0-flash, capabilities: [batch]}}
`), nil)
	if err == nil || !strings.Contains(err.Error(), "capability batch is only for kinds openai and anthropic") {
		t.Errorf("batch on gemini: %v", err)
	}
}
