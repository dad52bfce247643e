package openai

import (
	"context"
	"fmt"
	"io"
	"strings"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/openai"
)

var (
	_ provider.ImageEditor   = (*Client)(nil)
	_ provider.MediaStreamer = (*Client)(nil)
)

// EditImages sends req as a multipart form to POST {base}/images/edits,
// or /images/variations when req.Variation (on Azure, the deployment's
// route), its parts in order with model set to req.Model, and returns the
// answer with its body as it came. An answer that is not an images
// answer is a KindUpstream error; other errors are mapped as for Chat.
func (c *Client) EditImages(ctx context.Context, req *llm.ImageEditRequest) (*llm.ImageResponse, error) {
	body, ct := wire.EncodeImageEditForm(req)
	op := imageEditOp(req)
	resp, err := c.send(ctx, op, req.Model, body, ct, "application/json")
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
		return nil, provider.Garbage(c.name, fmt.Errorf("openai: decode %s response: %w", op, err))
	}
	return out, nil
}

func imageEditOp(req *llm.ImageEditRequest) string {
	if req.Variation {
		return "images/variations"
	}
	return "images/edits"
}

// StreamMedia sends req (stream true) to POST {base}/images/generations
// (JSON), /images/edits or /audio/transcriptions (multipart), with its
// model set to req.Model(), and returns the upstream's event stream as
// it arrives once it answered 2xx with text/event-stream. A 2xx answer of
// another type is its error (whisper-1 refuses stream with a 400 before
// that) or a KindUpstream error. Other errors are mapped as for Chat.
func (c *Client) StreamMedia(ctx context.Context, req *llm.MediaStreamRequest) (io.ReadCloser, error) {
	var op, ct string
	var body []byte
	switch {
	case req.Images != nil:
		op, ct, body = "images/generations", "application/json", wire.WithModel(req.Images.Body, req.Images.Model)
	case req.Edit != nil:
		op = "images/edits"
		body, ct = wire.EncodeImageEditForm(req.Edit)
	default:
		op = "audio/transcriptions"
		body, ct = wire.EncodeTranscriptionForm(req.Transcription)
	}
	resp, err := c.send(ctx, op, req.Model(), body, ct, "text/event-stream")
	if err != nil {
		return nil, err
	}
	if upType := resp.Header.Get("Content-Type"); !strings.HasPrefix(upType, "text/event-stream") {
		data, err := c.readBody(ctx, resp)
		if err != nil {
			return nil, err
		}
		if e := c.bodyError(data); e != nil {
			return nil, e
		}
		return nil, provider.Garbage(c.name, fmt.Errorf("openai: %s answered %q, not an event stream: %.200s", op, upType, data))
	}
	return resp.Body, nil
}
