package sse

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestReleaseTwiceGivesBackOnce: a second Release must not put the same
// buffers in the pool again, or two Readers would share them.
func TestReleaseTwiceGivesBackOnce(t *testing.T) {
	r := NewReader(strings.NewReader("data: x\n\n"))
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	r.Release()
	r.Release()
	a := NewReader(strings.NewReader(""))
	b := NewReader(strings.NewReader(""))
	defer a.Release()
	defer b.Release()
	if a.bufs == b.bufs || a.r == b.r {
		t.Fatal("two readers share one set of buffers after a double Release")
	}
}

// TestReleaseDropsSource: a pooled buffer keeps no reference to the
// stream it read, so a body is not kept alive by the pool.
func TestReleaseDropsSource(t *testing.T) {
	src := &countingReader{r: strings.NewReader("data: x\n\n")}
	r := NewReader(src)
	b := r.bufs
	r.Release()
	if r.r != nil || r.bufs != nil || r.data != nil {
		t.Fatal("a released Reader still holds its buffers")
	}
	defer func() {
		recover() // reading the nil source left in its place panics
		if src.reads > 0 {
			t.Fatal("the pooled read buffer still reads its old source")
		}
	}()
	b.br.Read(make([]byte, 1))
}

// TestReleaseKeepsOversizedDataOut: an event buffer grown past
// maxPooledData is not pooled.
func TestReleaseKeepsOversizedDataOut(t *testing.T) {
	big := strings.Repeat("x", maxPooledData+1)
	r := NewReader(strings.NewReader("data: " + big + "\n\n"))
	ev, err := r.Next()
	if err != nil || len(ev.Data) != len(big) {
		t.Fatalf("Next = %d bytes, %v", len(ev.Data), err)
	}
	b := r.bufs
	r.Release()
	if cap(b.data) > maxPooledData {
		t.Fatalf("pooled an event buffer of %d bytes", cap(b.data))
	}
}

// TestPooledReadersConcurrently runs many streams at once, each releasing
// its reader at its end, and checks every event read: with the race
// detector on, a buffer handed to two readers shows up as a race or as
// wrong data.
func TestPooledReadersConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 50 {
				var in strings.Builder
				for i := range 20 {
					fmt.Fprintf(&in, "data: g%d n%d event %d %s\n\n", g, n, i, strings.Repeat("y", i*50))
				}
				r := NewReader(strings.NewReader(in.String()))
				for i := range 20 {
					ev, err := r.Next()
					want := fmt.Sprintf("g%d n%d event %d %s", g, n, i, strings.Repeat("y", i*50))
					if err != nil || string(ev.Data) != want {
						t.Errorf("event %d = %q, %v; want %q", i, ev.Data, err, want)
						return
					}
				}
				r.Release()
			}
		})
	}
	wg.Wait()
}
