package learn

import (
	"encoding/hex"
	"sync"
)

// defaultOwners bounds the recent request ids the learner remembers the
// tenant of: enough to bridge the time until the request log has the
// row (a batch every second; longer while the database is down).
const defaultOwners = 65536

// owners remembers the tenant of the most recent request ids, the oldest
// forgotten first. It is safe for concurrent use.
//
// It is compact: an id of the router's shape (see issued) is kept as its
// 12 bytes, a tenant as an index into the names seen, so 65,536 ids take
// about 2 MB, not the 6 MB of a map of strings to strings. Other ids (none
// in a router's traffic) are kept as strings, within the same bound.
type owners struct {
	mu     sync.RWMutex
	issued recent[idBytes]
	other  recent[string]
	// names are the tenants seen; index their places.
	names []string
	index map[string]uint32
}

// maxTenants bounds the tenant names an owners keeps.
const maxTenants = 1 << 16

// idBytes is the 12 bytes the 24 hex digits of an issued id spell.
type idBytes [12]byte

func newOwners(n int) *owners {
	if n <= 0 {
		n = defaultOwners
	}
	o := &owners{issued: newRecent[idBytes](n), other: newRecent[string](n), index: map[string]uint32{}}
	o.issued.ring = make([]idBytes, 0, n) // a router's ids fill it
	return o
}

// add remembers that tenant owns id.
func (o *owners) add(id, tenant string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	t, ok := o.index[tenant]
	if !ok {
		if len(o.names) >= maxTenants { // start over
			o.issued.clear()
			o.other.clear()
			o.names, o.index = nil, map[string]uint32{}
		}
		t = uint32(len(o.names))
		o.names = append(o.names, tenant)
		o.index[tenant] = t
	}
	if b, ok := parseIssued(id); ok {
		o.issued.add(b, t)
	} else {
		o.other.add(id, t)
	}
}

// owner returns the tenant of id, and false when id is not remembered.
func (o *owners) owner(id string) (string, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var t uint32
	var ok bool
	if b, issued := parseIssued(id); issued {
		t, ok = o.issued.of[b]
	} else {
		t, ok = o.other.of[id]
	}
	if !ok {
		return "", false
	}
	return o.names[t], true
}

// parseIssued returns the bytes of an id of the router's shape.
func parseIssued(id string) (idBytes, bool) {
	var b idBytes
	if !issued(id) {
		return b, false
	}
	_, err := hex.Decode(b[:], []byte(id[4:]))
	return b, err == nil
}

// recent maps the last n keys added to a value, the oldest forgotten
// first.
type recent[K comparable] struct {
	of   map[K]uint32
	ring []K // in the order added, from next on once full
	next int
	n    int
}

func newRecent[K comparable](n int) recent[K] {
	return recent[K]{of: map[K]uint32{}, n: n}
}

// add maps k to v, unless k is mapped already.
func (r *recent[K]) add(k K, v uint32) {
	if _, ok := r.of[k]; ok {
		return
	}
	if len(r.ring) < r.n {
		r.ring = append(r.ring, k)
	} else {
		delete(r.of, r.ring[r.next])
		r.ring[r.next] = k
		r.next = (r.next + 1) % r.n
	}
	r.of[k] = v
}

func (r *recent[K]) clear() {
	clear(r.of)
	r.ring, r.next = r.ring[:0], 0
}
