package server

import (
	"context"
	"strings"
	"time"

	"switchyard/api/openai/batch"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/wire/completions"
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
// priced at price, its budget hold settled, and returns it as the line's result: the embeddings
// list the API handler answers (in req's encoding_format), its usage
// estimated when the provider gave none it could believe.
func (f *forwarder) renderEmbedding(ctx context.Context, g *generation, id, dep, hold string, req *llm.EmbeddingRequest, r *provider.BatchResult, price func(llm.Deployment) llm.Deployment) batch.Result {
	if r.Err != nil {
		g.gw.RecordBatchEmbedding(ctx, req, dep, hold, price, nil, r.Err)
		res := errorResult("/v1/embeddings", r.Err)
		res.RequestID = id
		return res
	}
	resp := r.Embedding
	if resp.Usage == (llm.Usage{}) {
		resp.Usage = provider.EstimateEmbeddingUsage(req.Input)
	}
	served := g.gw.RecordBatchEmbedding(ctx, req, dep, hold, price, resp, nil)
	body := wireopenai.AppendEmbeddingResponse(nil, resp, req.EncodingFormat)
	return batch.Result{Status: 200, RequestID: id, CostUSD: served.CostUSD, Body: body}
}

// completionsEndpoint is the legacy Completions API's batch endpoint.
const completionsEndpoint = "/v1/completions"

// appendCompletion appends resp, the answer to the legacy completion
// req of the request id, as the text_completion object the API handler
// answers: its id "cmpl-" and the request id's base, the model that
// answered, cost the usage's.
func appendCompletion(req *completions.Request, id string, served *llm.Served, resp *llm.Response, cost string) []byte {
	meta := completions.Meta{ID: "cmpl-" + strings.TrimPrefix(id, "req_"), Created: time.Now().Unix(), Model: resp.Model}
	if meta.Model == "" {
		meta.Model = served.Model
	}
	return completions.AppendResponse(nil, req, &meta, resp, cost)
}
