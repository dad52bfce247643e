package gemini

import (
	"fmt"
	"net/http"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// maxBatch is the most requests one batchEmbedContents may hold.
const maxBatch = 100

func (s *server) embedOne(w http.ResponseWriter, r *http.Request, p *sim.Profile) {
	var req wire.EmbedContentRequest
	if !decode(w, r, &req) {
		return
	}
	vec, msg := embedding(p, &req, "EmbedContentRequest", false)
	if msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	if !s.embedFaults(w, r, p, embedText(&req)) {
		return
	}
	writeJSON(w, http.StatusOK, wire.EmbedContentResponse{Embedding: wire.ContentEmbedding{Values: vec}})
}

func (s *server) embedBatch(w http.ResponseWriter, r *http.Request, p *sim.Profile) {
	var req wire.BatchEmbedContentsRequest
	if !decode(w, r, &req) {
		return
	}
	switch {
	case len(req.Requests) == 0:
		writeError(w, http.StatusBadRequest, "* BatchEmbedContentsRequest.requests: requests is not specified\n")
		return
	case len(req.Requests) > maxBatch:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("* BatchEmbedContentsRequest.requests: at most %d requests can be in one batch\n", maxBatch))
		return
	}
	out := wire.BatchEmbedContentsResponse{Embeddings: make([]wire.ContentEmbedding, len(req.Requests))}
	for i := range req.Requests {
		vec, msg := embedding(p, &req.Requests[i], fmt.Sprintf("BatchEmbedContentsRequest.requests[%d]", i), true)
		if msg != "" {
			writeError(w, http.StatusBadRequest, msg)
			return
		}
		out.Embeddings[i].Values = vec
	}
	if !s.embedFaults(w, r, p, embedText(&req.Requests[0])) {
		return
	}
	// The API reports no token usage for these calls.
	writeJSON(w, http.StatusOK, out)
}

// embedFaults applies latency and faults; it reports whether to answer.
func (s *server) embedFaults(w http.ResponseWriter, r *http.Request, p *sim.Profile, text string) bool {
	ft := s.faults.Pick(p.Model, text)
	if ft.Kind == sim.FaultMalformed {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.Write([]byte(`{"embeddings": [{"values": [0.1,`))
		return false
	}
	return injectBefore(w, r, ft, p) && sim.Sleep(r.Context(), p.FirstTokenDelay())
}

// embedding validates one request and returns its vector, or the error
// message.
func embedding(p *sim.Profile, req *wire.EmbedContentRequest, at string, batch bool) ([]float32, string) {
	want := "models/" + p.Model
	switch {
	case batch && req.Model == "":
		return nil, "* " + at + ".model: model is not specified\n"
	case req.Model != "" && req.Model != want:
		return nil, fmt.Sprintf("* %s.model: model %s does not match the model in the URL (%s)\n", at, req.Model, want)
	case len(req.Content.Parts) == 0:
		return nil, "* " + at + ".content.parts: contents.parts must not be empty.\n"
	}
	text := embedText(req)
	if text == "" {
		return nil, "* " + at + ".content: the content has no text to embed\n"
	}
	dims := dimensions(p)
	if d := req.OutputDimensionality; d != nil {
		if *d < 1 || *d > dims {
			return nil, fmt.Sprintf("* %s.output_dimensionality: must be in the range [1, %d]\n", at, dims)
		}
		dims = *d
	}
	return Vector(text, dims), ""
}

func embedText(req *wire.EmbedContentRequest) string {
	var b strings.Builder
	for _, part := range req.Content.Parts {
		b.WriteString(part.Text)
	}
	return b.String()
}

func dimensions(p *sim.Profile) int {
	if p.Dimensions > 0 {
		return p.Dimensions
	}
	return 768
}

// Vector returns the simulated embedding of text: a deterministic unit
// vector of dims values in which texts that share words are close (see
// sim.Embedding).
func Vector(text string, dims int) []float32 { return sim.Embedding("", text, dims) }
