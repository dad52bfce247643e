package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/store"
)

// steppingClock advances by step at every reading, so each write the
// writer times takes exactly step.
type steppingClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

// histogram returns the sample count and sum of the histogram name in reg.
func histogram(t *testing.T, reg *prometheus.Registry, name string) (uint64, float64) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			h := mf.GetMetric()[0].GetHistogram()
			return h.GetSampleCount(), h.GetSampleSum()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0, 0
}

// gauge returns the value of the gauge name in reg.
func gauge(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestWriterWriteMetrics: every batch write, failed ones included, is
// timed and its rows counted.
func TestWriterWriteMetrics(t *testing.T) {
	f := newFake()
	reg := prometheus.NewRegistry()
	clock := &steppingClock{now: time.Unix(0, 0), step: 50 * time.Millisecond}
	w := store.NewWriter(f, store.WriterConfig{BatchSize: 10, QueueSize: 100, FlushInterval: time.Hour,
		Backoff: time.Millisecond, Registerer: reg, Now: clock.Now})
	add(t, w, 0, 25) // two full batches now, 5 rows left for Close
	eventually(t, "two batches", func() bool { return w.Written() == 20 })
	closeWriter(t, w)
	if n, sum := histogram(t, reg, "switchyard_store_batch_rows"); n != 3 || sum != 25 {
		t.Errorf("batch rows: %d batches of %v rows, want 3 of 25", n, sum)
	}
	n, sum := histogram(t, reg, "switchyard_store_write_duration_seconds")
	if n != 3 || sum < 0.1499 || sum > 0.1501 {
		t.Errorf("write duration: %d writes, %vs, want 3 writes of 0.05s", n, sum)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("metric lint: %v %v", problems, err)
	}
}

// TestWriterFailedWritesTimed: a failed write is timed and counted too.
func TestWriterFailedWritesTimed(t *testing.T) {
	f := newFake()
	f.setFailing(true)
	reg := prometheus.NewRegistry()
	w := store.NewWriter(f, store.WriterConfig{BatchSize: 4, FlushInterval: time.Hour, Backoff: time.Millisecond,
		BackoffMax: time.Millisecond, Registerer: reg})
	add(t, w, 0, 4)
	eventually(t, "two failed writes", func() bool { return f.get(func(f *fakeStore) int { return f.failures }) >= 2 })
	f.setFailing(false)
	closeWriter(t, w)
	failures := f.get(func(f *fakeStore) int { return f.failures })
	if n, sum := histogram(t, reg, "switchyard_store_batch_rows"); n != uint64(failures+1) || sum != float64(4*(failures+1)) {
		t.Errorf("batch rows: %d writes of %v rows in all, want %d writes of 4", n, sum, failures+1)
	}
	if n, _ := histogram(t, reg, "switchyard_store_write_duration_seconds"); n != uint64(failures+1) {
		t.Errorf("write duration: %d writes, want %d", n, failures+1)
	}
}

// TestWriterQueueGauges: while a write hangs, the rows behind it show in
// the queue and the one being written in the buffer.
func TestWriterQueueGauges(t *testing.T) {
	h := &hangingStore{entered: make(chan struct{}, 1)}
	reg := prometheus.NewRegistry()
	w := store.NewWriter(h, store.WriterConfig{BatchSize: 1, QueueSize: 10, WriteTimeout: time.Hour, Registerer: reg})
	add(t, w, 0, 1)
	<-h.entered
	add(t, w, 1, 4)
	if q, b := gauge(t, reg, "switchyard_store_queue_length"), gauge(t, reg, "switchyard_store_buffered_rows"); q != 4 || b != 1 {
		t.Errorf("queue %v, buffered %v; want 4 and 1", q, b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w.Close(ctx) // the hung write cannot finish; its rows are counted lost
}

// TestWriterQueueSmallerThanBatch: a queue shorter than a batch is still
// emptied as soon as it fills, well before the flush interval, so rows
// added a queueful at a time are never dropped.
func TestWriterQueueSmallerThanBatch(t *testing.T) {
	f := newFake()
	reg := prometheus.NewRegistry()
	w := store.NewWriter(f, store.WriterConfig{QueueSize: 5, BatchSize: 100, FlushInterval: time.Hour, Registerer: reg})
	for round := range 10 {
		if got := add(t, w, round*5, 5); got != 5 {
			t.Fatalf("round %d: Add took %d of 5", round, got)
		}
		eventually(t, "the full queue taken", func() bool { return gauge(t, reg, "switchyard_store_queue_length") == 0 })
	}
	closeWriter(t, w)
	if n := len(f.rows); n != 50 || w.Dropped() != 0 {
		t.Errorf("stored %d rows, dropped %d; want 50 and 0", n, w.Dropped())
	}
}
