package openai

import (
	"context"
	"fmt"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/openai"
)

// GenerateImages creates images with POST {base}/images/generations (on
// Azure, the deployment's route), sending the client's body with its
// model set to req.Model, and returns the answer with its body as it
// came. An answer that is not an images answer is a KindUpstream error;
// other errors are mapped as for Chat.
func (c *Client) GenerateImages(ctx context.Context, req *llm.ImageRequest) (*llm.ImageResponse, error) {
	resp, err := c.send(ctx, "images/generations", req.Model, wire.WithModel(req.Body, req.Model), "application/json", "application/json")
	if err != nil {
		return nil, err
	}
	data, err := c.readBody(ctx, resp)
	if err != nil {
		return nil, err
	}
	if e := c.bodyError(data); e != nil {
		return nil, e
	}
	out, err := wire.DecodeImageResponse(data)
	if err != nil {
		return nil, provider.Garbage(c.name, fmt.Errorf("openai: decode images response: %w", err))
	}
	return out, nil
}
