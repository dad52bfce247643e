//go:build race

package drift

// raceEnabled reports whether the tests run with the race detector, which
// makes the single-goroutine statistics simulations ten times slower
// without checking anything more.
const raceEnabled = true
