package gateway

import (
	"context"
	"io"
	"strings"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// A media stream the upstream cut while the caller was reading is the
// upstream's failure (502) even when the caller, handed the error, leaves
// before the stream is closed and recorded: it was recorded as the
// caller's (499) when the caller's leaving won that race.
func TestMediaStreamCutBeforeTheCallerLeft(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cut := io.MultiReader(strings.NewReader("event: transcript.text.delta\ndata: {\"type\":\"transcript.text.delta\",\"delta\":\"Hi\"}\n\n"),
		strings.NewReader("data: {\"type\":\"transcript.te"), errReader{io.ErrUnexpectedEOF})
	ms := &mediaStream{ctx: ctx, events: wire.NewEventReader(cut, 1<<20)}
	if _, err := ms.Next(); err != nil {
		t.Fatalf("first event: %v", err)
	}
	if _, err := ms.Next(); llm.AsError(err) == nil || llm.AsError(err).Kind != llm.KindUpstream {
		t.Fatalf("the cut: %v", err)
	}
	cancel() // the caller leaves on the error
	if e := llm.AsError(ms.outcome()); e == nil || e.Kind != llm.KindUpstream {
		t.Errorf("outcome after the caller left on the cut: %v, want an upstream error", ms.outcome())
	}

	// A stream the caller left first is the caller's.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	ms = &mediaStream{ctx: ctx2, events: wire.NewEventReader(errReader{context.Canceled}, 1<<20)}
	ms.Next()
	if e := llm.AsError(ms.outcome()); e == nil || e.Kind != llm.KindCanceled {
		t.Errorf("outcome of a stream the caller left: %v, want canceled", ms.outcome())
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
