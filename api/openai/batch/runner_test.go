package batch

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/sqlite"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// runnerEnv is a runner on an SQLite store whose requests answer at
// once, or wait on hold.
type runnerEnv struct {
	st      *sqlite.DB
	r       *Runner
	running atomic.Int32
	most    atomic.Int32
	sent    atomic.Int32
	busy    atomic.Int32
	hold    chan struct{}
	// reply, when set before submit, answers the n-th request sent
	// (from 1) instead of a 200.
	reply func(n int32) Result
}

func newRunnerEnv(t *testing.T, concurrency int) *runnerEnv {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir()+"/b.db")
	if err != nil {
		t.Fatal(err)
	}
	e := &runnerEnv{st: st, hold: make(chan struct{})}
	close(e.hold)
	e.r = New(Options{Log: st, Files: st, Metrics: NewMetrics(nil), Concurrency: concurrency, YieldAt: 1, MaxLines: 100, Lease: 3 * time.Second, Retention: time.Hour,
		Busy: func() int { return int(e.busy.Load()) },
		Dispatch: func(ctx context.Context, o Owner, url string, body []byte) Result {
			n := e.running.Add(1)
			defer e.running.Add(-1)
			for m := e.most.Load(); n > m && !e.most.CompareAndSwap(m, n); m = e.most.Load() {
			}
			sent := e.sent.Add(1)
			<-e.hold
			if e.reply != nil {
				return e.reply(sent)
			}
			return Result{Status: 200, RequestID: "req_x", Body: []byte(`{"usage":{"prompt_tokens":2,"completion_tokens":3}}`)}
		}})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e.r.Close(ctx)
		st.Close()
	})
	return e
}

// submit stores a batch of n requests, its completion window an hour
// (kept ten), and has the runner run it.
func (e *runnerEnv) submit(t *testing.T, n int) string {
	t.Helper()
	var in strings.Builder
	for i := range n {
		fmt.Fprintf(&in, `{"custom_id":"c%d","method":"POST","url":"/v1/embeddings","body":{}}`+"\n", i)
	}
	now := time.Now()
	ctx := context.Background()
	if err := e.st.SaveFile(ctx, &store.File{ID: "file-in", Tenant: "acme", Created: now, Expires: now.Add(10 * time.Hour), Purpose: "batch", Content: []byte(in.String())}); err != nil {
		t.Fatal(err)
	}
	exp := now.Add(time.Hour).Unix()
	o := &Object{ID: "batch_1", Object: "batch", Endpoint: "/v1/embeddings", InputFileID: "file-in", Status: store.BatchValidating, ExpiresAt: &exp}
	b := &store.Batch{ID: o.ID, Tenant: "acme", Created: now, Expires: now.Add(10 * time.Hour), Status: o.Status, Object: o.Marshal(), Lease: e.r.LeaseEnd()}
	if err := e.st.SaveBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	e.r.Submit(b)
	return b.ID
}

// await polls the batch until its status is want.
func (e *runnerEnv) await(t *testing.T, id, want string) *Object {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		b, err := e.st.GetBatch(context.Background(), store.AllTenants(), id, time.Now())
		if err == nil && b.Status == want {
			o, _ := ParseObject(b.Object)
			return o
		}
	}
	t.Fatalf("batch %s never %s", id, want)
	return nil
}

