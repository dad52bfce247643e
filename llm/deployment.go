package llm

// Capability is something a deployment can do beyond plain chat.
type Capability string

// Known capabilities.
const (
	CapTools        Capability = "tools"
	CapJSONMode     Capability = "json_mode"
	CapJSONSchema   Capability = "json_schema"
	CapVision       Capability = "vision"
	CapStreaming    Capability = "streaming"
	CapEmbeddings   Capability = "embeddings"
	CapReasoning    Capability = "reasoning"
	CapMultilingual Capability = "multilingual"
	CapCode         Capability = "code"
	CapMath         Capability = "math"
)

// Deployment is one upstream model on one provider, with its price, limits
// and capabilities.
type Deployment struct {
	// Name is what clients and routes call it; unique in a config.
	Name string
	// Provider is the name of the configured provider that serves it.
	Provider string
	// Model is the upstream model name sent to the provider.
	Model string
	// InputPricePerM and OutputPricePerM are USD per 1M tokens.
	InputPricePerM  float64
	OutputPricePerM float64
	// CachedInputPricePerM is USD per 1M cached prompt tokens; zero means
	// the input price applies.
	CachedInputPricePerM float64
	// ContextWindow is the model's maximum tokens; zero means unknown.
	ContextWindow int
	// MaxOutputTokens is the model's output limit; zero means unknown.
	MaxOutputTokens int
	Capabilities    []Capability
	// Continuation is how the deployment continues a partial answer (an
	// assistant prefill); ContinueNone means it cannot, so a broken
	// stream is never resumed on it by prefill.
	Continuation Continuation
}

// Has reports whether the deployment declares capability c.
func (d *Deployment) Has(c Capability) bool {
	for _, x := range d.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}

// Cost returns the USD cost of u on this deployment.
func (d *Deployment) Cost(u Usage) float64 {
	cachedPrice := d.CachedInputPricePerM
	if cachedPrice == 0 {
		cachedPrice = d.InputPricePerM
	}
	uncached := u.PromptTokens - u.CachedPromptTokens
	if uncached < 0 {
		uncached = 0
	}
	return (float64(uncached)*d.InputPricePerM +
		float64(u.CachedPromptTokens)*cachedPrice +
		float64(u.CompletionTokens)*d.OutputPricePerM) / 1e6
}
