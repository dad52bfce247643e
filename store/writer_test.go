package store_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeStore keeps written rows in memory and fails writes while failing
// is set. Only Write and DeleteBefore do anything.
type fakeStore struct {
	store.Store
	mu       sync.Mutex
	rows     map[string]*store.Request
	batches  []int
	failing  bool
	failures int
	cutoffs  []time.Time
}

func newFake() *fakeStore { return &fakeStore{rows: map[string]*store.Request{}} }

func (f *fakeStore) Write(ctx context.Context, rows []*store.Request) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing {
		f.failures++
		return errors.New("database is down")
	}
	for _, r := range rows {
		f.rows[r.ID] = r
	}
	f.batches = append(f.batches, len(rows))
	return nil
}

func (f *fakeStore) DeleteBefore(ctx context.Context, t time.Time) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cutoffs = append(f.cutoffs, t)
	return 0, nil
}

func (f *fakeStore) setFailing(on bool) {
	f.mu.Lock()
	f.failing = on
	f.mu.Unlock()
}

// eventually polls cond until it holds, failing the test after 5s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func (f *fakeStore) get(fn func(f *fakeStore) int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fn(f)
}

func closeWriter(t *testing.T, w *store.Writer) {
	t.Helper()
	if err := w.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func add(t *testing.T, w *store.Writer, from, n int) (taken int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if w.Add(storetest.Sample(i)) {
			taken++
		}
	}
	return taken
}

func TestWriterBatches(t *testing.T) {
	f := newFake()
	w := store.NewWriter(f, store.WriterConfig{BatchSize: 10, FlushInterval: time.Hour, QueueSize: 100})
	if got := add(t, w, 0, 25); got != 25 {
		t.Fatalf("Add took %d of 25", got)
	}
	eventually(t, "two full batches", func() bool { return w.Written() == 20 })
	closeWriter(t, w)
	if b := f.get(func(f *fakeStore) int { return len(f.rows) }); b != 25 || w.Written() != 25 {
		t.Errorf("after Close: %d rows stored, Written %d; want 25", b, w.Written())
	}
	if got := f.batches; len(got) != 3 || got[0] != 10 || got[1] != 10 || got[2] != 5 {
		t.Errorf("batches = %v, want [10 10 5]", got)
	}

	f = newFake()
	w = store.NewWriter(f, store.WriterConfig{BatchSize: 10, FlushInterval: time.Millisecond})
	add(t, w, 0, 3)
	eventually(t, "a partial batch written on the interval", func() bool { return w.Written() == 3 })
	closeWriter(t, w)
}

// TestWriterOutageWithinBuffer: a database that fails, then recovers,
// loses nothing the buffer could hold.
func TestWriterOutageWithinBuffer(t *testing.T) {
	f := newFake()
	f.setFailing(true)
	reg := prometheus.NewRegistry()
	var logs syncBuffer
	w := store.NewWriter(f, store.WriterConfig{BatchSize: 10, QueueSize: 200, BufferSize: 100,
		FlushInterval: time.Millisecond, Backoff: time.Millisecond, BackoffMax: 4 * time.Millisecond,
		Registerer: reg, Logger: logs.logger(), LogInterval: time.Hour})
	if got := add(t, w, 0, 100); got != 100 {
		t.Fatalf("Add took %d of 100", got)
	}
	eventually(t, "retries", func() bool { return f.get(func(f *fakeStore) int { return f.failures }) >= 3 })
	f.setFailing(false)
	eventually(t, "the buffer written", func() bool { return w.Written() == 100 })
	closeWriter(t, w)
	if n := len(f.rows); n != 100 || w.Dropped() != 0 {
		t.Errorf("stored %d rows, dropped %d; want 100 and 0", n, w.Dropped())
	}
	if errs := counter(t, reg, "switchyard_store_write_errors_total"); errs < 3 {
		t.Errorf("write errors metric = %v, want >= 3", errs)
	}
	// One warning for the outage however many retries failed, one note
	// when it ended.
	if out := logs.String(); strings.Count(out, "write failed") != 1 || strings.Count(out, "writing resumed") != 1 {
		t.Errorf("logs:\n%s\nwant one failure and one recovery", out)
	}
}

