package openai

import (
	"context"
	"fmt"
	"strings"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/openai"
)

// Speak asks POST {base}/audio/speech (on Azure, the deployment's route)
// for req's audio, sending the client's body with its model set to
// req.Model, and returns the audio as it arrives once the upstream
// answered 2xx, typed by the upstream's Content-Type (or by
// req.ResponseFormat when it sent none). A 2xx JSON answer is no audio:
// its error, or a KindUpstream error. Other errors are mapped as for
// Chat.
func (c *Client) Speak(ctx context.Context, req *llm.SpeechRequest) (*llm.AudioStream, error) {
	ctx = provider.WithStreamedAnswer(ctx) // the audio flows as it is synthesized
	resp, err := c.send(ctx, "audio/speech", req.Model, wire.WithModel(req.Body, req.Model), "application/json", "*/*")
	if err != nil {
		return nil, err
	}
	ct := resp.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") {
		data, err := c.readBody(ctx, resp)
		if err != nil {
			return nil, err
		}
		if e := c.bodyError(data); e != nil {
			return nil, e
		}
		return nil, provider.Garbage(c.name, fmt.Errorf("openai: speech answered JSON, not audio: %.200s", data))
	}
	if ct == "" {
		ct = llm.SpeechContentType(req.ResponseFormat)
	}
	return &llm.AudioStream{ContentType: ct, Body: resp.Body}, nil
}
