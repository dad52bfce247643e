package pool

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

// mediaFake is a fake that serves every media endpoint.
type mediaFake struct{ *fake }

func (f mediaFake) GenerateImages(context.Context, *llm.ImageRequest) (*llm.ImageResponse, error) {
	f.embeds.Add(1)
	if err := f.call(); err != nil {
		return nil, err
	}
	return &llm.ImageResponse{Body: []byte(f.name)}, nil
}

func (f mediaFake) Speak(context.Context, *llm.SpeechRequest) (*llm.AudioStream, error) {
	f.embeds.Add(1)
	if err := f.call(); err != nil {
		return nil, err
	}
	return &llm.AudioStream{ContentType: "audio/mpeg", Body: io.NopCloser(strings.NewReader(f.name))}, nil
}

func (f mediaFake) Transcribe(context.Context, *llm.TranscriptionRequest) (*llm.TranscriptionResponse, error) {
	f.embeds.Add(1)
	if err := f.call(); err != nil {
		return nil, err
	}
	return &llm.TranscriptionResponse{Body: []byte(f.name)}, nil
}

// Only members that serve the media endpoints are picked; a speech
// member stays in flight until its audio is closed; a pool with none
// says so and calls nobody.
func TestMedia(t *testing.T) {
	fs := fakes(3)
	ms := members(fs)
	ms[0].Provider, ms[2].Provider = mediaFake{fs[0]}, mediaFake{fs[2]}
	p := newPool(t, ms, Options{})
	for _, c := range []llm.Capability{llm.CapImages, llm.CapSpeech, llm.CapTranscription} {
		if !p.ServesMedia(c) {
			t.Errorf("the pool does not serve %s", c)
		}
	}
	for range 4 {
		img, err := p.GenerateImages(context.Background(), &llm.ImageRequest{})
		if err != nil || string(img.Body) == "b" {
			t.Fatalf("images: %v, %v", img, err)
		}
		tr, err := p.Transcribe(context.Background(), &llm.TranscriptionRequest{})
		if err != nil || string(tr.Body) == "b" {
			t.Fatalf("transcription: %v, %v", tr, err)
		}
	}
	if got := calls(fs); !slices.Equal(got, []int64{4, 0, 4}) {
		t.Errorf("calls = %v, want an even split between a and c", got)
	}
	a, err := p.Speak(context.Background(), &llm.SpeechRequest{})
	if err != nil {
		t.Fatal(err)
	}
	inFlight := func() (n int) {
		for _, s := range p.Status() {
			n += s.InFlight
		}
		return n
	}
	if inFlight() != 1 {
		t.Errorf("%d in flight during the audio, want 1", inFlight())
	}
	a.Body.Close()
	a.Body.Close()
	if inFlight() != 0 {
		t.Errorf("%d in flight after the audio, want 0", inFlight())
	}

	none := newPool(t, members(fakes(2)), Options{})
	if none.ServesMedia(llm.CapImages) {
		t.Error("a pool of chat members serves images")
	}
	_, err = none.GenerateImages(context.Background(), &llm.ImageRequest{})
	var le *llm.Error
	if !errors.As(err, &le) || le.Kind != llm.KindInvalidRequest || !strings.Contains(le.Message, "does not serve image generation") {
		t.Errorf("no member: %v", err)
	}
}