// TestWriterDropsPastBuffer: during an outage Add keeps returning at once;
// exactly the rows past the buffer and queue are dropped, counted and
// logged.
func TestWriterDropsPastBuffer(t *testing.T) {
	f := newFake()
	f.setFailing(true)
	reg := prometheus.NewRegistry()
	var logs syncBuffer
	w := store.NewWriter(f, store.WriterConfig{BatchSize: 10, QueueSize: 10, BufferSize: 20,
		FlushInterval: time.Millisecond, Backoff: time.Millisecond, BackoffMax: time.Millisecond,
		LogInterval: time.Nanosecond, Registerer: reg, Logger: logs.logger()})
	taken := 0
	for i := range 5 {
		taken += add(t, w, i*100, 100)
		eventually(t, "a retry", func() bool { return f.get(func(f *fakeStore) int { return f.failures }) > i })
	}
	if taken != 30 {
		t.Errorf("took %d rows during the outage; want queue + buffer (30)", taken)
	}
	dropped := int64(500 - taken)
	if w.Dropped() != dropped || counter(t, reg, "switchyard_store_dropped_total") != float64(dropped) {
		t.Errorf("Dropped = %d (metric %v), want %d", w.Dropped(), counter(t, reg, "switchyard_store_dropped_total"), dropped)
	}
	eventually(t, "a log of the drops", func() bool { return strings.Contains(logs.String(), "rows dropped") })
	f.setFailing(false)
	closeWriter(t, w)
	if n := len(f.rows); n != taken {
		t.Errorf("stored %d rows after recovery, want the %d taken", n, taken)
	}
}

func TestWriterCloseGivesUpAtDeadline(t *testing.T) {
	f := newFake()
	f.setFailing(true)
	w := store.NewWriter(f, store.WriterConfig{BatchSize: 10, FlushInterval: time.Hour, Backoff: time.Millisecond})
	add(t, w, 0, 7)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the rows cannot be written before the deadline
	err := w.Close(ctx)
	if err == nil || !strings.Contains(err.Error(), "7 rows not written") || w.Dropped() != 7 {
		t.Errorf("Close = %v, Dropped %d; want 7 rows reported lost", err, w.Dropped())
	}
	if w.Add(storetest.Sample(99)) || !errors.Is(w.Close(context.Background()), store.ErrClosed) {
		t.Error("Add or Close after Close succeeded")
	}
}

// hangingStore's writes block until their context ends.
type hangingStore struct {
	store.Store
	entered chan struct{}
}

func (h *hangingStore) Write(ctx context.Context, rows []*store.Request) error {
	select {
	case h.entered <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

// TestWriterCloseCancelsHungWrite: Close returns at its deadline even while
// a write hangs on a database that does not answer.
func TestWriterCloseCancelsHungWrite(t *testing.T) {
	h := &hangingStore{entered: make(chan struct{}, 1)}
	w := store.NewWriter(h, store.WriterConfig{BatchSize: 1, WriteTimeout: time.Hour, Backoff: time.Millisecond})
	add(t, w, 0, 3)
	<-h.entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- w.Close(ctx) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "3 rows not written") {
			t.Errorf("Close = %v, want 3 rows reported lost", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for the hung write past its deadline")
	}
}

func TestWriterRetention(t *testing.T) {
	f := newFake()
	now := storetest.Base
	w := store.NewWriter(f, store.WriterConfig{Retention: 24 * time.Hour, RetentionRun: time.Millisecond,
		Now: func() time.Time { return now }})
	eventually(t, "two retention runs", func() bool { return f.get(func(f *fakeStore) int { return len(f.cutoffs) }) >= 2 })
	closeWriter(t, w)
	if got, want := f.cutoffs[0], now.Add(-24*time.Hour); !got.Equal(want) {
		t.Errorf("DeleteBefore(%v), want %v", got, want)
	}
}

// responsesFake is a fakeStore that keeps stored responses: it notes
// when DeleteExpiredResponses runs.
type responsesFake struct {
	*fakeStore
	store.ResponseLog
	purged chan time.Time
}

func (f *responsesFake) DeleteExpiredResponses(ctx context.Context, now time.Time) (int64, error) {
	select {
	case f.purged <- now:
	default:
	}
	return 0, nil
}

// The retention run also deletes the expired stored responses, at the
// writer's time (each response carries its own expiry).
func TestWriterRetentionPurgesResponses(t *testing.T) {
	f := &responsesFake{fakeStore: newFake(), purged: make(chan time.Time, 1)}
	now := storetest.Base
	w := store.NewWriter(f, store.WriterConfig{Retention: 24 * time.Hour, RetentionRun: time.Millisecond,
		Now: func() time.Time { return now }})
	select {
	case got := <-f.purged:
		if !got.Equal(now) {
			t.Errorf("DeleteExpiredResponses(%v), want %v", got, now)
		}
	case <-time.After(5 * time.Second):
		t.Error("the retention run never deleted expired responses")
	}
	closeWriter(t, w)
}

// counter returns the value of the counter name in reg.
func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// syncBuffer collects log output safely across goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(s, nil)) }
