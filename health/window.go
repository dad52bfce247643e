package health

import (
	"slices"
	"time"
)

// bucket aggregates the attempts of one slice of the window.
type bucket struct {
	start       time.Time
	requests    int
	failures    int
	rateLimited int
	ttfts       []time.Duration // successful attempts' TTFT, for the spike test
	evaluated   bool            // the spike test has seen this bucket
}

// window is a ring of buckets covering the sliding window, plus reservoirs
// of recent latencies for quantiles. It is not safe for concurrent use.
type window struct {
	span    time.Duration
	buckets []bucket
	ttft    ring
	latency ring
}

func newWindow(span time.Duration, n int) *window {
	return &window{span: span / time.Duration(n), buckets: make([]bucket, n), ttft: newRing(256), latency: newRing(256)}
}

// current returns the bucket for now, rotating out expired ones; closed
// receives each bucket as it is retired, for the spike test.
func (w *window) current(now time.Time, closed func(*bucket)) *bucket {
	start := now.Truncate(w.span)
	i := int(start.UnixNano()/int64(w.span)) % len(w.buckets)
	b := &w.buckets[i]
	if !b.start.Equal(start) {
		if !b.start.IsZero() && !b.evaluated && closed != nil {
			closed(b)
		}
		*b = bucket{start: start, ttfts: b.ttfts[:0]}
	}
	return b
}

// totals sums the buckets still inside the window at now.
func (w *window) totals(now time.Time) (requests, failures, rateLimited int) {
	oldest := now.Add(-w.span * time.Duration(len(w.buckets)))
	for i := range w.buckets {
		b := &w.buckets[i]
		if b.start.After(oldest) {
			requests += b.requests
			failures += b.failures
			rateLimited += b.rateLimited
		}
	}
	return
}

// reset clears the outcome counts (not the latency reservoirs).
func (w *window) reset() {
	for i := range w.buckets {
		w.buckets[i] = bucket{ttfts: w.buckets[i].ttfts[:0]}
	}
}

// ring keeps the last n samples.
type ring struct {
	vals []time.Duration
	next int
	full bool
	// adds counts every sample ever added; cache holds recent answers of
	// quantile, so that asking on every request does not sort the ring
	// every time.
	adds  uint64
	cache [2]cachedQuantile
}

// cachedQuantile is one quantile as computed after adds samples.
type cachedQuantile struct {
	q    float64
	v    time.Duration
	adds uint64
}

// staleAfter is how many samples may arrive before a cached quantile is
// computed again: one in staleAfter of a 256-sample ring barely moves it.
const staleAfter = 16

func newRing(n int) ring { return ring{vals: make([]time.Duration, n)} }

func (r *ring) add(d time.Duration) {
	r.adds++
	r.vals[r.next] = d
	r.next++
	if r.next == len(r.vals) {
		r.next, r.full = 0, true
	}
}

// quantiles returns the given quantiles of the samples (zeros if none).
func (r *ring) quantiles(qs ...float64) []time.Duration {
	n := r.next
	if r.full {
		n = len(r.vals)
	}
	out := make([]time.Duration, len(qs))
	if n == 0 {
		return out
	}
	s := slices.Clone(r.vals[:n])
	slices.Sort(s)
	for i, q := range qs {
		out[i] = s[int(q*float64(n-1)+0.5)]
	}
	return out
}

// quantile returns the q-quantile of the samples (zero if none), from a
// cache while fewer than staleAfter samples arrived since it was computed.
func (r *ring) quantile(q float64) time.Duration {
	if r.adds == 0 {
		return 0
	}
	oldest := 0
	for i := range r.cache {
		c := &r.cache[i]
		if c.q == q && c.adds > 0 && r.adds-c.adds < staleAfter {
			return c.v
		}
		if r.cache[i].adds < r.cache[oldest].adds {
			oldest = i
		}
	}
	v := r.quantiles(q)[0]
	r.cache[oldest] = cachedQuantile{q: q, v: v, adds: r.adds}
	return v
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
