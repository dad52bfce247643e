package batch

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// polled waits until the provider batch id was polled more than n times.
func (f *fakeForwarder) polled(t *testing.T, id string, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		f.mu.Lock()
		done := f.polls[id] > n
		f.mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the provider batch %s was never polled past %d", id, n)
		}
	}
}

// cancelStored writes batch_1 cancelling, at cancelling_at, as the
// cancel endpoint does, and has r stop it.
func (e *forwardEnv) cancelStored(t *testing.T, r *Runner, cancellingAt int64) {
	t.Helper()
	ctx := context.Background()
	b, err := e.st.GetBatch(ctx, store.AllTenants(), "batch_1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseObject(b.Object)
	if err != nil {
		t.Fatal(err)
	}
	o.Status, o.CancellingAt = store.BatchCancelling, &cancellingAt
	b.Status, b.Object = o.Status, o.Marshal()
	if err := e.st.UpdateBatch(ctx, b, store.BatchRunning...); err != nil {
		t.Fatal(err)
	}
	r.Cancel("batch_1")
}

// A batch cancelled while its provider batch runs waits for it to end
// and keeps the answer it gave before the cancel (line 0) as any other;
// the line it did not answer (2) ends without a result, its hold
// released; the cancel's time is kept.
func TestForwardCancelKeepsAnswers(t *testing.T) {
	f := &fakeForwarder{answer: map[int]bool{0: true}}
	e := newForwardEnv(t, f)
	e.submit(t, 4, time.Hour, nil)
	f.polled(t, "pb_1", 0)
	cancelling := time.Now().Unix()
	e.cancelStored(t, e.r, cancelling)
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCancelled)
	if o.RequestCounts != (Counts{Total: 4, Completed: 3}) || o.CostUSD != 2.5 || o.CancellingAt == nil || *o.CancellingAt != cancelling || o.CancelledAt == nil {
		t.Errorf("cancelled = %s", o.Marshal())
	}
	if l := e.lines(t); !strings.Contains(l[0], `"req_fwd"`) || l[2] != "" {
		t.Errorf("lines = %v, want line 0's answer and no line 2", l)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Equal(f.cancelled, []string{"pb_1"}) || !slices.Equal(f.released, []int{2}) || !slices.Equal(f.answered, []int{0}) {
		t.Errorf("cancelled %v, released %v, answered %v; want pb_1 cancelled, line 2 released, line 0 answered once", f.cancelled, f.released, f.answered)
	}
}

// A router shutting down while its batch waits on a cancelled provider
// batch leaves the batch cancelling, its lease given up; the router
// resuming it waits again and keeps the answer once.
func TestForwardCancelResumedAfterShutdown(t *testing.T) {
	f := &fakeForwarder{answer: map[int]bool{0: true}, stuck: true}
	e := newForwardEnv(t, f)
	e.submit(t, 4, time.Hour, nil)
	f.polled(t, "pb_1", 0)
	e.cancelStored(t, e.r, time.Now().Unix())
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		f.mu.Lock()
		asked := len(f.cancelled) > 0
		f.mu.Unlock()
		if asked {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the provider batch was never cancelled")
		}
	}
	f.mu.Lock()
	polls := f.polls["pb_1"]
	f.mu.Unlock()
	f.polled(t, "pb_1", polls) // waiting on it
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := e.st.GetBatch(ctx, store.AllTenants(), "batch_1", time.Now())
	if err != nil || b.Status != store.BatchCancelling || b.Lease.After(time.Now()) {
		t.Fatalf("after the shutdown %+v, %v; want it cancelling, its lease given up", b, err)
	}
	f.mu.Lock()
	f.stuck = false
	f.mu.Unlock()
	e.runner(t).Start()
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCancelled)
	if o.RequestCounts != (Counts{Total: 4, Completed: 3}) {
		t.Errorf("cancelled = %s", o.Marshal())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Equal(f.answered, []int{0}) || !slices.Equal(f.released, []int{2}) {
		t.Errorf("answered %v, released %v; want line 0 answered once, line 2 released", f.answered, f.released)
	}
}

