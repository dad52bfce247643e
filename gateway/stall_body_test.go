package gateway

import (
	"context"
	"io"
	"testing"
	"time"

	"switchyard/llm"
)

// A speech body is bounded by its silences while a read waits, not by
// the caller's pauses between reads: a caller that reads slowly gets
// every byte; an upstream that stops sending fails the read with a
// retryable timeout and cancels its call.
func TestStallBody(t *testing.T) {
	const stall = 50 * time.Millisecond
	r, w := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	b := newStallBody(r, stall, cancel, "p")
	defer b.Close()
	go func() {
		for range 3 {
			w.Write([]byte("audio"))
		}
		<-ctx.Done()
		w.CloseWithError(ctx.Err())
	}()
	buf := make([]byte, 5)
	for i := range 3 {
		time.Sleep(2 * stall) // the caller's pause: the upstream waits on it
		if n, err := b.Read(buf); n != 5 || err != nil {
			t.Fatalf("read %d: %d bytes, %v", i, n, err)
		}
	}
	start := time.Now()
	_, err := b.Read(buf)
	e := llm.AsError(err)
	if e == nil || e.Kind != llm.KindTimeout || !e.Retryable || time.Since(start) < stall {
		t.Fatalf("a stalled read: %v after %s, want a retryable timeout after %s", err, time.Since(start), stall)
	}
	if ctx.Err() == nil {
		t.Error("the stalled call's context was not cancelled")
	}
}
