package openai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// embedParams are the fields of an embeddings request the real API accepts.
var embedParams = map[string]bool{"dimensions": true, "encoding_format": true, "input": true, "model": true, "user": true}

// defaultDimensions is the vector size of an embedding profile that sets
// none.
const defaultDimensions = 1536

// embeddings serves POST /v1/embeddings (and Azure's deployment route):
// deterministic unit vectors in which texts sharing words are close
// (Vector), shortened to dimensions as OpenAI's text-embedding-3 models
// do, as floats or base64.
func (s *server) embeddings(c *call) {
	req, ok := readRequest(c, wire.DecodeEmbeddingRequest)
	if !ok {
		return
	}
	c.useDeployment(&req.Model)
	p, ok := s.profile(c, req.Model)
	if !ok {
		return
	}
	in, ok := s.validateEmbed(c, req, p)
	if !ok {
		return
	}
	s.answerJSON(c, p, req.Model, in.texts, func() []byte {
		return wire.AppendEmbeddingResponse(nil, embed(req, p, in), req.EncodingFormat)
	})
}

// inputs is what an embeddings request asks to embed: texts (for token
// input, the token ids written out) and their token counts.
type inputs struct {
	texts  []string
	tokens []int
}

// readInputs returns the request's input: strings, or the token arrays the
// codec keeps in Extra["input"] (an array of integers, or of such arrays).
func readInputs(req *llm.EmbeddingRequest) (inputs, bool) {
	var in inputs
	for _, t := range req.Input {
		in.texts = append(in.texts, t)
		in.tokens = append(in.tokens, sim.CountTokens(t))
	}
	raw, ok := req.Extra["input"]
	if len(req.Input) > 0 || !ok {
		return in, len(in.texts) > 0 && !slices.Contains(in.texts, "")
	}
	var flat []int
	var nested [][]int
	if json.Unmarshal(raw, &flat) == nil {
		nested = [][]int{flat}
	} else if json.Unmarshal(raw, &nested) != nil {
		return in, false
	}
	for _, ids := range nested {
		if len(ids) == 0 {
			return in, false
		}
		in.texts = append(in.texts, fmt.Sprint(ids))
		in.tokens = append(in.tokens, len(ids))
	}
	return in, len(in.texts) > 0
}

// validateEmbed applies the real API's checks beyond the schema and
// returns the inputs.
func (s *server) validateEmbed(c *call, req *llm.EmbeddingRequest, p *sim.Profile) (inputs, bool) {
	bad := func(msg, param, code string) (inputs, bool) {
		c.fail(http.StatusBadRequest, apiError{Message: msg, Type: "invalid_request_error", Param: param, Code: code})
		return inputs{}, false
	}
	if !p.Embedding {
		if s.azure {
			c.azureFail(http.StatusBadRequest, "OperationNotSupported", fmt.Sprintf("The embeddings operation does not work with the specified model, %s. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.", p.Model))
			return inputs{}, false
		}
		c.fail(http.StatusForbidden, apiError{Message: "You are not allowed to generate embeddings from this model", Type: "invalid_request_error"})
		return inputs{}, false
	}
	for k := range req.Extra {
		if !embedParams[k] {
			return bad("Unrecognized request argument supplied: "+k, "", "")
		}
	}
	in, ok := readInputs(req)
	if !ok || len(in.texts) > 2048 {
		return bad("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "", "")
	}
	if d := req.Dimensions; d != nil && (*d < 1 || *d > nativeDims(p)) {
		return bad(fmt.Sprintf("Invalid value for 'dimensions' = %d. Must be between 1 and %d.", *d, nativeDims(p)), "dimensions", "invalid_value")
	}
	for _, n := range in.tokens {
		if n > p.Window() {
			return bad(fmt.Sprintf("This model's maximum context length is %d tokens, however you requested %d tokens (%d in your prompt; 0 for the completion). Please reduce your prompt; or completion length.", p.Window(), n, n), "", "")
		}
	}
	return in, true
}

func nativeDims(p *sim.Profile) int {
	if p.Dimensions > 0 {
		return p.Dimensions
	}
	return defaultDimensions
}

// embed computes the response for valid inputs.
func embed(req *llm.EmbeddingRequest, p *sim.Profile, in inputs) *llm.EmbeddingResponse {
	dims := nativeDims(p)
	if req.Dimensions != nil {
		dims = *req.Dimensions
	}
	resp := &llm.EmbeddingResponse{Model: p.Model}
	for i, text := range in.texts {
		resp.Data = append(resp.Data, llm.Embedding{Index: i, Vector: Vector(p.Model, text, nativeDims(p), dims)})
		resp.Usage.PromptTokens += in.tokens[i]
	}
	resp.Usage.TotalTokens = resp.Usage.PromptTokens
	return resp
}

// Vector returns the simulated embedding of text by model (see
// sim.Embedding: texts that share words are close): native dimensions
// cut to dims and normalized again, which is how OpenAI shortens
// embeddings. Equal inputs give equal vectors.
func Vector(model, text string, native, dims int) []float32 {
	return sim.Embedding(model, text, min(dims, native))
}

// modelCreated is the fixed creation time the simulated models report.
const modelCreated = 1715367049

// listModels serves GET /v1/models.
func (s *server) listModels(c *call) {
	ids := make([]string, 0, len(s.models))
	for id := range s.models {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	list := make([]wire.Model, len(ids))
	for i, id := range ids {
		list[i] = wire.Model{ID: id, OwnedBy: "system", Created: modelCreated}
	}
	c.writeJSON(http.StatusOK, append(wire.AppendModelList(nil, list), '\n'))
}

// getModel serves GET /v1/models/{model}.
func (s *server) getModel(c *call) {
	id := c.r.PathValue("model")
	if _, ok := s.models[id]; !ok {
		c.fail(http.StatusNotFound, apiError{
			Message: fmt.Sprintf("The model '%s' does not exist", id),
			Type:    "invalid_request_error",
			Param:   "model",
			Code:    "model_not_found",
		})
		return
	}
	b, _ := json.Marshal(struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}{id, "model", modelCreated, "system"})
	c.writeJSON(http.StatusOK, append(b, '\n'))
}
