package pool

import (
	"context"
	"fmt"
	"io"
	"sync"

	"switchyard/llm"
	"switchyard/provider"
)

var (
	_ provider.Imager      = (*Pool)(nil)
	_ provider.Speaker     = (*Pool)(nil)
	_ provider.Transcriber = (*Pool)(nil)
	_ provider.MediaServer = (*Pool)(nil)
)

// mediaNeed is the need of the media endpoint of capability c, and
// what the endpoint is called in errors.
func mediaNeed(c llm.Capability) (need, string) {
	switch c {
	case llm.CapImages:
		return needImages, "image generation"
	case llm.CapSpeech:
		return needSpeech, "text to speech"
	}
	return needTranscribe, "transcription"
}

// ServesMedia reports whether some member serves the media endpoint of
// c (is a provider.Imager, Speaker or Transcriber).
func (p *Pool) ServesMedia(c llm.Capability) bool {
	want, _ := mediaNeed(c)
	for _, m := range p.members { // fixed after New
		if m.eligible(want) {
			return true
		}
	}
	return false
}

// notServed is the error of a media call no member can take.
func (p *Pool) notServed(c llm.Capability) error {
	if p.ServesMedia(c) {
		return nil
	}
	_, what := mediaNeed(c)
	return &llm.Error{Kind: llm.KindInvalidRequest, Provider: p.name, Message: fmt.Sprintf("provider %q does not serve %s", p.name, what)}
}

// GenerateImages sends req to one member that serves images and returns
// its answer or error unchanged; a 429 cools the member as for Stream.
// It fails with a KindInvalidRequest *llm.Error if no member does.
func (p *Pool) GenerateImages(ctx context.Context, req *llm.ImageRequest) (resp *llm.ImageResponse, err error) {
	if err := p.notServed(llm.CapImages); err != nil {
		return nil, err
	}
	m := p.acquire(needImages)
	defer func() { err = p.retryNow(p.release(m, err), err) }()
	return m.imager.GenerateImages(ctx, req)
}

// Transcribe is GenerateImages for transcription and translation.
func (p *Pool) Transcribe(ctx context.Context, req *llm.TranscriptionRequest) (resp *llm.TranscriptionResponse, err error) {
	if err := p.notServed(llm.CapTranscription); err != nil {
		return nil, err
	}
	m := p.acquire(needTranscribe)
	defer func() { err = p.retryNow(p.release(m, err), err) }()
	return m.transcriber.Transcribe(ctx, req)
}

// Speak is GenerateImages for speech; the member counts as in flight
// until the audio is closed.
func (p *Pool) Speak(ctx context.Context, req *llm.SpeechRequest) (_ *llm.AudioStream, err error) {
	if err := p.notServed(llm.CapSpeech); err != nil {
		return nil, err
	}
	m := p.acquire(needSpeech)
	a, err := m.speaker.Speak(ctx, req)
	if err != nil {
		return nil, p.retryNow(p.release(m, err), err)
	}
	a.Body = &memberBody{ReadCloser: a.Body, release: func() { p.release(m, nil) }}
	return a, nil
}

// memberBody releases its member once closed.
type memberBody struct {
	io.ReadCloser
	release func()
	once    sync.Once
}

func (b *memberBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
