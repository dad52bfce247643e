package openai

import (
	"context"
	"fmt"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/openai"
)

// Embed creates embeddings. It always asks the upstream for floats (the
// gateway encodes base64 for clients that want it) and returns the vectors
// with the upstream's usage. Errors are mapped as for Chat.
func (c *Client) Embed(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
	r := *req
	r.EncodingFormat = "float"
	encode := func() ([]byte, error) {
		body, err := wire.EncodeEmbeddingRequest(&r)
		if err != nil {
			return nil, c.encodeError(err)
		}
		return body, nil
	}
	resp, err := c.post(ctx, "embeddings", req.Model, encode, false)
	if err != nil {
		return nil, err
	}
	data, err := c.readBody(ctx, resp)
	if err != nil {
		return nil, err
	}
	out, err := wire.DecodeEmbeddingResponse(data)
	// Token-array input lives in Extra with Input empty: no count to check.
	if err != nil || (len(req.Input) > 0 && len(out.Data) != len(req.Input)) {
		if e := c.bodyError(data); e != nil {
			return nil, e
		}
		if err == nil {
			err = fmt.Errorf("%d embeddings for %d inputs", len(out.Data), len(req.Input))
		}
		return nil, provider.Garbage(c.name, fmt.Errorf("openai: decode embeddings response: %w", err))
	}
	return out, nil
}
