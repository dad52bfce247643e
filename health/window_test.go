package health

import (
	"testing"
	"time"
)

// quantile answers from its cache until staleAfter samples arrived, then
// computes again; it agrees with quantiles when fresh.
func TestRingQuantileCache(t *testing.T) {
	r := newRing(256)
	if got := r.quantile(0.95); got != 0 {
		t.Fatalf("empty ring: %s", got)
	}
	for i := 1; i <= 100; i++ {
		r.add(time.Duration(i) * time.Millisecond)
	}
	want := r.quantiles(0.95)[0]
	if got := r.quantile(0.95); got != want {
		t.Fatalf("fresh p95 %s, want %s", got, want)
	}
	for i := 0; i < staleAfter-1; i++ {
		r.add(time.Second)
	}
	if got := r.quantile(0.95); got != want {
		t.Errorf("cached p95 %s after %d samples, want the cached %s", got, staleAfter-1, want)
	}
	r.add(time.Second)
	if got, fresh := r.quantile(0.95), r.quantiles(0.95)[0]; got != fresh || got == want {
		t.Errorf("p95 %s after %d samples, want recomputed %s", got, staleAfter, fresh)
	}
	if got, fresh := r.quantile(0.5), r.quantiles(0.5)[0]; got != fresh {
		t.Errorf("p50 %s, want %s (a second quantile has its own slot)", got, fresh)
	}
}
