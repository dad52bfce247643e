//go:build !race

package dispatch

// raceEnabled reports whether the tests run with the race detector, which
// makes sync.Pool drop items at random (so allocation counts mean nothing).
const raceEnabled = false
