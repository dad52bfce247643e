package dispatch

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"switchyard/llm"
)

// openAfterFinish is an upstream stream that sends its answer, finish
// reason included, then keeps the stream open (no end marker, no EOF)
// until its context ends, as some servers do (maximhq/bifrost#6784).
type openAfterFinish struct {
	ctx    context.Context
	chunks []*llm.Chunk
}

func (s *openAfterFinish) Next() (*llm.Chunk, error) {
	if len(s.chunks) > 0 {
		c := s.chunks[0]
		s.chunks = s.chunks[1:]
		return c, nil
	}
	<-s.ctx.Done()
	return nil, s.ctx.Err()
}

func (s *openAfterFinish) Ready() bool  { return len(s.chunks) > 0 }
func (s *openAfterFinish) Close() error { return nil }

type openAfterFinishProvider struct{ chunks []*llm.Chunk }

func (p openAfterFinishProvider) Stream(ctx context.Context, _ *llm.Request) (llm.Stream, error) {
	return &openAfterFinish{ctx: ctx, chunks: p.chunks}, nil
}

// A stream whose every choice has its finish reason and that then goes
// silent ends as complete after FinishGrace (less than the stall
// timeout), not with a stall error: the answer is whole. Silence before
// the finish is still a stall.
func TestSilenceAfterTheFinishEndsTheStream(t *testing.T) {
	for _, tc := range []struct {
		name     string
		chunks   []*llm.Chunk
		wait     time.Duration // the silence that ends the stream
		complete bool
	}{
		{"finished", []*llm.Chunk{
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Hel"}}}},
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "lo"}, FinishReason: llm.FinishStop}}},
		}, FinishGrace, true},
		{"one of two choices finished", []*llm.Chunk{
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "a"}}, {Index: 1, Delta: llm.Delta{Content: "b"}}}},
			{Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}},
		}, time.Hour, false},
		// A host that writes the finish reason on every chunk
		// (open-webui#23921) and pauses mid-answer: the finish counts
		// once, not after more of the answer came.
		{"finish reason on every chunk", []*llm.Chunk{
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Hel"}, FinishReason: llm.FinishStop}}},
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "lo"}, FinishReason: llm.FinishStop}}},
		}, time.Hour, false},
		{"content after the finish reason", []*llm.Chunk{
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Hel"}, FinishReason: llm.FinishStop}}},
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "lo"}}}},
		}, time.Hour, false},
		{"usage after the finish reason", []*llm.Chunk{
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Hello"}, FinishReason: llm.FinishStop}}},
			{Choices: []llm.ChunkChoice{{}}, Usage: &llm.Usage{PromptTokens: 1}},
		}, FinishGrace, true},
		{"not finished", []*llm.Chunk{
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Hel"}}}},
			{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "lo"}}}},
		}, time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			plan := &Plan{Tiers: []Tier{{Targets: []*Target{{Deployment: llm.Deployment{Name: "a", Provider: "a"},
				Provider: openAfterFinishProvider{tc.chunks}}}}}}
			s, err := New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc, StallTimeout: time.Hour}).
				Stream(context.Background(), req(), plan, &llm.Served{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for range tc.chunks {
				if _, err := s.Next(); err != nil {
					t.Fatal(err)
				}
			}
			done := make(chan error, 1)
			go func() { _, err := s.Next(); done <- err }()
			clk.WaitTimers(t, 1)
			clk.Advance(tc.wait)
			err = <-done
			var e *llm.Error
			switch {
			case tc.complete && err != io.EOF:
				t.Fatalf("after %s of silence past the finish: %v, want the stream's end", tc.wait, err)
			case !tc.complete && (!errors.As(err, &e) || e.Kind != llm.KindTimeout):
				t.Fatalf("err %v, want a stall timeout", err)
			}
		})
	}
}
