package record

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// collector is a sink that keeps the request ids it saw. It is read only
// after Close returned, which orders the reads after every Consume.
type collector struct{ ids []string }

func (c *collector) Consume(r *Record) { c.ids = append(c.ids, r.RequestID) }

// gate is a sink that blocks in Consume until released, reporting each
// record it starts to consume on entered.
type gate struct {
	entered chan string
	release chan struct{}
}

func newGate() *gate {
	return &gate{entered: make(chan string, 100), release: make(chan struct{})}
}

func (g *gate) Consume(r *Record) {
	g.entered <- r.RequestID
	<-g.release
}

// waitEntered waits until the gate holds a record.
func (g *gate) waitEntered(t *testing.T) string {
	t.Helper()
	select {
	case id := <-g.entered:
		return id
	case <-time.After(5 * time.Second):
		t.Fatal("the sink never received a record")
		return ""
	}
}

func rec(i int) *Record { return &Record{RequestID: fmt.Sprintf("req_%d", i)} }

func TestEverySinkGetsEveryRecordInOrder(t *testing.T) {
	const n = 1000
	sinks := []*collector{{}, {}, {}}
	r := NewRecorder(n, sinks[0], sinks[1], SinkFunc(sinks[2].Consume))
	for i := range n {
		if !r.Add(rec(i)) {
			t.Fatalf("Add %d refused with room in the queue", i)
		}
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for si, s := range sinks {
		if len(s.ids) != n {
			t.Fatalf("sink %d got %d records, want %d", si, len(s.ids), n)
		}
		for i, id := range s.ids {
			if want := rec(i).RequestID; id != want {
				t.Fatalf("sink %d record %d = %s, want %s", si, i, id, want)
			}
		}
	}
	if r.Dropped() != 0 {
		t.Fatalf("Dropped = %d", r.Dropped())
	}
}

func TestAddNeverBlocks(t *testing.T) {
	g := newGate()
	c := &collector{}
	r := NewRecorder(2, g, c)
	if !r.Add(rec(0)) {
		t.Fatal("first Add refused")
	}
	g.waitEntered(t) // rec 0 left the queue; the sink holds it

	// The queue holds two more; the rest are dropped, at once.
	for i := 1; i <= 2; i++ {
		if !r.Add(rec(i)) {
			t.Fatalf("Add %d refused with room in the queue", i)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 3; i < 10; i++ {
			if r.Add(rec(i)) {
				t.Errorf("Add %d accepted into a full queue", i)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Add blocked on a full queue")
	}
	if got := r.Dropped(); got != 7 {
		t.Fatalf("Dropped = %d, want 7", got)
	}

	// Close flushes what was queued.
	close(g.release)
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"req_0", "req_1", "req_2"}; fmt.Sprint(c.ids) != fmt.Sprint(want) {
		t.Fatalf("consumed %v, want %v", c.ids, want)
	}
}

func TestCloseWaitsForContext(t *testing.T) {
	g := newGate()
	r := NewRecorder(4, g)
	r.Add(rec(0))
	r.Add(rec(1))
	g.waitEntered(t)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close with a blocked sink and a canceled context = %v, want context.Canceled", err)
	}
	if r.Add(rec(2)) {
		t.Fatal("Add accepted after Close")
	}
	close(g.release)
	// The queue is still consumed after the first Close gave up.
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if id := g.waitEntered(t); id != "req_1" {
		t.Fatalf("second record = %s", id)
	}
}

func TestCloseIdempotent(t *testing.T) {
	c := &collector{}
	r := NewRecorder(0, c)
	if cap(r.ch) != 8192 {
		t.Fatalf("default queue size = %d, want 8192", cap(r.ch))
	}
	r.Add(rec(0))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := r.Close(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// Once flushed, Close reports success even with a dead context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 100 {
		if err := r.Close(ctx); err != nil {
			t.Fatalf("Close after the flush = %v, want nil", err)
		}
	}
	if len(c.ids) != 1 {
		t.Fatalf("consumed %d records, want 1", len(c.ids))
	}
}

func TestAddAfterCloseIsDropped(t *testing.T) {
	c := &collector{}
	r := NewRecorder(8, c)
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if r.Add(rec(i)) {
			t.Fatal("Add accepted after Close")
		}
	}
	if r.Dropped() != 3 {
		t.Fatalf("Dropped = %d, want 3", r.Dropped())
	}
	if len(c.ids) != 0 {
		t.Fatalf("a record added after Close was consumed: %v", c.ids)
	}
}

func TestConcurrentAddAndClose(t *testing.T) {
	var consumed atomic.Int64
	r := NewRecorder(64, SinkFunc(func(*Record) { consumed.Add(1) }))
	const writers, each = 8, 500
	var accepted atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			<-start
			for i := range each {
				if r.Add(rec(w*each + i)) {
					accepted.Add(1)
				}
			}
		})
	}
	wg.Go(func() {
		<-start
		if err := r.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	close(start)
	wg.Wait()
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := consumed.Load(); got != accepted.Load() {
		t.Fatalf("consumed %d records, accepted %d", got, accepted.Load())
	}
	if total := accepted.Load() + r.Dropped(); total != writers*each {
		t.Fatalf("accepted %d + dropped %d = %d, want %d", accepted.Load(), r.Dropped(), total, writers*each)
	}
}
