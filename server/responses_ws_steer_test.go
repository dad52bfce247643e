package server

import "testing"

// An automatic successor (first) runs next on its lane, before the
// turns the client queued there, though the lane's queue is full; the
// other lanes are not delayed. After stop it is dropped.
func TestLanesSuccessorFirst(t *testing.T) {
	g := newGatedTurns("a1", "a2", "succ", "b1", "late")
	ls := newLanes(g.run, 4, 1, nil)
	mustAdd(t, ls, "a", "a1")
	if n := g.next(t); n != "a1" {
		t.Fatalf("first turn %s", n)
	}
	mustAdd(t, ls, "a", "a2")
	ls.first("a", []byte("succ"))
	mustAdd(t, ls, "b", "b1")
	if n := g.next(t); n != "b1" {
		t.Fatalf("while a1 runs, %s started, want b1", n)
	}
	close(g.gates["a1"])
	if n := g.next(t); n != "succ" {
		t.Fatalf("after a1, %s started, want the successor", n)
	}
	g.none(t)
	close(g.gates["succ"])
	if n := g.next(t); n != "a2" {
		t.Fatalf("after the successor, %s started, want a2", n)
	}
	close(g.gates["a2"])
	close(g.gates["b1"])
	ls.stop()
	ls.first("a", []byte("late"))
	g.none(t)
}

// A successor on a lane with nothing running starts its lane.
func TestLanesSuccessorStartsIdleLane(t *testing.T) {
	g := newGatedTurns("succ")
	ls := newLanes(g.run, 4, 4, nil)
	ls.first("", []byte("succ"))
	if n := g.next(t); n != "succ" {
		t.Fatalf("%s started", n)
	}
	close(g.gates["succ"])
	ls.stop()
}
