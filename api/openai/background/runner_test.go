package background

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/sqlite"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testStore is a SQLite store of the test's own, closed at its end.
func testStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bg.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newRunner returns a runner over st with opts (Log, Lease and a quiet
// logger set unless given), closed at the test's end.
func newRunner(t *testing.T, st *sqlite.DB, opts Options) *Runner {
	t.Helper()
	opts.Log = st
	if opts.Lease == 0 {
		opts.Lease = 3 * time.Second
	}
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	r := New(opts)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r.Close(ctx)
	})
	return r
}

// blocker is a job that runs until released or its context ends, and
// tells how it ended.
type blocker struct {
	id      string
	started chan struct{}
	release chan struct{}
	ended   chan error // the context's cause, nil when released
}

func newBlocker(id string) *blocker {
	return &blocker{id: id, started: make(chan struct{}), release: make(chan struct{}), ended: make(chan error, 1)}
}

func (b *blocker) job() Job {
	return Job{ID: b.id, Context: context.Background(), Run: func(ctx context.Context) string {
		close(b.started)
		select {
		case <-b.release:
			b.ended <- nil
			return "completed"
		case <-ctx.Done():
			b.ended <- context.Cause(ctx)
			return "cancelled"
		}
	}}
}

// submit reserves a place on r and submits b's job, failing t when r is
// full.
func submit(t *testing.T, r *Runner, b *blocker) {
	t.Helper()
	s, err := r.Reserve()
	if err != nil {
		t.Fatalf("Reserve for %s: %v", b.id, err)
	}
	s.Submit(b.job())
}

// within fails t unless ch delivers within 5s.
func within[T any](t *testing.T, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: nothing after 5s", what)
		var zero T
		return zero
	}
}

// The runner holds MaxConcurrent running and MaxQueued waiting, refuses
// more, runs the queued one once a worker is free, and a released place
// is free again.
func TestRunnerBounds(t *testing.T) {
	r := newRunner(t, testStore(t), Options{MaxConcurrent: 1, MaxQueued: 1})
	a, b := newBlocker("resp_a"), newBlocker("resp_b")
	submit(t, r, a)
	submit(t, r, b)
	within(t, "a started", a.started)
	if _, err := r.Reserve(); !errors.Is(err, ErrFull) {
		t.Fatalf("a third Reserve: %v, want ErrFull", err)
	}
	select {
	case <-b.started:
		t.Fatal("b started while a ran on the only worker")
	default:
	}
	close(a.release)
	within(t, "b started", b.started)
	s, err := r.Reserve()
	if err != nil {
		t.Fatalf("Reserve once a ended: %v", err)
	}
	if _, err := r.Reserve(); !errors.Is(err, ErrFull) {
		t.Fatalf("Reserve past the bound: %v, want ErrFull", err)
	}
	s.Release()
	s.Release() // twice: harmless
	if s, err = r.Reserve(); err != nil {
		t.Fatalf("Reserve after a release: %v", err)
	}
	s.Release()
	close(b.release)
	if err := within(t, "b ended", b.ended); err != nil {
		t.Errorf("b ended with %v", err)
	}
}

// Cancel ends a job held here with its cause; a timeout with ErrTimeout.
func TestRunnerCancelAndTimeout(t *testing.T) {
	r := newRunner(t, testStore(t), Options{MaxConcurrent: 2, Timeout: time.Hour})
	a := newBlocker("resp_a")
	submit(t, r, a)
	within(t, "a started", a.started)
	if !r.Cancel("resp_a", ErrCancelled) {
		t.Fatal("Cancel of a job held: false")
	}
	if err := within(t, "a ended", a.ended); !errors.Is(err, ErrCancelled) {
		t.Errorf("a ended with %v, want ErrCancelled", err)
	}
	if r.Cancel("resp_zz", ErrCancelled) {
		t.Error("Cancel of an unknown job: true")
	}
	r = newRunner(t, testStore(t), Options{MaxConcurrent: 2, Timeout: 100 * time.Millisecond})
	b := newBlocker("resp_b")
	submit(t, r, b)
	if err := within(t, "b ended", b.ended); !errors.Is(err, ErrTimeout) {
		t.Errorf("b ended with %v, want ErrTimeout", err)
	}
}

