package learn

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// stalledStore is a database that stopped answering: every read and
// write waits until its context ends.
type stalledStore struct{ store.Store }

func (stalledStore) Get(ctx context.Context, _ store.Scope, _ string) (*store.Request, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (stalledStore) WriteFeedback(ctx context.Context, _ []*store.Feedback) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestRateWithAStalledDatabase: a rating's reads and writes are bounded
// by StoreTimeout, whatever the caller's deadline (the request's, 10
// minutes by default): a database that stopped answering fails it, with
// the store's error, not ErrUnknownRequest.
func TestRateWithAStalledDatabase(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l := New(Options{Store: stalledStore{backends()["sqlite"](t)}, StoreTimeout: 50 * time.Millisecond, RowWait: -1})
	defer l.Close(context.Background())
	l.Observe(&Observation{RequestID: "req_known", Tenant: "acme", Endpoint: "embeddings", Status: 200})
	for _, id := range []string{"req_known", "req_0123456789abcdef01234567"} { // written at once; looked up first
		err := l.Rate(ctx, "acme", Rating{RequestID: id, Thumbs: "up"})
		if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			t.Errorf("Rate(%s) with the database stalled: %v (caller's context: %v), want the store's timeout", id, err, ctx.Err())
		}
	}
}

// hangingFeedback is a feedback log whose writes hang until their
// context ends, telling writing when one starts.
type hangingFeedback struct {
	store.Store
	writing chan struct{}
}

func (h *hangingFeedback) WriteFeedback(ctx context.Context, _ []*store.Feedback) error {
	select {
	case h.writing <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

// TestCloseDuringAHungWrite: Close while the implicit feedback writer
// waits on a database that stopped answering returns when its context
// ends, not when the write's own timeout (10 s) does, and reports the
// rows lost.
func TestCloseDuringAHungWrite(t *testing.T) {
	h := &hangingFeedback{Store: backends()["sqlite"](t), writing: make(chan struct{}, 1)}
	l := New(Options{Store: h})
	left := chat("req_c", "u1", 0, "Hel", user("Bye"))
	left.Status, left.ClientLeft = 499, true
	l.Observe(left) // an abandoned answer: a row for the writer
	select {
	case <-h.writing:
	case <-time.After(30 * time.Second):
		t.Fatal("the writer did not write the row")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := l.Close(ctx)
	if took := time.Since(start); took > writerTimeout/2 {
		t.Errorf("Close took %v with a 100 ms deadline: it waited for the hung write's own timeout", took)
	}
	if err == nil || !strings.Contains(err.Error(), "1 feedback rows not written") {
		t.Errorf("Close: %v, want the lost row reported", err)
	}
}
