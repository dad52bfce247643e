package learn

import (
	"context"
	"log/slog"
	"testing"

	"switchyard/store"
)

// hangingLog blocks every WriteFeedback until release is closed, then
// keeps what it got.
type hangingLog struct {
	store.FeedbackLog
	started chan struct{}
	release chan struct{}
	got     int
}

func (h *hangingLog) WriteFeedback(ctx context.Context, rows []*store.Feedback) error {
	select {
	case h.started <- struct{}{}:
	default:
	}
	<-h.release
	h.got += len(rows)
	return nil
}

// Rows added while a write hangs (a database that stopped answering) are
// kept up to the bound, queue and outage buffer together: the writer's
// goroutine takes nothing while it writes, and a full queue alone dropped
// them though the buffer was empty.
func TestFeedbackWriterKeepsRowsWhileWriteHangs(t *testing.T) {
	h := &hangingLog{started: make(chan struct{}, 1), release: make(chan struct{})}
	w := newWriter(h, slog.New(slog.DiscardHandler), nil)
	w.add(feedbackRows(writerBatch)) // a full batch: written at once, and the write hangs
	<-h.started
	const more = writerQueue + writerBuffer - writerBatch
	w.add(feedbackRows(more))
	w.add(feedbackRows(1)) // past the bound
	close(h.release)
	if err := w.close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h.got != writerBatch+more {
		t.Errorf("%d rows written, want %d: every row within the bound", h.got, writerBatch+more)
	}
}

func feedbackRows(n int) []*store.Feedback {
	out := make([]*store.Feedback, n)
	for i := range out {
		out[i] = &store.Feedback{RequestID: "req_x"}
	}
	return out
}
