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

// editFake serves every media endpoint, image edits and streams too.
type editFake struct{ mediaFake }

func (f editFake) EditImages(context.Context, *llm.ImageEditRequest) (*llm.ImageResponse, error) {
	f.embeds.Add(1)
	if err := f.call(); err != nil {
		return nil, err
	}
	return &llm.ImageResponse{Body: []byte(f.name)}, nil
}

func (f editFake) StreamMedia(context.Context, *llm.MediaStreamRequest) (io.ReadCloser, error) {
	f.embeds.Add(1)
	if err := f.call(); err != nil {
		return nil, err
	}
	return io.NopCloser(strings.NewReader("data: " + f.name + "\n\n")), nil
}

// Image edits and streams go to the members that serve them; a stream's
// member stays in flight until it is closed; a pool whose members only
// generate images says it does not edit them.
func TestMediaEditsAndStreams(t *testing.T) {
	fs := fakes(3)
	ms := members(fs)
	ms[0].Provider, ms[1].Provider = editFake{mediaFake{fs[0]}}, mediaFake{fs[1]}
	p := newPool(t, ms, Options{})
	for range 2 {
		img, err := p.EditImages(context.Background(), &llm.ImageEditRequest{})
		if err != nil || string(img.Body) != "a" {
			t.Fatalf("edit: %v, %v", img, err)
		}
	}
	if got := calls(fs); !slices.Equal(got, []int64{2, 0, 0}) {
		t.Errorf("calls = %v, want a's only", got)
	}
	body, err := p.StreamMedia(context.Background(), &llm.MediaStreamRequest{Transcription: &llm.TranscriptionRequest{}})
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
		t.Errorf("%d in flight during the stream, want 1", inFlight())
	}
	body.Close()
	if inFlight() != 0 {
		t.Errorf("%d in flight after the stream, want 0", inFlight())
	}

	gen := members(fakes(2))
	gen[0].Provider = mediaFake{fakes(1)[0]}
	only := newPool(t, gen, Options{})
	_, err = only.EditImages(context.Background(), &llm.ImageEditRequest{})
	var le *llm.Error
	if !errors.As(err, &le) || le.Kind != llm.KindInvalidRequest || !strings.Contains(le.Message, "does not serve image edits") {
		t.Errorf("no editing member: %v", err)
	}
	if _, err := only.StreamMedia(context.Background(), &llm.MediaStreamRequest{Images: &llm.ImageRequest{}}); !errors.As(err, &le) || !strings.Contains(le.Message, "does not serve streamed images") {
		t.Errorf("no streaming member: %v", err)
	}
}
