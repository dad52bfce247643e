// Package openaitest holds the fake api/openai Backend that the tests of
// api/openai and server share: it answers from its function fields (or a
// default) and records the calls it got.
package openaitest

import (
	"context"
	"io"
	"strings"
	"sync"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
)

// Backend is a fake apiopenai.Backend. A nil function answers with a
// default: Chat with Text("hello"), Stream with an llmtest.Stream of one
// TextChunk("hello"), Embed with one two-dimensional vector; Route always
// fails with an invalid_request error. It is safe for concurrent use; set
// its fields before the first call.
type Backend struct {
	// Served is copied into every call's served.
	Served     llm.Served
	ChatFunc   func(ctx context.Context, req *llm.Request) (*llm.Response, error)
	StreamFunc func(ctx context.Context, req *llm.Request) (llm.Stream, error)
	EmbedFunc  func(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error)
	// ModerateFunc answers Moderate; nil means one unflagged result per
	// input, encoded from the fields (no Body).
	ModerateFunc func(ctx context.Context, req *llm.ModerationRequest) (*llm.ModerationResponse, error)
	// ImagesFunc answers GenerateImages; nil means one image by URL.
	ImagesFunc func(ctx context.Context, req *llm.ImageRequest) (*llm.ImageResponse, error)
	// SpeakFunc answers Speak; nil means four bytes of mp3.
	SpeakFunc func(ctx context.Context, req *llm.SpeechRequest) (*llm.AudioStream, error)
	// TranscribeFunc answers Transcribe; nil means {"text":"hello"}.
	TranscribeFunc func(ctx context.Context, req *llm.TranscriptionRequest) (*llm.TranscriptionResponse, error)
	// EditImagesFunc answers EditImages; nil means one image by URL.
	EditImagesFunc func(ctx context.Context, req *llm.ImageEditRequest) (*llm.ImageResponse, error)
	// StreamMediaFunc answers StreamMedia; nil means Events of one
	// transcript.text.done event.
	StreamMediaFunc func(ctx context.Context, req *llm.MediaStreamRequest) (llm.EventStream, error)

	mu    sync.Mutex
	calls int
	ov    *route.Overrides
}

var _ apiopenai.Backend = (*Backend)(nil)

func (b *Backend) record(ov *route.Overrides, served *llm.Served) {
	b.mu.Lock()
	b.calls++
	b.ov = ov
	b.mu.Unlock()
	*served = b.Served
}

// Calls returns how many Chat, Stream, Embed and Moderate calls the
// backend got.
func (b *Backend) Calls() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls
}

// Overrides returns the overrides of the last Chat or Stream call (nil
// after an Embed).
func (b *Backend) Overrides() *route.Overrides {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ov
}

// Chat records the call and answers with ChatFunc or Text("hello").
func (b *Backend) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (*llm.Response, error) {
	b.record(ov, served)
	if b.ChatFunc != nil {
		return b.ChatFunc(ctx, req)
	}
	return Text("hello"), nil
}

// Stream records the call and answers with StreamFunc or a stream of
// TextChunk("hello").
func (b *Backend) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error) {
	b.record(ov, served)
	if b.StreamFunc != nil {
		return b.StreamFunc(ctx, req)
	}
	return llmtest.NewStream(ctx, llmtest.Chunks(TextChunk("hello"))...), nil
}

// Embed records the call and answers with EmbedFunc or one vector.
func (b *Backend) Embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error) {
	b.record(nil, served)
	if b.EmbedFunc != nil {
		return b.EmbedFunc(ctx, req)
	}
	return &llm.EmbeddingResponse{Model: req.Model, Data: []llm.Embedding{{Vector: []float32{1, 2}}}}, nil
}

// Moderate records the call and answers with ModerateFunc or one
// unflagged result per input.
func (b *Backend) Moderate(ctx context.Context, req *llm.ModerationRequest, served *llm.Served) (*llm.ModerationResponse, error) {
	b.record(nil, served)
	if b.ModerateFunc != nil {
		return b.ModerateFunc(ctx, req)
	}
	f := false
	resp := &llm.ModerationResponse{ID: "modr-1", Model: req.Model}
	for range req.Inputs() {
		resp.Results = append(resp.Results, llm.ModerationResult{Categories: []llm.ModerationCategory{{Name: "violence", Flagged: &f, Score: 0.001}}})
	}
	return resp, nil
}

