package dispatch

import (
	"context"
	"testing"
	"time"

	"switchyard/llm"
)

// chatAllocs is what Dispatcher.Chat allocates for a plan of two tiers
// whose first answers at once, with the fake provider's own allocations
// (its stream and chunks) in: the run's state stays on Chat's stack
// (launchHedged's goroutine keeps the plan, not the run) and its steps
// take one allocation. A change that adds one to every request's path
// shows here; measure it (docs/benchmarks.md) before raising the figure.
const chatAllocs = 24

func TestChatAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	a, b := newFake("a", script{}), newFake("b", script{})
	d := New(Options{})
	plan := planOf(time.Second, a, b)
	r := req()
	n := testing.AllocsPerRun(50, func() {
		if _, err := d.Chat(context.Background(), r, plan, &llm.Served{}); err != nil {
			t.Fatal(err)
		}
	})
	if n != chatAllocs {
		t.Errorf("Chat allocates %v times a request, want %d", n, chatAllocs)
	}
}
