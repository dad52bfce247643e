package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"switchyard/store"
)

// This file holds the tests of the writer's bound: rows are dropped only
// when QueueSize + BufferSize rows taken are still unwritten, never
// because the run goroutine has not taken the queue yet.

// blockingStore's writes block until release is closed (or their context
// ends), then keep the rows.
type blockingStore struct {
	store.Store
	entered chan struct{}
	release chan struct{}
	mu      sync.Mutex
	rows    map[string]bool
}

func newBlocking() *blockingStore {
	return &blockingStore{entered: make(chan struct{}, 1), release: make(chan struct{}), rows: map[string]bool{}}
}

func (b *blockingStore) Write(ctx context.Context, rows []*store.Request) error {
	select {
	case b.entered <- struct{}{}:
	default:
	}
	select {
	case <-b.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range rows {
		b.rows[r.ID] = true
	}
	return nil
}

func (b *blockingStore) stored() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.rows)
}

// TestWriterKeepsRowsWhileWriteHangs: while a write hangs (a database
// that stopped answering, up to WriteTimeout), the run goroutine takes
// nothing, yet Add keeps every row up to QueueSize + BufferSize; the
// next is dropped; all are written once the database answers.
func TestWriterKeepsRowsWhileWriteHangs(t *testing.T) {
	b := newBlocking()
	w := store.NewWriter(b, store.WriterConfig{BatchSize: 5, QueueSize: 10, BufferSize: 40,
		FlushInterval: time.Hour, WriteTimeout: time.Hour})
	add(t, w, 0, 5) // a full batch: its write starts and hangs
	<-b.entered
	if got := add(t, w, 5, 45); got != 45 {
		t.Errorf("Add took %d of the 45 rows sent while a write hung; want all (queue 10 + buffer 40 = 50 rows)", got)
	}
	if add(t, w, 50, 1) != 0 || w.Dropped() != 1 {
		t.Errorf("the row past queue + buffer was taken (Dropped %d)", w.Dropped())
	}
	close(b.release)
	closeWriter(t, w)
	if n := b.stored(); n != 50 || w.Written() != 50 {
		t.Errorf("stored %d rows, Written %d; want the 50 taken", n, w.Written())
	}
}

// TestWriterBurstDuringOutage: rows handed over in one burst while the
// database fails, faster than the run goroutine takes them, are all kept
// up to QueueSize + BufferSize, and only the rest dropped.
func TestWriterBurstDuringOutage(t *testing.T) {
	for round := range 20 { // the run goroutine's timing differs each time
		f := newFake()
		f.setFailing(true)
		w := store.NewWriter(f, store.WriterConfig{BatchSize: 5, QueueSize: 10, BufferSize: 40,
			FlushInterval: time.Millisecond, Backoff: time.Millisecond, BackoffMax: time.Millisecond})
		taken := add(t, w, 0, 80)
		f.setFailing(false)
		closeWriter(t, w)
		if taken != 50 || w.Dropped() != 30 || len(f.rows) != 50 {
			t.Fatalf("round %d: took %d of 80, dropped %d, stored %d; want 50, 30 and 50",
				round, taken, w.Dropped(), len(f.rows))
		}
	}
}

// TestWriterBoundFreedByWrites: written rows make room again, so a
// database that keeps up never sees a drop however many rows pass.
func TestWriterBoundFreedByWrites(t *testing.T) {
	f := newFake()
	w := store.NewWriter(f, store.WriterConfig{BatchSize: 5, QueueSize: 10, BufferSize: 10, FlushInterval: time.Hour})
	for round := range 10 {
		if got := add(t, w, round*20, 20); got != 20 {
			t.Fatalf("round %d: Add took %d of 20", round, got)
		}
		eventually(t, "the round written", func() bool { return w.Written() == int64(20*(round+1)) })
	}
	closeWriter(t, w)
	if len(f.rows) != 200 || w.Dropped() != 0 {
		t.Errorf("stored %d rows, dropped %d; want 200 and 0", len(f.rows), w.Dropped())
	}
}