// At most Concurrency requests run at once; the batch's usage sums
// theirs.
func TestRunnerConcurrency(t *testing.T) {
	e := newRunnerEnv(t, 2)
	e.hold = make(chan struct{})
	id := e.submit(t, 10)
	go func() { // release the held requests once two run at once (or after 5 s: then most says 1)
		for deadline := time.Now().Add(5 * time.Second); e.most.Load() < 2 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // time for a third to start, were the bound not kept
		close(e.hold)
	}()
	o := e.await(t, id, store.BatchCompleted)
	if e.most.Load() != 2 || e.sent.Load() != 10 {
		t.Errorf("most at once %d, sent %d; want 2 and 10", e.most.Load(), e.sent.Load())
	}
	if o.RequestCounts != (Counts{Total: 10, Completed: 10}) || o.Usage.InputTokens != 20 || o.Usage.TotalTokens != 50 || o.OutputFileID == nil {
		t.Errorf("completed = %s", o.Marshal())
	}
	m := e.r.opts.Metrics
	for deadline := time.Now().Add(5 * time.Second); testutil.ToFloat64(m.ended.WithLabelValues("completed")) == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // counted once the final write returned
	}
	if ok, ended := testutil.ToFloat64(m.requests.WithLabelValues("ok")), testutil.ToFloat64(m.ended.WithLabelValues("completed")); ok != 10 || ended != 1 {
		t.Errorf("metrics: %v requests ok, %v batches completed; want 10 and 1", ok, ended)
	}
}

// While interactive traffic is at YieldAt, no request of a batch starts.
func TestRunnerYields(t *testing.T) {
	e := newRunnerEnv(t, 4)
	e.busy.Store(1)
	id := e.submit(t, 3)
	time.Sleep(200 * time.Millisecond)
	if n := e.sent.Load(); n != 0 {
		t.Fatalf("%d requests sent while busy", n)
	}
	e.busy.Store(0)
	e.await(t, id, store.BatchCompleted)
}

// A cancel stops new requests; the batch ends cancelled with what ran.
func TestRunnerCancel(t *testing.T) {
	e := newRunnerEnv(t, 1)
	e.hold = make(chan struct{})
	id := e.submit(t, 5)
	for e.sent.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	b, err := e.st.GetBatch(context.Background(), store.AllTenants(), id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.Status = store.BatchCancelling
	if err := e.st.UpdateBatch(context.Background(), b, store.BatchRunning...); err != nil {
		t.Fatal(err)
	}
	e.r.Cancel(id)
	close(e.hold)
	o := e.await(t, id, store.BatchCancelled)
	if e.sent.Load() != 1 || o.RequestCounts.Completed != 1 || o.CancelledAt == nil {
		t.Errorf("sent %d, cancelled = %s", e.sent.Load(), o.Marshal())
	}
}

// A batch past its completion window starts no request and ends
// expired, the requests left in its error file.
func TestRunnerExpires(t *testing.T) {
	e := newRunnerEnv(t, 1)
	e.r.opts.Now = func() time.Time { return time.Now().Add(2 * time.Hour) } // past the hour submit gives it
	id := e.submit(t, 3)
	o := e.await(t, id, store.BatchExpired)
	if e.sent.Load() != 0 || o.RequestCounts != (Counts{Total: 3, Failed: 3}) || o.ExpiredAt == nil || o.ErrorFileID == nil || o.OutputFileID != nil {
		t.Fatalf("sent %d, expired = %s", e.sent.Load(), o.Marshal())
	}
	data, err := e.st.FileContent(context.Background(), store.TenantScope("acme"), *o.ErrorFileID, time.Now())
	if err != nil || strings.Count(string(data), `"code":"batch_expired"`) != 3 {
		t.Errorf("error file = %s, %v", data, err)
	}
}

// A request cut by a shutdown past its deadline is not kept as a failed
// result: the batch's next run sends it again.
func TestRunnerShutdownCutIsNotAFailure(t *testing.T) {
	e := newRunnerEnv(t, 1)
	dispatch := e.r.opts.Dispatch
	e.r.opts.Dispatch = func(ctx context.Context, o Owner, url string, body []byte) Result {
		if e.sent.Load() == 0 {
			e.sent.Add(1)
			<-ctx.Done() // the first request hangs until the shutdown cuts it
			return Result{Status: 499, Body: []byte(`{"error":{"message":"cut"}}`)}
		}
		return dispatch(ctx, o, url, body)
	}
	id := e.submit(t, 3)
	for e.sent.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := e.r.Close(ctx); err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Errorf("Close = %v, want the deadline's error", err)
	}
	lines, err := e.st.BatchLines(context.Background(), "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.Failed {
			t.Errorf("line %d kept as failed after the shutdown cut it: %s", l.Index, l.Data)
		}
	}
}
