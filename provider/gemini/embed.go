package gemini

import (
	"context"
	"fmt"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/gemini"
)

// maxEmbedBatch is the most requests one batchEmbedContents call takes
// ("at most 100 requests can be in one batch"); the OpenAI API takes up
// to 2048 inputs.
const maxEmbedBatch = 100

// Embed embeds the inputs with batchEmbedContents, one call per
// maxEmbedBatch inputs in turn; the vectors come back in input order.
// Errors are *llm.Error values; the first failed call fails the request.
func (c *Client) Embed(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
	if len(req.Input) == 0 {
		return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: "input", Message: "input must not be empty", Provider: c.name}
	}
	model := modelID(req.Model)
	res := &llm.EmbeddingResponse{Model: model, Data: make([]llm.Embedding, 0, len(req.Input))}
	for start := 0; start < len(req.Input); start += maxEmbedBatch {
		texts := req.Input[start:min(start+maxEmbedBatch, len(req.Input))]
		vecs, usage, err := c.embedBatch(ctx, model, texts, req.Dimensions)
		if err != nil {
			return nil, err
		}
		for i, v := range vecs {
			res.Data = append(res.Data, llm.Embedding{Index: start + i, Vector: v})
		}
		res.Usage.PromptTokens += usage.PromptTokens
		res.Usage.TotalTokens += usage.TotalTokens
		res.Usage.Estimated = res.Usage.Estimated || usage.Estimated
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
