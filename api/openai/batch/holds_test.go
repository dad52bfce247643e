package batch

import (
	"context"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// A batch cancelled while its provider batch runs cancels it and
// releases its lines' holds.
func TestForwardCancelReleasesHolds(t *testing.T) {
	f := &fakeForwarder{} // its provider batches never end
	e := newForwardEnv(t, f)
	e.submit(t, 4, time.Hour, nil)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		f.mu.Lock()
		polled := f.polls["pb_1"] > 0
		f.mu.Unlock()
		if polled {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the provider batch was never polled")
		}
	}
	if _, released := f.holds(); len(released) != 0 {
		t.Fatalf("released %v while the provider batch runs", released)
	}
	b, err := e.st.GetBatch(context.Background(), store.AllTenants(), "batch_1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.Status = store.BatchCancelling // as the cancel endpoint writes it
	if err := e.st.UpdateBatch(context.Background(), b, store.BatchRunning...); err != nil {
		t.Fatal(err)
	}
	e.r.Cancel("batch_1")
	(&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCancelled)
	if _, released := f.holds(); !slices.Equal(released, []int{0, 2}) {
		t.Errorf("released %v, want the forwarded lines' holds", released)
	}
}
