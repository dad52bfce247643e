package record

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// TestSync: Sync returns once the records queued before it were consumed
// by every sink, which never see its marker; it gives up when its context
// ends, and on a closed recorder it waits for the queue to drain.
func TestSync(t *testing.T) {
	g, c := newGate(), &collector{}
	r := NewRecorder(4, g, c)
	r.Add(&Record{RequestID: "a"})
	r.Add(&Record{RequestID: "b"})
	if id := g.waitEntered(t); id != "a" {
		t.Fatalf("gate holds %q, want a", id)
	}
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := r.Sync(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Sync while a sink is blocked = %v, want the deadline", err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Sync(context.Background()) }()
	g.release <- struct{}{} // a
	select {
	case err := <-done:
		t.Fatalf("Sync returned %v before b was consumed", err)
	case <-time.After(10 * time.Millisecond):
	}
	g.release <- struct{}{} // b
	if err := <-done; err != nil {
		t.Errorf("Sync = %v, want nil once a and b were consumed", err)
	}
	close(g.release) // every later record passes
	r.Add(&Record{RequestID: "c"})
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := r.Sync(context.Background()); err != nil {
		t.Errorf("Sync on a closed recorder = %v, want nil", err)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(c.ids, want) {
		t.Errorf("the sinks saw %v, want %v (no marker)", c.ids, want)
	}
}
