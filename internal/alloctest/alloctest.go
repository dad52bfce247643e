// Package alloctest measures what a piece of code allocates, for tests
// that hold a decoder or builder to linear cost in its input's size:
// bytes allocated, unlike time, do not move with a loaded machine.
package alloctest

import "runtime"

// Bytes returns the fewest bytes f allocated over runs runs (at least
// one): the minimum drops what other goroutines allocated meanwhile.
func Bytes(runs int, f func()) uint64 {
	var best uint64 = 1<<64 - 1
	var before, after runtime.MemStats
	for range max(runs, 1) {
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		best = min(best, after.TotalAlloc-before.TotalAlloc)
	}
	return best
}
