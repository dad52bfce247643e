package server

import (
	"context"

	"switchyard/api/openai/batch"
	"switchyard/llm"
	"switchyard/provider"
	wireopenai "switchyard/wire/openai"
)

// answers reports whether r, a provider's answer that is no error, is
// an answer of req's kind: an embeddings list to an embeddings request,
// a chat response to a chat request (a provider batch answers each
// request with its endpoint's shape; another is not believed).
func answers(req lineRequest, r *provider.BatchResult) bool {
	if req.embed != nil {
		return r.Embedding != nil
	}
	return r.Response != nil
}

// renderEmbedding records the answer r to the embeddings request req,
// priced at price, and returns it as the line's result: the embeddings
// list the API handler answers (in req's encoding_format), its usage
// estimated when the provider gave none it could believe.
func (f *forwarder) renderEmbedding(ctx context.Context, g *generation, id, dep string, req *llm.EmbeddingRequest, r *provider.BatchResult, price func(llm.Deployment) llm.Deployment) batch.Result {
	if r.Err != nil {
		g.gw.RecordBatchEmbedding(ctx, req, dep, price, nil, r.Err)
		res := errorResult("/v1/embeddings", r.Err)
		res.RequestID = id
		return res
	}
	resp := r.Embedding
	if resp.Usage == (llm.Usage{}) {
		resp.Usage = provider.EstimateEmbeddingUsage(req.Input)
	}
	served := g.gw.RecordBatchEmbedding(ctx, req, dep, price, resp, nil)
	body := wireopenai.AppendEmbeddingResponse(nil, resp, req.EncodingFormat)
	return batch.Result{Status: 200, RequestID: id, CostUSD: served.CostUSD, Body: body}
}