// A cancelled provider batch that has not ended drainTimeout after the
// cancel (polled once after it) is given up: its lines end without a
// result, their holds released.
func TestForwardCancelGivesUpPastDeadline(t *testing.T) {
	f := &fakeForwarder{answer: map[int]bool{0: true}, stuck: true}
	e := newForwardEnv(t, f)
	e.submit(t, 4, time.Hour, nil)
	f.polled(t, "pb_1", 0)
	e.cancelStored(t, e.r, time.Now().Add(-drainTimeout-time.Minute).Unix())
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCancelled)
	if o.RequestCounts != (Counts{Total: 4, Completed: 2}) {
		t.Errorf("cancelled = %s", o.Marshal())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Equal(f.cancelled, []string{"pb_1"}) || !slices.Equal(f.released, []int{0, 2}) || len(f.answered) != 0 {
		t.Errorf("cancelled %v, released %v, answered %v; want pb_1 cancelled and both its lines released", f.cancelled, f.released, f.answered)
	}
}

// A batch cancelled while its provider batch is being created lets the
// creation finish (a cut call would leave a provider batch the router
// does not know, billing its lines), then cancels it and keeps its
// answers.
func TestForwardCancelDuringSubmit(t *testing.T) {
	f := &fakeForwarder{answer: map[int]bool{0: true, 2: true}}
	e := newForwardEnv(t, f)
	f.onSubmit = func() { e.cancelStored(t, e.r, time.Now().Unix()) }
	e.submit(t, 4, time.Hour, nil)
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCancelled)
	if o.RequestCounts.Completed != 2 {
		t.Errorf("cancelled = %s, want lines 0 and 2 answered", o.Marshal())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Equal(f.cancelled, []string{"pb_1"}) || !slices.Equal(f.answered, []int{0, 2}) {
		t.Errorf("cancelled %v, answered %v; want pb_1 cancelled and its answers kept", f.cancelled, f.answered)
	}
}

// A provider batch found unproven (the only one that could be the one
// sent before the resume, still running) is awaited but never
// cancelled: the batch cancelled meanwhile waits for it to end and keeps
// its answers; its id is not written (it is looked for again on the
// next resume), and its lines are not sent again.
func TestForwardUnprovenNeverCancelled(t *testing.T) {
	f := &fakeForwarder{ends: 15, answer: map[int]bool{0: true, 2: true}, byKey: map[string]string{"swfk_made": "pb_made"}, unproven: map[string]bool{"swfk_made": true}}
	e := newForwardEnv(t, f)
	e.submit(t, 4, time.Hour, func() {
		fw := store.BatchForward{ID: "swfk_made", Key: "swfk_made", Deployment: "dep", Lines: []int{0, 2}, Created: time.Now()}
		if err := e.st.SaveBatchForward(context.Background(), "acme", "batch_1", fw); err != nil {
			t.Fatal(err)
		}
	})
	f.polled(t, "pb_made", 0)
	e.cancelStored(t, e.r, time.Now().Unix())
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCancelled)
	if l := e.lines(t); !strings.Contains(l[0], `"req_fwd"`) || !strings.Contains(l[2], `"req_fwd"`) {
		t.Errorf("lines = %v, want lines 0 and 2 answered by the provider batch (%s)", l, o.Marshal())
	}
	f.mu.Lock()
	if len(f.cancelled) != 0 || len(f.submitted) != 0 || f.polls["pb_made"] < f.ends {
		t.Errorf("cancelled %v, submitted %v, polls %v; want pb_made awaited to its end, never cancelled, nothing sent again", f.cancelled, f.submitted, f.polls)
	}
	f.mu.Unlock()
	kept, err := e.st.BatchForwards(context.Background(), "acme", "batch_1")
	if err != nil || len(kept) != 1 || !kept[0].Pending() {
		t.Errorf("kept %+v, %v; want the unproven batch's id not written", kept, err)
	}
}
