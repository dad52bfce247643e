package record

import (
	"context"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"
)

// batches is a Flusher sink: it collects the request ids it sees into
// the current batch, which Flush closes.
type batches struct {
	mu      sync.Mutex
	current []string
	done    [][]string
	seen    chan string
}

func newBatches() *batches { return &batches{seen: make(chan string, 100)} }

func (b *batches) Consume(r *Record) {
	b.mu.Lock()
	b.current = append(b.current, r.RequestID)
	b.mu.Unlock()
	b.seen <- r.RequestID
}

func (b *batches) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.current) > 0 {
		b.done = append(b.done, b.current)
		b.current = nil
	}
}

func (b *batches) flushed() [][]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.done)
}

// TestRecorderHandsOverBatches: records added between two wake-ups reach
// the sinks together, as one batch the Flushers flush once; Sync flushes
// before it returns, Close before it does.
func TestRecorderHandsOverBatches(t *testing.T) {
	b := newBatches()
	r := NewRecorderWith(RecorderOptions{Queue: 64, Interval: time.Hour}, b)
	for i := range 5 {
		r.Add(rec(i))
	}
	if err := r.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"req_0", "req_1", "req_2", "req_3", "req_4"}}
	if got := b.flushed(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("batches flushed by Sync = %v, want %v", got, want)
	}
	r.Add(rec(5))
	r.Add(rec(6))
	if err := r.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	want = append(want, []string{"req_5", "req_6"})
	if got := b.flushed(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("batches flushed by Close = %v, want %v", got, want)
	}
}

// TestRecorderWakesWhenAnEighthWaits: the recorder takes the queue before
// its interval once an eighth of it waits.
func TestRecorderWakesWhenAnEighthWaits(t *testing.T) {
	b := newBatches()
	r := NewRecorderWith(RecorderOptions{Queue: 64, Interval: time.Hour}, b)
	defer r.Close(context.Background())
	for i := range 8 {
		r.Add(rec(i))
	}
	for i := range 8 {
		select {
		case id := <-b.seen:
			if want := rec(i).RequestID; id != want {
				t.Fatalf("record %d = %s, want %s", i, id, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d of 8 records consumed with 8 of 64 queued", i)
		}
	}
}

// TestRecorderTakesOnItsInterval: a lone record reaches the sinks on the
// next tick, without Sync.
func TestRecorderTakesOnItsInterval(t *testing.T) {
	b := newBatches()
	r := NewRecorderWith(RecorderOptions{Queue: 64, Interval: time.Millisecond}, b)
	defer r.Close(context.Background())
	r.Add(rec(0))
	select {
	case <-b.seen:
	case <-time.After(5 * time.Second):
		t.Fatal("a queued record was not consumed on the interval")
	}
}

// BenchmarkRecorderPaced adds a record every 200 µs, as a router at 5,000
// requests per second would, and reports the process's CPU time per
// record (user + system, from getrusage): it counts the scheduler's work
// of waking the recorder's goroutine, which ns/op does not.
func BenchmarkRecorderPaced(b *testing.B) {
	r := NewRecorder(0, SinkFunc(func(*Record) {}))
	defer r.Close(context.Background())
	recs := make([]Record, 64)
	before := cpuTime(b)
	tick := time.NewTicker(200 * time.Microsecond)
	defer tick.Stop()
	b.ResetTimer()
	for i := range b.N {
		<-tick.C
		r.Add(&recs[i%len(recs)])
	}
	if err := r.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64((cpuTime(b)-before).Microseconds())/float64(b.N), "cpu-µs/record")
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
