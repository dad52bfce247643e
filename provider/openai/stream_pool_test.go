package openai

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// readStream reads an EventStream over body to its end and returns its
// chunks and final error.
func readStream(body []byte) ([]*llm.Chunk, error) {
	ctx := context.Background()
	return drain(provider.NewEventStream(ctx, provider.NewCall(ctx), "openai", []string{testKey}, io.NopCloser(bytes.NewReader(body)), &decoder{}, nil))
}

// answerOf joins the content of chunks and notes the usage's completion
// tokens.
func answerOf(chunks []*llm.Chunk) string {
	var b strings.Builder
	for _, c := range chunks {
		for _, ch := range c.Choices {
			b.WriteString(ch.Delta.Content)
			b.WriteString("|" + string(ch.FinishReason))
		}
		b.WriteString("|" + c.ID + "|" + c.Model)
		if c.Usage != nil {
			fmt.Fprintf(&b, "|usage %d", c.Usage.CompletionTokens)
		}
	}
	return b.String()
}

// TestEventStreamChunksOutliveItsReader: the stream's read buffers go
// back to a pool at its end; the chunks it returned, the last ones
// included, must not change when other streams reuse those buffers.
func TestEventStreamChunksOutliveItsReader(t *testing.T) {
	first, err := readStream(simBody(5))
	if err != io.EOF {
		t.Fatalf("first stream: %v", err)
	}
	want := answerOf(first)
	other := bytes.ReplaceAll(simBody(5), []byte("word"), []byte("XXXX"))
	other = bytes.ReplaceAll(other, []byte("stop"), []byte("tool"))
	other = bytes.ReplaceAll(other, []byte(`"completion_tokens":40`), []byte(`"completion_tokens":99`))
	for range 20 {
		if _, err := readStream(other); err != io.EOF {
			t.Fatalf("other stream: %v", err)
		}
	}
	if got := answerOf(first); got != want {
		t.Fatalf("the first stream's chunks changed after its buffers were reused:\n got %s\nwant %s", got, want)
	}
}

// TestEventStreamReusesReadBuffer: a stream read to its end gives its
// 4 KB read buffer back, so that streams one after another do not each
// allocate one (it was the largest allocation per upstream call).
func TestEventStreamReusesReadBuffer(t *testing.T) {
	if raceEnabled {
		t.Skip("under the race detector sync.Pool drops a quarter of what it is given: reuse cannot be counted")
	}
	body := []byte("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
	readStream(body) // fill the pool
	const runs = 200
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		if _, err := readStream(body); err != io.EOF {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if perStream := (after.TotalAlloc - before.TotalAlloc) / runs; perStream >= 4<<10 {
		t.Fatalf("%d bytes allocated per stream: the read buffer is not reused", perStream)
	}
}

// TestEventStreamCloseWhileReading: Close may run while Next reads (the
// caller's cancellation); the read buffers must then stay with the
// reading goroutine, never go to the pool under it. Run with -race.
func TestEventStreamCloseWhileReading(t *testing.T) {
	body := simBody(40)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 20 {
				pr, pw := io.Pipe()
				ctx := context.Background()
				s := provider.NewEventStream(ctx, provider.NewCall(ctx), "openai", []string{testKey}, pr, &decoder{}, nil)
				cut := (g*20 + n) % len(body)
				go func() {
					pw.Write(body[:cut])
					s.Close() // while Next waits for the rest
					pw.CloseWithError(io.ErrClosedPipe)
				}()
				for {
					if _, err := s.Next(); err != nil {
						break
					}
				}
				s.Close()
			}
		})
	}
	wg.Wait()
}
