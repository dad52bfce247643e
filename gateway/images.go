package gateway

import (
	"context"

	"switchyard/llm"
	"switchyard/provider"
)

// GenerateImages answers an image generation request as Embed answers
// embeddings (serveNamed): the caller's limits and budgets, then the
// candidates that serve images (servesMedia) in order, failing over on
// retryable errors. A candidate whose provider has no images API
// (Anthropic, Gemini) is refused with a clear error. The cost is the
// images' price by size and quality (cost.MediaPrice.ImageCost: the
// size and quality the answer reports, else those asked, else the
// model's defaults), unknown when the price table cannot tell.
func (g *Gateway) GenerateImages(ctx context.Context, req *llm.ImageRequest, served *llm.Served) (*llm.ImageResponse, error) {
	return serveNamed(ctx, g, imageCosts(&namedCall[llm.ImageResponse]{
		endpoint:  "images",
		model:     req.Model,
		texts:     []string{req.Prompt},
		unserved:  notMedia(req.Model, "image generation", llm.CapImages, "dall-e-3 or gpt-image-1"),
		firstByte: imageFirstByte,
		serves:    func(t *Target) bool { return servesMedia(t, llm.CapImages) },
		refuse: func(t *Target) error {
			if _, ok := t.Provider.(provider.Imager); !hasMediaAPI(t, llm.CapImages, ok) {
				return wrongKind(t, "image generation")
			}
			return nil
		},
		call: func(ctx context.Context, t *Target) (*llm.ImageResponse, error) {
			up := *req
			up.Model = t.Deployment.Model
			return t.Provider.(provider.Imager).GenerateImages(ctx, &up)
		},
	}, req.Prompt, req.Size, req.Quality, req.N), served)
}

// imageCosts gives nc, an image request of prompt asking n images of size
// and quality, its usage (the answer's, else the prompt's estimated:
// dall-e reports none), its price (by the size and quality answered,
// else asked) and its budgets' estimate.
func imageCosts(nc *namedCall[llm.ImageResponse], prompt, size, quality string, n int) *namedCall[llm.ImageResponse] {
	nc.usage = func(resp *llm.ImageResponse) llm.Usage {
		if resp.Usage.TotalTokens == 0 {
			resp.Usage = estimatedInput(prompt)
		}
		return resp.Usage
	}
	nc.price = func(t *Target, resp *llm.ImageResponse, _ llm.Usage) (float64, bool) {
		return mediaPrice(t).ImageCost(answeredOr(resp.Size, size), answeredOr(resp.Quality, quality), resp.Images)
	}
	nc.estimate = func(t *Target) float64 { return mediaEstimate(mediaPrice(t).ImageCost(size, quality, n)) }
	return nc
}
