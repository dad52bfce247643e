package openai_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// readyStream returns a scripted stream of chunks whose Ready is true
// while more than last chunks are left: those arrived together, the last
// ones and the end each had to be waited for (a gate already open).
func readyStream(chunks []*llm.Chunk, last int) *llmtest.Stream {
	open := make(chan struct{})
	close(open)
	ev := llmtest.Chunks(chunks...)
	for i := max(len(ev)-last, 0); i < len(ev); i++ {
		ev[i].Gate = open
	}
	return llmtest.NewStream(context.Background(), append(ev, llmtest.Event{Err: io.EOF, Gate: open})...)
}

// flushCounter is a ResponseRecorder that counts flushes and what had been
// written at each.
type flushCounter struct {
	*httptest.ResponseRecorder
	flushes []int // body length at each flush
}

func (f *flushCounter) Flush() {
	f.flushes = append(f.flushes, f.Body.Len())
	f.ResponseRecorder.Flush()
}

// TestStreamCoalescesReadyChunks checks that chunks that arrived together
// leave in one flush, and that a chunk is flushed as soon as the next one
// has to be waited for.
func TestStreamCoalescesReadyChunks(t *testing.T) {
	chunks := []*llm.Chunk{textChunk("a"), textChunk("b"), textChunk("c"), textChunk("d")}
	for _, tt := range []struct {
		name    string
		last    int // chunks left when Ready turns false
		flushes int
	}{
		{"all arrived together", 0, 2},         // the four chunks, then [DONE]
		{"the last one comes later", 1, 3},     // three, then one, then [DONE]
		{"none ready (each waited for)", 4, 5}, // every chunk, then [DONE]
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := readyStream(chunks, tt.last)
			b := &fakeBackend{StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) { return s, nil }}
			req := httptest.NewRequest("POST", "/v1/chat/completions", strings.NewReader(streamBody))
			req.Header.Set("Content-Type", "application/json")
			w := &flushCounter{ResponseRecorder: httptest.NewRecorder()}
			mux(b, 0).ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if got := len(w.flushes); got != tt.flushes {
				t.Errorf("%d flushes, want %d", got, tt.flushes)
			}
			body := w.Body.String()
			for _, want := range []string{`"content":"a"`, `"content":"b"`, `"content":"c"`, `"content":"d"`, "data: [DONE]\n\n"} {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %s: %s", want, body)
				}
			}
			if n := len(w.flushes); n == 0 || w.flushes[n-1] != len(body) {
				t.Errorf("data written after the last flush: flushes at %v, body %d bytes", w.flushes, len(body))
			}
		})
	}
}
