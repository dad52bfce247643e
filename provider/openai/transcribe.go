package openai

import (
	"context"
	"fmt"
	"strings"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/openai"
)

// Transcribe sends req as a multipart form to POST
// {base}/audio/transcriptions, or /audio/translations when
// req.Translate (on Azure, the deployment's routes), with its model set
// to req.Model, and returns the answer with its body as it came, typed by
// the upstream's Content-Type. A json or verbose_json answer that is not
// a transcription is a KindUpstream error; other errors are mapped as for
// Chat.
func (c *Client) Transcribe(ctx context.Context, req *llm.TranscriptionRequest) (*llm.TranscriptionResponse, error) {
	op := "audio/transcriptions"
	if req.Translate {
		op = "audio/translations"
	}
	body, ct := wire.EncodeTranscriptionForm(req)
	resp, err := c.send(ctx, op, req.Model, body, ct, "application/json, text/plain")
	if err != nil {
		return nil, err
	}
	upType := resp.Header.Get("Content-Type")
	data, err := c.readBody(ctx, resp)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(upType, "application/json") {
		if e := c.bodyError(data); e != nil {
			return nil, e
		}
	}
	out, err := wire.DecodeTranscriptionResponse(req.ResponseFormat, data)
	if err != nil {
		return nil, provider.Garbage(c.name, fmt.Errorf("openai: decode %s response: %w", op, err))
	}
	if upType != "" {
		out.ContentType = upType
	}
	return out, nil
}
