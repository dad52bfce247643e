//go:build !race

package openai

// raceEnabled reports whether the tests run with the race detector, under
// which sync.Pool drops a share of what it is given on purpose.
const raceEnabled = false
