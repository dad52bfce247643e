package learn

import "sync"

// defaultOwners bounds the recent request ids the learner remembers the
// tenant of: enough to bridge the time until the request log has the
// row (a batch every 200 ms; longer while the database is down).
const defaultOwners = 65536

// owners remembers the tenant of the most recent request ids, the oldest
// forgotten first. It is safe for concurrent use.
type owners struct {
	mu     sync.RWMutex
	tenant map[string]string
	ring   []string
	next   int
}

func newOwners(n int) *owners {
	if n <= 0 {
		n = defaultOwners
	}
	return &owners{tenant: make(map[string]string, n), ring: make([]string, n)}
}

// add remembers that tenant owns id.
func (o *owners) add(id, tenant string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.tenant[id]; ok {
		return
	}
	if old := o.ring[o.next]; old != "" {
		delete(o.tenant, old)
	}
	o.ring[o.next] = id
	o.next = (o.next + 1) % len(o.ring)
	o.tenant[id] = tenant
}

// owner returns the tenant of id, and false when id is not remembered.
func (o *owners) owner(id string) (string, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	t, ok := o.tenant[id]
	return t, ok
}
