package config

import (
	"net/url"
	"slices"

	"switchyard/llm"
)

// batchHosts are the hosts whose batch API a deployment of kind openai or
// anthropic is known to take: the providers' own. An OpenAI-compatible
// vendor (Groq, Mistral, a vLLM…) answers /v1/chat/completions but most
// have no /v1/batches, or one that differs (Azure's needs a "global
// batch" deployment and its own file routes; Gemini's batch mode is
// another API): they take provider batches only if they declare the
// capability.
var batchHosts = map[string]string{
	KindOpenAI:    "api.openai.com",
	KindAnthropic: "api.anthropic.com",
}

// TakesBatches reports whether the deployment name sends a batch's lines
// to its provider's batch API: it declares the capability batch, or its
// provider is of kind openai or anthropic at the provider's own host
// (its default base_url). Never for kinds azure and gemini, and never for
// a pooled provider (a provider batch lives on one key and one endpoint).
func (c *Config) TakesBatches(name string) bool {
	d := c.Deployments[name]
	if d == nil {
		return false
	}
	p := c.Providers[d.Provider]
	if p == nil || p.Pooled() || (p.Kind != KindOpenAI && p.Kind != KindAnthropic) {
		return false
	}
	if slices.Contains(d.Capabilities, llm.CapBatch) {
		return true
	}
	base := p.BaseURL
	if base == "" {
		base = defaultBaseURL[p.Kind]
	}
	u, err := url.Parse(base)
	return err == nil && u.Host == batchHosts[p.Kind]
}

// batchCapability refuses the capability batch on a deployment whose
// provider's kind has no batch API the router speaks.
func (v *validator) batchCapability(path string, d *Deployment) {
	p := v.c.Providers[d.Provider]
	if p == nil || !slices.Contains(d.Capabilities, llm.CapBatch) || p.Kind == KindOpenAI || p.Kind == KindAnthropic {
		return
	}
	v.add(path, "capability batch is only for kinds openai and anthropic, not "+p.Kind,
		"remove it: Azure OpenAI's batch API needs a global-batch deployment and its own routes, Gemini's batch mode is another API; their lines run on the router")
}
