package semantic

import (
	"hash/maphash"
	"sync"
)

// DefaultCacheSize is the number of request embeddings a Cache keeps
// when NewCache is given no size. At 1,536 dimensions an entry is 6 KiB,
// so the default holds about 6 MiB.
const DefaultCacheSize = 1024

// Cache is a bounded, least-recently-used cache of request-text
// embeddings, keyed by a 128-bit hash of (deployment, text); it also
// lets concurrent requests for the same text share one embedding call.
// Its vectors are normalized and must not be modified. It is safe for
// concurrent use; one Cache may serve several Matchers.
type Cache struct {
	seeds [2]maphash.Seed
	size  int

	mu      sync.Mutex
	entries map[key]*entry
	head    entry // sentinel of the recency list: head.next is the newest
	flights map[key]*flight
}

type key [2]uint64

type entry struct {
	k          key
	vec        []float32
	prev, next *entry
}

// flight is one embedding call in progress; done is closed when vec or
// err is set.
type flight struct {
	done chan struct{}
	vec  []float32
	err  error
}

// NewCache returns a cache of at most size entries; size <= 0 means
// DefaultCacheSize.
func NewCache(size int) *Cache {
	if size <= 0 {
		size = DefaultCacheSize
	}
	c := &Cache{
		seeds:   [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		size:    size,
		entries: make(map[key]*entry, size),
		flights: map[key]*flight{},
	}
	c.head.prev, c.head.next = &c.head, &c.head
	return c
}

// key hashes (deployment, tenant, text) without allocating. The tenant
// keeps each tenant's entries apart: whether a text is cached says
// nothing of what another tenant sent.
func (c *Cache) key(deployment, tenant, text string) key {
	var k key
	for i := range k {
		var h maphash.Hash
		h.SetSeed(c.seeds[i])
		h.WriteString(deployment)
		h.WriteByte(0)
		h.WriteString(tenant)
		h.WriteByte(0)
		h.WriteString(text)
		k[i] = h.Sum64()
	}
	return k
}

// Len returns the number of cached embeddings.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// lookup returns the cached vector of k; failing that, the call in
// progress for k, and whether the caller must make it (leader) and then
// call finish.
func (c *Cache) lookup(k key) (vec []float32, f *flight, leader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		c.unlink(e)
		c.pushFront(e)
		return e.vec, nil, false
	}
	if f, ok := c.flights[k]; ok {
		return nil, f, false
	}
	f = &flight{done: make(chan struct{})}
	c.flights[k] = f
	return nil, f, true
}

// finish ends the call for k: on success its vector is cached (evicting
// the least recently used entry if full); waiters are released either way.
func (c *Cache) finish(k key, f *flight, vec []float32, err error) {
	c.mu.Lock()
	delete(c.flights, k)
	if err == nil {
		c.put(k, vec)
	}
	c.mu.Unlock()
	f.vec, f.err = vec, err
	close(f.done)
}

func (c *Cache) put(k key, vec []float32) {
	if e, ok := c.entries[k]; ok {
		e.vec = vec
		c.unlink(e)
		c.pushFront(e)
		return
	}
	if len(c.entries) >= c.size {
		old := c.head.prev
		c.unlink(old)
		delete(c.entries, old.k)
	}
	e := &entry{k: k, vec: vec}
	c.entries[k] = e
	c.pushFront(e)
}

func (c *Cache) unlink(e *entry) {
	e.prev.next, e.next.prev = e.next, e.prev
}

func (c *Cache) pushFront(e *entry) {
	e.prev, e.next = &c.head, c.head.next
	c.head.next.prev = e
	c.head.next = e
}
