package gateway

import (
	"context"
	"fmt"
	"io"
	"testing"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
)

// BenchmarkStream relays a stream of n content chunks and a usage chunk
// through the gateway, with answers kept or not. Comparing n=8 and n=64
// gives the allocations per chunk: with keep=false the gateway adds none
// (only the usage-estimate text grows, amortized).
func BenchmarkStream(b *testing.B) {
	cfg, err := config.Parse([]byte(gwConfig), nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{8, 64} {
		events := make([]llmtest.Event, 0, n+1)
		for i := range n {
			events = append(events, llmtest.Event{Chunk: llmtest.TextChunk("a", fmt.Sprintf("word%d ", i))})
		}
		events = append(events, llmtest.Event{Chunk: &llm.Chunk{Model: "a", Usage: &llm.Usage{PromptTokens: 10, CompletionTokens: n}}})
		p := &llmtest.Provider{Scripts: []llmtest.Script{{Events: events}}}
		for _, keep := range []bool{false, true} {
			b.Run(fmt.Sprintf("chunks=%d/keep=%v", n, keep), func(b *testing.B) {
				g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"p": p}, KeepAnswers: keep,
					Classify: func(*llm.Request) route.Features {
						return route.Features{Category: llm.CategoryChat, Confidence: 0.8, PromptTokens: 10}
					}})
				if err != nil {
					b.Fatal(err)
				}
				req := hello("r")
				b.ReportAllocs()
				for b.Loop() {
					var served llm.Served
					s, err := g.Stream(context.Background(), req, nil, &served)
					if err != nil {
						b.Fatal(err)
					}
					for {
						if _, err := s.Next(); err != nil {
							if err != io.EOF {
								b.Fatal(err)
							}
							break
						}
					}
					s.Close()
				}
			})
		}
	}
}
