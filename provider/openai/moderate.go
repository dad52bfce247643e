package openai

import (
	"context"
	"fmt"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/openai"
)

// Moderates reports whether the upstream has a moderations endpoint:
// kind openai does (OpenAI; Mistral and other vendors that copy it), kind
// azure does not (Azure OpenAI has no /moderations route; its content
// filtering is part of each deployment, and Azure AI Content Safety is a
// separate service with its own API).
func (c *Client) Moderates() bool { return !c.azure }

// Moderate classifies req's inputs with POST {base}/moderations and
// returns the answer with the body as it came (for the gateway to relay)
// and no usage (the API reports none). An answer that is not a
// moderations answer, or has a result count other than req.Inputs(), is a
// KindUpstream error; other errors are mapped as for Chat. On Azure it
// fails with KindInvalidRequest, sending nothing.
func (c *Client) Moderate(ctx context.Context, req *llm.ModerationRequest) (*llm.ModerationResponse, error) {
	if c.azure {
		return nil, &llm.Error{Kind: llm.KindInvalidRequest, Provider: c.name,
			Message: fmt.Sprintf("provider %s is Azure OpenAI, which has no moderations endpoint", c.name)}
	}
	encode := func() ([]byte, error) {
		body, err := wire.EncodeModerationRequest(req)
		if err != nil {
			return nil, c.encodeError(err)
		}
		return body, nil
	}
	resp, err := c.post(ctx, "moderations", req.Model, encode, false)
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
	out, err := wire.DecodeModerationResponse(data)
	if err == nil && len(out.Results) != req.Inputs() {
		err = fmt.Errorf("%d results for %d inputs", len(out.Results), req.Inputs())
	}
	if err != nil {
		return nil, provider.Garbage(c.name, fmt.Errorf("openai: decode moderations response: %w", err))
	}
	return out, nil
}
