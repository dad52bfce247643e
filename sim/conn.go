package sim

import (
	"net"
	"net/http"
	"sync"
)

// Reset ends the request with a TCP reset and no response. Over HTTP/2 or
// where hijacking is not possible it aborts the handler instead.
func Reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
}

// Cut ends a response that is under way without its proper end: the
// client sees the body stop mid-way (an unexpected EOF).
func Cut() { panic(http.ErrAbortHandler) }

// PromptCache simulates provider-side prompt caching: the second request
// with the same model and prompt prefix reads the prefix from the cache.
// It is safe for concurrent use; the zero value is ready.
type PromptCache struct {
	mu   sync.Mutex
	seen map[uint64]struct{}
}

// MinCachedTokens is the smallest prefix providers cache.
const MinCachedTokens = 1024

// Lookup records the prefix and reports how many of its tokens were read
// from the cache (0 on first sight or when too short). Caches count in
// blocks of 128 tokens, as OpenAI's does.
func (c *PromptCache) Lookup(model, prefix string, prefixTokens int) int {
	if prefixTokens < MinCachedTokens {
		return 0
	}
	key := uint64(NewPrefixKey(model).Add(prefix))
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.seen[key]; ok {
		return prefixTokens / 128 * 128
	}
	c.add(key)
	return 0
}

// Seen reports whether model's prefix was written to the cache before.
func (c *PromptCache) Seen(model, prefix string) bool {
	return c.SeenKey(NewPrefixKey(model).Add(prefix))
}

// Write records model's prefix in the cache.
func (c *PromptCache) Write(model, prefix string) {
	c.WriteKey(NewPrefixKey(model).Add(prefix))
}

// SeenKey is Seen for the prefix whose key is key.
func (c *PromptCache) SeenKey(key PrefixKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.seen[uint64(key)]
	return ok
}

// WriteKey is Write for the prefix whose key is key.
func (c *PromptCache) WriteKey(key PrefixKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.add(uint64(key))
}

// PrefixKey is the cache key of a model's prompt prefix, grown a piece at
// a time: NewPrefixKey(model).Add(a).Add(b) is the key Seen and Write
// give model's prefix a+b. A prompt's every prefix is keyed in time
// linear in the prompt, where keying each as a string hashes (and
// copies) the prompt once per prefix.
type PrefixKey uint64

// NewPrefixKey returns the key of model's empty prefix.
func NewPrefixKey(model string) PrefixKey {
	return PrefixKey(fnvOffset).Add(model).Add("\x00")
}

// FNV-1a, 64 bits, as hash/fnv computes it.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Add returns the key of k's prefix followed by s.
func (k PrefixKey) Add(s string) PrefixKey {
	for i := 0; i < len(s); i++ {
		k ^= PrefixKey(s[i])
		k *= fnvPrime
	}
	return k
}

// add records key; c.mu is held.
func (c *PromptCache) add(key uint64) {
	if c.seen == nil {
		c.seen = make(map[uint64]struct{})
	}
	if len(c.seen) > 100000 {
		clear(c.seen)
	}
	c.seen[key] = struct{}{}
}
