//go:build race

package train

// raceEnabled reports whether the tests run with the race detector.
const raceEnabled = true
