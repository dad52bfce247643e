package memory_test

import (
	"testing"

	"go.uber.org/goleak"

	"switchyard/state"
	"switchyard/state/memory"
	"switchyard/state/statetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestConformance runs the state suite; the two "processes" are one
// Backend, which is all memory can share.
func TestConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T, c *statetest.Clock) (state.Backend, state.Backend) {
		b := memory.New(memory.Options{Now: c.Now})
		t.Cleanup(func() { _ = b.Close() })
		return b, b
	})
}

// BenchmarkOps: go test -run '^$' -bench . ./state/memory/
func BenchmarkOps(b *testing.B) {
	be := memory.New(memory.Options{})
	defer be.Close()
	statetest.Bench(b, be)
}
