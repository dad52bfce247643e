package learn

import (
	"fmt"
	"runtime"
	"testing"
)

// TestOwners: the owner index answers exactly for the last n ids added,
// of the router's shape or not, keeps the first tenant of an id added
// twice, and forgets the oldest first.
func TestOwners(t *testing.T) {
	o := newOwners(4)
	ids := []string{"req_00000000aaaaaaaaaaaaaaaa", "req_1", "req_00000000aaaaaaaaaaaaaaab", "REQ_00000000AAAAAAAAAAAAAAAA"}
	for i, id := range ids {
		o.add(id, fmt.Sprint("t", i))
	}
	o.add(ids[0], "intruder")
	for i, id := range ids {
		if got, ok := o.owner(id); !ok || got != fmt.Sprint("t", i) {
			t.Errorf("owner(%s) = %q, %v; want t%d", id, got, ok, i)
		}
	}
	for _, id := range []string{"req_00000000aaaaaaaaaaaaaaac", "req_2", "", "req_00000000aaaaaaaaaaaaaaa"} {
		if got, ok := o.owner(id); ok {
			t.Errorf("owner(%q) = %q for an id never added", id, got)
		}
	}
	// Four more of each shape: the first ones are forgotten.
	for i := range 4 {
		o.add(fmt.Sprintf("req_%024x", i+1<<40), "")
		o.add(fmt.Sprint("x", i), "t9")
	}
	for _, id := range ids {
		if got, ok := o.owner(id); ok {
			t.Errorf("owner(%s) = %q after 8 newer ids in a bound of 4", id, got)
		}
	}
	if got, ok := o.owner(fmt.Sprintf("req_%024x", 3+1<<40)); !ok || got != "" {
		t.Errorf("the newest id's owner = %q, %v; want the empty tenant", got, ok)
	}
}

// TestOwnersMemory: a full index of the router's ids (65,536) holds at most
// 64 bytes an id (48 measured; a map of strings to strings held 104, and
// kept the id strings alive besides).
func TestOwnersMemory(t *testing.T) {
	ids := make([]string, defaultOwners)
	for i := range ids {
		ids[i] = fmt.Sprintf("req_%08x%016x", 1_800_000_000+i/1000, uint64(i)*0x9e3779b97f4a7c15)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	o := newOwners(0)
	for i, id := range ids {
		o.add(id, fmt.Sprint("tenant-", i%7))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / float64(len(ids))
	t.Logf("%.1f bytes an id", per)
	if per > 64 {
		t.Errorf("the owner index holds %.1f bytes an id, want at most 64", per)
	}
	runtime.KeepAlive(o)
	runtime.KeepAlive(ids)
}