// saveQueued saves a queued background response of acme whose lease
// ends at lease.
func saveQueued(t *testing.T, st *sqlite.DB, id string, mode store.Background, lease time.Time) {
	t.Helper()
	now := time.Now()
	r := &store.Response{ID: id, Tenant: "acme", Created: now, Expires: now.Add(time.Hour), Model: "m", Status: store.StatusQueued,
		Background: mode, Lease: lease, Object: []byte(`{"id":"` + id + `","object":"response","status":"queued","output":[]}`), Input: []byte(`[]`), Output: []byte(`[]`)}
	if err := st.SaveResponse(context.Background(), r); err != nil {
		t.Fatal(err)
	}
}

// The leases of the jobs held are renewed; a job whose response the
// store cancelled (another router) is stopped at the next renewal.
func TestRunnerRenews(t *testing.T) {
	st := testStore(t)
	r := newRunner(t, st, Options{MaxConcurrent: 1, RenewEvery: 20 * time.Millisecond})
	first := time.Now().Add(3 * time.Second)
	saveQueued(t, st, "resp_a", store.BackgroundPoll, first)
	a := newBlocker("resp_a")
	submit(t, r, a)
	within(t, "a started", a.started)
	ctx, acme := context.Background(), store.TenantScope("acme")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got, err := st.GetResponse(ctx, acme, "resp_a", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got.Lease.After(first) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lease was not renewed: %v", got.Lease)
		}
	}
	if ok, err := st.CancelResponse(ctx, acme, "resp_a", []byte(`{}`), time.Now()); err != nil || !ok {
		t.Fatalf("CancelResponse = %v, %v", ok, err)
	}
	if err := within(t, "a ended", a.ended); !errors.Is(err, ErrStopped) {
		t.Errorf("a ended with %v, want ErrStopped", err)
	}
}

// A runner fails at its start, and at each sweep, the responses whose
// lease ended: the object says failed and why; a streamed one's events
// end with response.failed and an error event; a response still leased
// is left.
func TestRunnerSweeps(t *testing.T) {
	st := testStore(t)
	past := time.Now().Add(-time.Second)
	saveQueued(t, st, "resp_poll", store.BackgroundPoll, past)
	saveQueued(t, st, "resp_stream", store.BackgroundStream, past)
	saveQueued(t, st, "resp_live", store.BackgroundPoll, time.Now().Add(time.Hour))
	ctx, acme := context.Background(), store.TenantScope("acme")
	if err := st.AppendEvents(ctx, "acme", "resp_stream", store.EventBatch{First: 0, Last: 1, Data: []byte("event: a\ndata: {}\n\nevent: b\ndata: {}\n\n")}); err != nil {
		t.Fatal(err)
	}
	newRunner(t, st, Options{SweepEvery: time.Hour}) // sweeps at once
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got, err := st.GetResponse(ctx, acme, "resp_stream", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == store.StatusFailed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not failed: %+v", got)
		}
	}
	got, err := st.GetResponse(ctx, acme, "resp_poll", time.Now())
	if err != nil || got.Status != store.StatusFailed || !contains(got.Object, `"status":"failed"`) || !contains(got.Object, "stopped before it finished") {
		t.Errorf("the polled response: %+v, %v", got, err)
	}
	if got, err := st.GetResponse(ctx, acme, "resp_live", time.Now()); err != nil || got.Status != store.StatusQueued {
		t.Errorf("the response still leased: %+v, %v", got, err)
	}
	evs, err := st.Events(ctx, acme, "resp_stream", 1, time.Now())
	const next = 2 + unstoredMax // past the events its router may have sent unstored
	if err != nil || len(evs) != 1 || evs[0].First != next || evs[0].Last != next+1 ||
		!contains(evs[0].Data, "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":1026") ||
		!contains(evs[0].Data, "event: error\ndata: {\"type\":\"error\",\"sequence_number\":1027") {
		t.Errorf("the stream's last events: %+v, %v", evs, err)
	}
}

func contains(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }

