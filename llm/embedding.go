package llm

import "encoding/json"

// EmbeddingRequest is a canonical embeddings request.
type EmbeddingRequest struct {
	Model string
	// Input holds the texts to embed.
	Input []string
	// Dimensions asks for shortened vectors; nil means the model's default.
	Dimensions *int
	// EncodingFormat is the format the client wants back: "float" (default)
	// or "base64". Adapters always fetch floats from upstream.
	EncodingFormat string
	User           string
	Extra          map[string]json.RawMessage
}

// Embedding is one vector of an embeddings response.
type Embedding struct {
	Index  int
	Vector []float32
}

// EmbeddingResponse is a canonical embeddings response.
type EmbeddingResponse struct {
	Model string
	Data  []Embedding
	Usage Usage
}
