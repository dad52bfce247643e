package gateway

import (
	"context"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider"
)

// Embed answers an embeddings request, failing over between the
// candidates that can embed: a deployment named directly, or a configured
// route's deployments in their listed order (serveNamed). A candidate can
// embed when its provider is a provider.Embedder and its capabilities, if
// it lists any, include embeddings; token input goes only to OpenAI and
// Azure deployments (embedsTokens). Embeddings are not classified.
func (g *Gateway) Embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error) {
	tokens := tokenInput(req)
	return serveNamed(ctx, g, &namedCall[llm.EmbeddingResponse]{
		endpoint: "embeddings",
		model:    req.Model,
		texts:    req.Input,
		unserved: llm.Errorf(llm.KindInvalidRequest, "model %s does not serve embeddings; use an embeddings deployment (GET /v1/models)", llm.Clip(req.Model)),
		serves:   func(t *Target) bool { return embedderOf(t) != nil },
		refuse: func(t *Target) error {
			if tokens && !embedsTokens(t.Kind) {
				return tokenInputError(t)
			}
			return nil
		},
		call: func(ctx context.Context, t *Target) (*llm.EmbeddingResponse, error) {
			up := *req
			up.Model = t.Deployment.Model
			return embedderOf(t).Embed(ctx, &up)
		},
		usage: func(resp *llm.EmbeddingResponse) llm.Usage { return resp.Usage },
	}, served)
}

// embedderOf returns t's provider as an Embedder when t can embed, else
// nil.
func embedderOf(t *Target) provider.Embedder {
	em, ok := t.Provider.(provider.Embedder)
	if !ok || len(t.Deployment.Capabilities) > 0 && !t.Deployment.Has(llm.CapEmbeddings) {
		return nil
	}
	return em
}

// tokenInput reports whether req's input is token ids (arrays of
// integers), which have no canonical form: the OpenAI decoder keeps them
// verbatim in Extra["input"] and leaves Input empty.
func tokenInput(req *llm.EmbeddingRequest) bool {
	return len(req.Input) == 0 && req.Extra["input"] != nil
}

// embedsTokens reports whether a provider of kind can embed token input:
// only the OpenAI wire format has it (the adapter passes it through).
func embedsTokens(kind string) bool {
	return kind == config.KindOpenAI || kind == config.KindAzure
}

// tokenInputError refuses token input for t, a deployment that takes
// text only; it stands when no candidate could take the request.
func tokenInputError(t *Target) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'input': token input (arrays of token ids) can only be embedded by an OpenAI or Azure deployment, and %s (%s) takes text. Send the input as a string or an array of strings.", t.Deployment.Name, t.Kind)
	e.Param = "input"
	return e
}
