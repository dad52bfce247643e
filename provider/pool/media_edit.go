package pool

import (
	"context"
	"fmt"
	"io"

	"switchyard/llm"
	"switchyard/provider"
)

var (
	_ provider.ImageEditor   = (*Pool)(nil)
	_ provider.MediaStreamer = (*Pool)(nil)
)

// serves reports whether some member can take a call of want.
func (p *Pool) serves(want need) bool {
	for _, m := range p.members { // fixed after New
		if m.eligible(want) {
			return true
		}
	}
	return false
}

// EditImages sends req to one member that edits images and returns its
// answer or error unchanged, as GenerateImages does. It fails with a
// KindInvalidRequest *llm.Error if no member edits.
func (p *Pool) EditImages(ctx context.Context, req *llm.ImageEditRequest) (resp *llm.ImageResponse, err error) {
	if !p.serves(needImageEdits) {
		return nil, p.notServing("image edits")
	}
	m := p.acquire(needImageEdits)
	defer func() { err = p.retryNow(p.release(m, err), err) }()
	return m.editor.EditImages(ctx, req)
}

// StreamMedia sends req to one member that streams its kind (images or
// transcription) and returns its event stream; the member counts as in
// flight until the stream is closed, as Speak's audio does. It fails
// with a KindInvalidRequest *llm.Error if no member streams that kind.
func (p *Pool) StreamMedia(ctx context.Context, req *llm.MediaStreamRequest) (io.ReadCloser, error) {
	want, what := needStreamImages, "streamed images"
	if req.Transcription != nil {
		want, what = needStreamTranscription, "streamed transcription"
	}
	if !p.serves(want) {
		return nil, p.notServing(what)
	}
	m := p.acquire(want)
	body, err := m.streamer.StreamMedia(ctx, req)
	if err != nil {
		return nil, p.retryNow(p.release(m, err), err)
	}
	return &memberBody{ReadCloser: body, release: func() { p.release(m, nil) }}, nil
}

// notServing is the error of a call of what no member can take.
func (p *Pool) notServing(what string) *llm.Error {
	return &llm.Error{Kind: llm.KindInvalidRequest, Provider: p.name, Message: fmt.Sprintf("provider %q does not serve %s", p.name, what)}
}
