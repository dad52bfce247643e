package config

import (
	"fmt"
	"time"
)

// This file holds the thinking section: the memory of the extended
// thinking behind a Claude answer's tool calls (and Gemini's thought
// signatures), put back on a tool loop's next turn for a client that
// cannot send it (docs/providers.md#reasoning-reasoning_effort-thinking).
// With state.driver redis the memory is shared by every router on that
// Redis. It is built once, at start: only a restart changes it.

// Defaults of the thinking section.
const (
	DefaultThinkingMaxBytes      = 32 << 20
	DefaultThinkingTTL           = time.Hour
	DefaultThinkingLookupTimeout = 50 * time.Millisecond
)

// Bounds of the thinking section's values.
const (
	minThinkingMaxBytes       = 64 << 10
	maxThinkingTTL            = 7 * 24 * time.Hour
	maxThinkingLookupTimeout  = 5 * time.Second
	thinkingLookupTimeoutHint = `how long a request waits for Redis before it goes on without the thinking, e.g. "50ms"`
)

// Thinking configures the thinking memory.
type Thinking struct {
	// MaxBytes bounds the thinking text one router holds in its memory
	// (DefaultThinkingMaxBytes, 32 MiB); the oldest goes first.
	MaxBytes int
	// TTL is how long an answer's thinking is kept, in the router and in
	// Redis (DefaultThinkingTTL, 1h): a tool loop's next turn later than
	// that goes without it.
	TTL time.Duration
	// SharedLookupTimeout bounds how long a request waits for Redis when
	// the thinking of its turn is not in this router
	// (DefaultThinkingLookupTimeout, 50ms); past it, it goes on without.
	// Used only with state.driver redis.
	SharedLookupTimeout time.Duration
}

func (d *decoder) thinking(e entry, t *Thinking) {
	d.object(e.node, e.path, []field{
		{"max_bytes", func(e entry) {
			d.intField(e, &t.MaxBytes, "bytes of thinking text a router holds, e.g. 33554432 (32 MiB)")
		}},
		{"ttl", func(e entry) { d.duration(e, &t.TTL, true) }},
		{"shared_lookup_timeout", func(e entry) { d.duration(e, &t.SharedLookupTimeout, true) }},
	})
}

func (t *Thinking) applyDefaults() {
	if t.MaxBytes == 0 {
		t.MaxBytes = DefaultThinkingMaxBytes
	}
	if t.TTL == 0 {
		t.TTL = DefaultThinkingTTL
	}
	if t.SharedLookupTimeout == 0 {
		t.SharedLookupTimeout = DefaultThinkingLookupTimeout
	}
}

func (v *validator) thinking() {
	const path = "thinking"
	t := &v.c.Thinking
	if t.MaxBytes < minThinkingMaxBytes {
		v.add(path+".max_bytes", fmt.Sprintf("must be at least %d (64 KiB), got %d", minThinkingMaxBytes, t.MaxBytes),
			"one answer's thinking must fit; omit it for the default, 33554432 (32 MiB)")
	}
	if t.TTL <= 0 || t.TTL > maxThinkingTTL {
		v.add(path+".ttl", fmt.Sprintf("must be > 0 and at most 168h, got %s", t.TTL), `e.g. "1h" (the default)`)
	}
	if t.SharedLookupTimeout <= 0 || t.SharedLookupTimeout > maxThinkingLookupTimeout {
		v.add(path+".shared_lookup_timeout", fmt.Sprintf("must be > 0 and at most 5s, got %s", t.SharedLookupTimeout), thinkingLookupTimeoutHint)
	}
}
