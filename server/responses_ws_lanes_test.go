package server

import (
	"testing"
	"time"

	"switchyard/llm"
)

// gatedTurns runs turns that each report their start and then wait to be
// let go: a test sees which turns run at once.
type gatedTurns struct {
	started chan string
	gates   map[string]chan struct{}
}

func newGatedTurns(names ...string) *gatedTurns {
	g := &gatedTurns{started: make(chan string, len(names)), gates: map[string]chan struct{}{}}
	for _, n := range names {
		g.gates[n] = make(chan struct{})
	}
	return g
}

func (g *gatedTurns) run(_ string, body []byte) {
	g.started <- string(body)
	<-g.gates[string(body)]
}

// next returns the turn that starts next; none within 5 s fails t.
func (g *gatedTurns) next(t *testing.T) string {
	t.Helper()
	select {
	case n := <-g.started:
		return n
	case <-time.After(5 * time.Second):
		t.Fatal("no turn started")
		return ""
	}
}

// none checks that no turn has started (one that could start already
// would have to be let go first: the callers let none go).
func (g *gatedTurns) none(t *testing.T) {
	t.Helper()
	select {
	case n := <-g.started:
		t.Fatalf("turn %s started", n)
	default:
	}
}

func mustAdd(t *testing.T, ls *lanes, lane, body string) {
	t.Helper()
	if e := ls.add(lane, []byte(body)); e != nil {
		t.Fatalf("add(%q, %s): %v", lane, body, e)
	}
}

// The turns of a lane run one after the other, in the order added; the
// lanes run side by side: a turn held on lane a delays neither lane b
// nor the default lane.
func TestLanesFIFOWithinConcurrentAcross(t *testing.T) {
	g := newGatedTurns("a1", "a2", "b1", "d1")
	ls := newLanes(g.run, 4, 4, nil)
	defer ls.stop()
	mustAdd(t, ls, "a", "a1")
	if n := g.next(t); n != "a1" {
		t.Fatalf("first turn %s", n)
	}
	mustAdd(t, ls, "a", "a2")
	mustAdd(t, ls, "b", "b1")
	if n := g.next(t); n != "b1" {
		t.Fatalf("while a1 runs, %s started, want b1", n)
	}
	mustAdd(t, ls, "", "d1")
	if n := g.next(t); n != "d1" {
		t.Fatalf("while a1 and b1 run, %s started, want d1", n)
	}
	close(g.gates["b1"])
	close(g.gates["d1"])
	g.none(t)
	close(g.gates["a1"])
	if n := g.next(t); n != "a2" {
		t.Fatalf("after a1, %s started, want a2", n)
	}
	close(g.gates["a2"])
}

// A connection uses max named lanes: one more is refused with the spec's
// error, for as long as the connection lasts (a lane with nothing left to
// run still counts); the lanes used, and the default lane, go on.
func TestLanesLimit(t *testing.T) {
	g := newGatedTurns("a1", "b1", "c1", "a2", "d1")
	for _, c := range g.gates {
		close(c)
	}
	ls := newLanes(g.run, 2, 4, nil)
	defer ls.stop()
	mustAdd(t, ls, "a", "a1")
	mustAdd(t, ls, "b", "b1")
	g.next(t)
	g.next(t)
	e := ls.add("c", []byte("c1"))
	if e == nil || e.Code != "websocket_stream_limit_reached" || e.Param != "stream_id" || e.HTTPStatus() != 400 {
		t.Fatalf("a third lane: %+v", e)
	}
	mustAdd(t, ls, "a", "a2")
	mustAdd(t, ls, "", "d1")
	for range 2 {
		if n := g.next(t); n == "c1" {
			t.Fatal("the refused lane ran")
		}
	}
}

// A lane holds queue turns while one runs; one more is refused, on that
// lane only.
func TestLanesQueueBound(t *testing.T) {
	g := newGatedTurns("a1", "a2", "a3", "b1")
	ls := newLanes(g.run, 4, 1, nil)
	mustAdd(t, ls, "a", "a1")
	g.next(t)
	mustAdd(t, ls, "a", "a2")
	if e := ls.add("a", []byte("a3")); e == nil || e.Code != "too_many_queued_responses" || e.Kind != llm.KindRateLimit {
		t.Fatalf("a second waiting turn: %+v", e)
	}
	mustAdd(t, ls, "b", "b1")
	if n := g.next(t); n != "b1" {
		t.Fatalf("%s started, want b1", n)
	}
	for _, c := range g.gates {
		close(c)
	}
	ls.stop()
}

// stop waits for the turns running on every lane, starts none of those
// waiting, and drops those added after it.
func TestLanesStop(t *testing.T) {
	g := newGatedTurns("a1", "a2", "b1", "c1")
	ls := newLanes(g.run, 4, 4, nil)
	mustAdd(t, ls, "a", "a1")
	mustAdd(t, ls, "b", "b1")
	g.next(t)
	g.next(t)
	mustAdd(t, ls, "a", "a2")
	stopped := make(chan struct{})
	go func() { ls.stop(); close(stopped) }()
	for !ls.stopping() {
		time.Sleep(time.Millisecond)
	}
	close(g.gates["a1"])
	select {
	case <-stopped:
		t.Fatal("stop returned while b1 runs")
	case <-time.After(50 * time.Millisecond): // a stop that did not wait would have returned
	}
	close(g.gates["b1"])
	<-stopped
	mustAdd(t, ls, "c", "c1")
	g.none(t)
}

// stopping reports whether stop was called.
func (ls *lanes) stopping() bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.shut
}

// Once closing is closed, a lane starts none of its waiting turns, though
// stop was not called yet: the server's shutdown reaches every lane at
// once.
func TestLanesClosing(t *testing.T) {
	g := newGatedTurns("a1", "a2")
	closing := make(chan struct{})
	ls := newLanes(g.run, 4, 4, closing)
	mustAdd(t, ls, "a", "a1")
	g.next(t)
	mustAdd(t, ls, "a", "a2")
	close(closing)
	close(g.gates["a1"])
	close(g.gates["a2"])
	for ls.running("a") { // the lane's goroutine ends, a2 run or not
		time.Sleep(time.Millisecond)
	}
	g.none(t)
	ls.stop()
}

// running reports whether a goroutine runs lane name's turns.
func (ls *lanes) running(name string) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.byName[name].running
}
