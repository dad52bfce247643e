package gateway

import (
	"context"

	"switchyard/llm"
	"switchyard/provider"
)

// EditImages answers an image edit or variation request as
// GenerateImages answers generations: the candidates that serve images
// in order, failing over on retryable errors; a candidate whose provider
// has no image edit API (Anthropic, Gemini) is refused with a
// clear error. It is recorded as an images request, and costs what
// GenerateImages would for the images it made.
func (g *Gateway) EditImages(ctx context.Context, req *llm.ImageEditRequest, served *llm.Served) (*llm.ImageResponse, error) {
	what := editWhat(req.Variation)
	return serveNamed(ctx, g, imageCosts(&namedCall[llm.ImageResponse]{
		endpoint:  "images",
		model:     req.Model,
		texts:     []string{req.Prompt},
		unserved:  notMedia(req.Model, what, llm.CapImages, "gpt-image-1 or dall-e-2"),
		firstByte: imageFirstByte,
		serves:    func(t *Target) bool { return servesMedia(t, llm.CapImages) },
		refuse: func(t *Target) error {
			if _, ok := t.Provider.(provider.ImageEditor); !hasMediaAPI(t, llm.CapImages, ok) {
				return wrongKind(t, what)
			}
			return nil
		},
		call: func(ctx context.Context, t *Target) (*llm.ImageResponse, error) {
			up := *req
			up.Model = t.Deployment.Model
			return t.Provider.(provider.ImageEditor).EditImages(ctx, &up)
		},
	}, req.Prompt, req.Size, req.Quality, req.N), served)
}

// editWhat names an edit or a variation in errors.
func editWhat(variation bool) string {
	if variation {
		return "image variations"
	}
	return "image edits"
}
