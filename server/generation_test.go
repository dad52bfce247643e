package server

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestGenerationsNeverDrainInUse: with calls acquiring and releasing
// while generations are swapped in, no generation drains while a call
// holds it, and each replaced one drains exactly once.
func TestGenerationsNeverDrainInUse(t *testing.T) {
	type tracked struct {
		g      *generation
		closed atomic.Bool
		drains atomic.Int32
	}
	var gs generations
	var all []*tracked
	var mu sync.Mutex
	mk := func() *generation {
		tr := &tracked{}
		tr.g = &generation{}
		tr.g.drained = func() {
			tr.closed.Store(true)
			tr.drains.Add(1)
		}
		mu.Lock()
		all = append(all, tr)
		mu.Unlock()
		return tr.g
	}
	closedOf := func(g *generation) *tracked {
		mu.Lock()
		defer mu.Unlock()
		for _, tr := range all {
			if tr.g == g {
				return tr
			}
		}
		return nil
	}
	gs.cur.Store(mk())
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var bad atomic.Int32
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				g := gs.acquire()
				if closedOf(g).closed.Load() {
					bad.Add(1)
				}
				g.release()
			}
		})
	}
	for range 200 {
		gs.swap(mk())
	}
	close(stop)
	wg.Wait()
	if bad.Load() > 0 {
		t.Errorf("%d calls ran on a drained generation", bad.Load())
	}
	cur := gs.cur.Load()
	for _, tr := range all {
		want := int32(1)
		if tr.g == cur {
			want = 0
		}
		if n := tr.drains.Load(); n != want {
			t.Errorf("a generation drained %d times; want %d", n, want)
		}
	}
}

// BenchmarkGenerationHold is what holding the serving configuration adds
// to each API call (acquire and release): go test -run XXX -bench
// GenerationHold ./server.
func BenchmarkGenerationHold(b *testing.B) {
	var gs generations
	gs.cur.Store(&generation{drained: func() {}})
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			gs.acquire().release()
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				gs.acquire().release()
			}
		})
	})
}