// GenerateImages records the call and answers with ImagesFunc or one
// image by URL.
func (b *Backend) GenerateImages(ctx context.Context, req *llm.ImageRequest, served *llm.Served) (*llm.ImageResponse, error) {
	b.record(nil, served)
	if b.ImagesFunc != nil {
		return b.ImagesFunc(ctx, req)
	}
	return &llm.ImageResponse{Images: 1, Body: []byte(`{"created":1700000000,"data":[{"url":"https://example.com/1.png"}]}`)}, nil
}

// Speak records the call and answers with SpeakFunc or four bytes of
// mp3.
func (b *Backend) Speak(ctx context.Context, req *llm.SpeechRequest, served *llm.Served) (*llm.AudioStream, error) {
	b.record(nil, served)
	if b.SpeakFunc != nil {
		return b.SpeakFunc(ctx, req)
	}
	return &llm.AudioStream{ContentType: "audio/mpeg", Body: io.NopCloser(strings.NewReader("\xff\xfb\x90\x00"))}, nil
}

// Transcribe records the call and answers with TranscribeFunc or
// {"text":"hello"}.
func (b *Backend) Transcribe(ctx context.Context, req *llm.TranscriptionRequest, served *llm.Served) (*llm.TranscriptionResponse, error) {
	b.record(nil, served)
	if b.TranscribeFunc != nil {
		return b.TranscribeFunc(ctx, req)
	}
	return &llm.TranscriptionResponse{ContentType: "application/json", Body: []byte(`{"text":"hello"}`)}, nil
}

// EditImages records the call and answers with EditImagesFunc or one
// image by URL.
func (b *Backend) EditImages(ctx context.Context, req *llm.ImageEditRequest, served *llm.Served) (*llm.ImageResponse, error) {
	b.record(nil, served)
	if b.EditImagesFunc != nil {
		return b.EditImagesFunc(ctx, req)
	}
	return &llm.ImageResponse{Images: 1, Body: []byte(`{"created":1700000000,"data":[{"url":"https://example.com/1.png"}]}`)}, nil
}

// StreamMedia records the call and answers with StreamMediaFunc or one
// transcript.text.done event.
func (b *Backend) StreamMedia(ctx context.Context, req *llm.MediaStreamRequest, served *llm.Served) (llm.EventStream, error) {
	b.record(nil, served)
	if b.StreamMediaFunc != nil {
		return b.StreamMediaFunc(ctx, req)
	}
	return &Events{Events: []string{"data: {\"type\":\"transcript.text.done\",\"text\":\"hello\"}\n\n"}}, nil
}

// Events is an llm.EventStream of its Events, then Err (nil: io.EOF).
type Events struct {
	Events []string
	Err    error
	// Closed reports a call of Close.
	Closed bool
}

// Next returns the next of Events, then Err or io.EOF.
func (e *Events) Next() ([]byte, error) {
	if len(e.Events) == 0 {
		if e.Err != nil {
			return nil, e.Err
		}
		return nil, io.EOF
	}
	ev := e.Events[0]
	e.Events = e.Events[1:]
	return []byte(ev), nil
}

// Close notes the call.
func (e *Events) Close() error { e.Closed = true; return nil }

// Route fails: routing is not faked.
func (b *Backend) Route(ctx context.Context, req *llm.Request, ov *route.Overrides) (*route.Plan, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "routing is not faked")
}

// Text returns a complete answer of text from "up-model", with usage.
func Text(text string) *llm.Response {
	return &llm.Response{ID: "chatcmpl-1", Model: "up-model", Created: 1700000000, Choices: []llm.Choice{{
		Message: llm.TextMessage(llm.RoleAssistant, text), FinishReason: llm.FinishStop,
	}}, Usage: &llm.Usage{PromptTokens: 3, CompletionTokens: 1, TotalTokens: 4}}
}

// TextChunk returns a chunk of text from "up-model".
func TextChunk(text string) *llm.Chunk {
	return &llm.Chunk{ID: "chatcmpl-1", Model: "up-model", Created: 1700000000,
		Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: text}}}}
}
