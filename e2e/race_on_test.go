//go:build race

package e2e

// raceEnabled reports whether the tests run with the race detector; the
// switchyard binary they build then has it too, sharing the build cache.
const raceEnabled = true
