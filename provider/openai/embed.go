package openai

import (
	"context"
	"errors"
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
	body, err := wire.EncodeEmbeddingRequest(&r)
	if err != nil {
		var le *llm.Error
		if errors.As(err, &le) {
			return nil, le
		}
		return nil, &llm.Error{Kind: llm.KindInvalidRequest, Message: "the request cannot be sent to upstream " + c.name, Provider: c.name, Err: err}
	}
	resp, err := c.post(ctx, "embeddings", req.Model, body, false)
	if err != nil {
		return nil, err
	}
	data, err := c.readBody(ctx, resp)
	if err != nil {
		return nil, err
	}
	out, err := wire.DecodeEmbeddingResponse(data)
	if err != nil || len(out.Data) != len(req.Input) {
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
