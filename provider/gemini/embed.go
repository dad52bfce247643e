package gemini

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/gemini"
)

// maxEmbedBatch is the most requests one batchEmbedContents call takes
// ("at most 100 requests can be in one batch"); the OpenAI API takes up
// to 2048 inputs.
const maxEmbedBatch = 100

// embedConcurrency is how many batchEmbedContents calls one request
// keeps in flight: 2048 inputs are 21 calls, which in turn would take 21
// round trips.
const embedConcurrency = 4

// Embed embeds the inputs with batchEmbedContents, one call per
// maxEmbedBatch inputs, up to embedConcurrency at once; the vectors come
// back in input order. Errors are *llm.Error values; the first failed
// call fails the request and cancels the others.
func (c *Client) Embed(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
	if len(req.Input) == 0 {
		return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: "input", Message: "input must not be empty", Provider: c.name}
	}
	model := modelID(req.Model)
	n := (len(req.Input) + maxEmbedBatch - 1) / maxEmbedBatch
	vecs, usages := make([][][]float32, n), make([]llm.Usage, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(embedConcurrency)
	for b := range n {
		start := b * maxEmbedBatch
		texts := req.Input[start:min(start+maxEmbedBatch, len(req.Input))]
		g.Go(func() error {
			var err error
			vecs[b], usages[b], err = c.embedBatch(gctx, model, texts, req.Dimensions)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res := &llm.EmbeddingResponse{Model: model, Data: make([]llm.Embedding, 0, len(req.Input))}
	for b := range n {
		for i, v := range vecs[b] {
			res.Data = append(res.Data, llm.Embedding{Index: b*maxEmbedBatch + i, Vector: v})
		}
		res.Usage.PromptTokens += usages[b].PromptTokens
		res.Usage.TotalTokens += usages[b].TotalTokens
		res.Usage.Estimated = res.Usage.Estimated || usages[b].Estimated
	}
	return res, nil
}

// embedBatch embeds at most maxEmbedBatch texts with one call, and says
// what they used: the upstream's count when plausible, else an estimate
// (batchEmbedContents usually reports none).
func (c *Client) embedBatch(ctx context.Context, model string, texts []string, dims *int) ([][]float32, llm.Usage, error) {
	batch := wire.BatchEmbedContentsRequest{Requests: make([]wire.EmbedContentRequest, len(texts))}
	for i, text := range texts {
		batch.Requests[i] = wire.EmbedContentRequest{
			Model:                "models/" + model,
			Content:              wire.Content{Parts: []wire.Part{{Text: text}}},
			OutputDimensionality: dims,
		}
	}
	resp, err := c.post(ctx, c.modelURL(model, "batchEmbedContents"), batch, false)
	if err != nil {
		return nil, llm.Usage{}, err
	}
	var out wire.BatchEmbedContentsResponse
	if err := c.decode(ctx, resp, &out); err != nil {
		return nil, llm.Usage{}, err
	}
	if len(out.Embeddings) != len(texts) {
		return nil, llm.Usage{}, provider.Garbage(c.name, fmt.Errorf("gemini: %d embeddings for %d inputs", len(out.Embeddings), len(texts)))
	}
	vecs := make([][]float32, len(out.Embeddings))
	for i, e := range out.Embeddings {
		vecs[i] = e.Values
	}
	usage := provider.EstimateEmbeddingUsage(texts)
	if out.UsageMetadata != nil && out.UsageMetadata.PromptTokenCount > 0 {
		u := llm.Usage{PromptTokens: out.UsageMetadata.PromptTokenCount, TotalTokens: out.UsageMetadata.PromptTokenCount}
		if provider.PlausibleUsage(&u) {
			usage = u
		}
	}
	return vecs, usage, nil
}
