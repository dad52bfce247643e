package gateway

import (
	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/provider"
)

// This file holds what the media endpoints (images, speech,
// transcription) share: which candidates serve them, and the errors when
// none does.

// servesMedia reports whether t serves the media endpoint of capability
// c: it declares c, or it declares no capabilities and its media price
// (configured, or the table's for its model: dall-e-3 serves images,
// whisper-1 transcription) is of that kind. A chat deployment that
// declares nothing serves none.
func servesMedia(t *Target, c llm.Capability) bool {
	if len(t.Deployment.Capabilities) > 0 {
		return t.Deployment.Has(c)
	}
	p := mediaPrice(t)
	return p != nil && p.Kind == c
}

// hasMediaAPI reports whether t's provider has the API of the media
// endpoint of c: it implements it (implements, from a type assertion)
// and, if it may serve none (a pool, by its members), serves it.
func hasMediaAPI(t *Target, c llm.Capability, implements bool) bool {
	if ms, ok := t.Provider.(provider.MediaServer); ok && implements {
		return ms.ServesMedia(c)
	}
	return implements
}

// estimatedInput is the usage of a request whose answer reports none:
// text's tokens as input, estimated (they count against the tokens per
// minute and token budgets as embeddings' do).
func estimatedInput(text string) llm.Usage {
	n := textTokens([]string{text})
	return llm.Usage{PromptTokens: n, TotalTokens: n, Estimated: true}
}

// mediaPrice returns t's media price: Target.Media, else the table's
// for its model; nil when neither is known (its costs are unknown).
func mediaPrice(t *Target) *cost.MediaPrice {
	if t.Media != nil {
		return t.Media
	}
	p, _ := cost.LookupMedia(t.Deployment.ModelID())
	return p
}

// notMedia is the error when no candidate of model serves the endpoint
// what (e.g. "image generation"), whose capability is c and an example
// model of which is example.
func notMedia(model, what string, c llm.Capability, example string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "model %s does not serve %s; use a deployment of an OpenAI or Azure OpenAI %s model such as %s, or one that declares the %s capability (GET /v1/models)", model, what, what, example, c)
	e.Param = "model"
	return e
}

// wrongKind refuses t, which declares the media capability of what but
// whose provider has no such API (Anthropic, Gemini): only OpenAI's wire
// format has the media endpoints.
func wrongKind(t *Target, what string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "deployment %s is on a provider of kind %s, which has no %s API; only kind %s and %s deployments serve %s", t.Deployment.Name, t.Kind, what, config.KindOpenAI, config.KindAzure, what)
	e.Param = "model"
	return e
}

// mediaEstimate is the budgets' estimate of a media request on t: usd
// when the price is known (ok), else nothing (an unknown price reserves
// nothing, as for a token-priced deployment of unknown price).
func mediaEstimate(usd float64, ok bool) float64 {
	if !ok {
		return 0
	}
	return usd
}

// answeredOr returns what the answer told (a size, a quality) when it
// told it, else what the request asked.
func answeredOr(answered, asked string) string {
	if answered != "" {
		return answered
	}
	return asked
}