// A drain waits for the jobs; past its deadline it cuts them, and runs
// the queued ones with their context ended; it then refuses jobs.
func TestRunnerDrain(t *testing.T) {
	r := newRunner(t, testStore(t), Options{MaxConcurrent: 1, MaxQueued: 1, Grace: time.Second})
	a, b := newBlocker("resp_a"), newBlocker("resp_b")
	submit(t, r, a)
	submit(t, r, b)
	within(t, "a started", a.started)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r.Drain(ctx); err == nil {
		t.Error("Drain with jobs left: nil error")
	}
	if err := within(t, "a ended", a.ended); !errors.Is(err, ErrShutdown) {
		t.Errorf("a ended with %v, want ErrShutdown", err)
	}
	if err := within(t, "b ended", b.ended); !errors.Is(err, ErrShutdown) {
		t.Errorf("the queued b ended with %v, want ErrShutdown", err)
	}
	if _, err := r.Reserve(); !errors.Is(err, ErrClosed) {
		t.Errorf("Reserve after the drain: %v, want ErrClosed", err)
	}
}

// A drain whose jobs and places end in time returns nil; a place
// reserved before it and submitted past its deadline starts ended by
// ErrShutdown.
func TestRunnerDrainClean(t *testing.T) {
	r := newRunner(t, testStore(t), Options{MaxConcurrent: 2})
	a := newBlocker("resp_a")
	submit(t, r, a)
	late, err := r.Reserve()
	if err != nil {
		t.Fatal(err)
	}
	within(t, "a started", a.started)
	var wg sync.WaitGroup
	wg.Add(1)
	var drainErr error
	go func() {
		defer wg.Done()
		drainErr = r.Drain(context.Background())
	}()
	close(a.release)
	late.Release() // the drain waits for no place, only for jobs
	wg.Wait()
	if drainErr != nil {
		t.Errorf("Drain = %v", drainErr)
	}
	r2 := newRunner(t, testStore(t), Options{Grace: 50 * time.Millisecond})
	s, err := r2.Reserve()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r2.Drain(ctx); err == nil {
		t.Fatal("Drain with a place held past its deadline: nil error")
	}
	b := newBlocker("resp_b")
	s.Submit(b.job())
	if err := within(t, "b ended", b.ended); !errors.Is(err, ErrShutdown) {
		t.Errorf("a job submitted after the drain ended with %v, want ErrShutdown", err)
	}
}

// A runner erases, at its start, the events of the ended responses
// created longer ago than EventsRetention, and keeps the others'.
func TestRunnerPrunesEvents(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	for id, age := range map[string]time.Duration{"resp_old": 2 * time.Hour, "resp_new": time.Minute} {
		now := time.Now().Add(-age)
		r := &store.Response{ID: id, Tenant: "acme", Created: now, Expires: now.Add(48 * time.Hour), Model: "m", Status: "completed",
			Background: store.BackgroundStream, Object: []byte(`{}`), Input: []byte(`[]`), Output: []byte(`[]`)}
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := st.AppendEvents(ctx, "acme", id, store.EventBatch{First: 0, Last: 0, Data: []byte("event: a\ndata: {}\n\n")}); err != nil {
			t.Fatal(err)
		}
	}
	newRunner(t, st, Options{SweepEvery: time.Hour, EventsRetention: time.Hour})
	acme := store.TenantScope("acme")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		evs, err := st.Events(ctx, acme, "resp_old", -1, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the old response's events were not erased")
		}
	}
	if evs, err := st.Events(ctx, acme, "resp_new", -1, time.Now()); err != nil || len(evs) != 1 {
		t.Errorf("the recent response's events: %v, %v", evs, err)
	}
}

// A job that panics is logged and let go: the runner and its other jobs
// go on.
func TestRunnerSurvivesPanic(t *testing.T) {
	r := newRunner(t, testStore(t), Options{MaxConcurrent: 1, MaxQueued: 1})
	s, err := r.Reserve()
	if err != nil {
		t.Fatal(err)
	}
	s.Submit(Job{ID: "resp_p", Context: context.Background(), Run: func(context.Context) string { panic("boom") }})
	b := newBlocker("resp_b")
	submit(t, r, b)
	close(b.release)
	if err := within(t, "b ended", b.ended); err != nil {
		t.Errorf("the job after the panic ended with %v", err)
	}
}
