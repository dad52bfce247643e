package learn

import (
	"context"
	"errors"
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
