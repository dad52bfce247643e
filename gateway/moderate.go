package gateway

import (
	"context"
	"strings"

	"switchyard/llm"
	"switchyard/provider"
)

// Moderate answers a moderations request as Embed answers embeddings
// (serveNamed): the caller's limits and budgets, then the candidates that
// can moderate (a deployment named directly, or a configured route's
// deployments in their listed order), failing over on retryable errors. A
// candidate can moderate when its provider is a provider.Moderator that
// Moderates and its capabilities, if it lists any, include moderation;
// multimodal input goes only to candidates that take images
// (takesImages). Moderations are not classified. The answer's Usage is
// the texts' tokens (the API reports none), priced at the deployment's
// input price (OpenAI's moderation models are free).
func (g *Gateway) Moderate(ctx context.Context, req *llm.ModerationRequest, served *llm.Served) (*llm.ModerationResponse, error) {
	texts := req.AllTexts()
	n := textTokens(texts)
	usage := llm.Usage{PromptTokens: n, TotalTokens: n, Estimated: true}
	return serveNamed(ctx, g, &namedCall[llm.ModerationResponse]{
		endpoint:  "moderations",
		model:     req.Model,
		texts:     texts,
		unserved:  notModeration(req.Model),
		firstByte: moderationFirstByte,
		serves:    func(t *Target) bool { return moderatorOf(t) != nil },
		refuse: func(t *Target) error {
			if req.Parts != nil && !takesImages(&t.Deployment) {
				return multimodalError(t)
			}
			return nil
		},
		call: func(ctx context.Context, t *Target) (*llm.ModerationResponse, error) {
			up := *req
			up.Model = t.Deployment.Model
			return moderatorOf(t).Moderate(ctx, &up)
		},
		usage: func(resp *llm.ModerationResponse) llm.Usage {
			resp.Usage = usage
			return usage
		},
	}, served)
}

// moderatorOf returns t's provider as a Moderator when t can moderate,
// else nil.
func moderatorOf(t *Target) provider.Moderator {
	m, ok := t.Provider.(provider.Moderator)
	if !ok || !m.Moderates() || len(t.Deployment.Capabilities) > 0 && !t.Deployment.Has(llm.CapModeration) {
		return nil
	}
	return m
}

// takesImages reports whether a moderation deployment classifies
// multimodal input: it declares vision, or its model is an
// omni-moderation model (OpenAI's text-moderation models, Mistral's and
// other vendors' take text only).
func takesImages(d *llm.Deployment) bool {
	return d.Has(llm.CapVision) || strings.HasPrefix(d.ModelID(), "omni-moderation")
}

// notModeration is the error when no candidate of model can moderate.
func notModeration(model string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "model %s does not serve moderations; use a moderation deployment such as omni-moderation-latest (GET /v1/models)", llm.Clip(model))
	e.Param = "model"
	return e
}

// multimodalError refuses multimodal input for t, a deployment that takes
// text only; it stands when no candidate could take the request.
func multimodalError(t *Target) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'input': multimodal input (objects of type text or image_url) can only be classified by a deployment that takes images (an omni-moderation model, or one that declares the vision capability), and %s (%s) takes text only. Send the text as a string or an array of strings, or use an omni-moderation deployment.", t.Deployment.Name, t.Deployment.ModelID())
	e.Param = "input"
	return e
}
