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
// with the upstream's usage, or an estimate when the upstream's cannot be
// believed (provider.PlausibleUsage). Errors are mapped as for Chat.
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
	out, dropped, err := decodeEmbeddings(data)
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
	if dropped || !provider.PlausibleUsage(&out.Usage) {
		out.Usage = provider.EstimateEmbeddingUsage(req.Input)
	}
	return out, nil
}

// decodeEmbeddings decodes an embeddings answer; one that does not decode
// gets a second chance without its usage (dropped reports that it took
// it: a count past the decoder's integers).
func decodeEmbeddings(data []byte) (_ *llm.EmbeddingResponse, dropped bool, _ error) {
	out, err := wire.DecodeEmbeddingResponse(data)
	if err == nil {
		return out, false, nil
	}
	if stripped, ok := provider.WithoutUsage(data); ok {
		if out, err2 := wire.DecodeEmbeddingResponse(stripped); err2 == nil {
			return out, true, nil
		}
	}
	return out, false, err
}
