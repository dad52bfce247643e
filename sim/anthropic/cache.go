package anthropic

import (
	"encoding/json"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file simulates Anthropic's prompt caching as its documentation
// ("Prompt caching") describes it:
//   - the prompt is read as positions, one per tool, system block and
//     message content block (a tool_result with its content is one), in
//     the order tools, system, messages; each position has the hash of the
//     prefix ending with it, so changing any block changes every later
//     hash; tool_choice and thinking are hashed before the messages, so
//     changing them keeps the tools and system entries only;
//   - a breakpoint (cache_control; a top-level one marks the last block)
//     writes one entry, for the prefix ending at it, when that prefix has
//     at least the model's minimum cacheable length (minCacheable);
//   - reads look for entries earlier requests wrote: from the last
//     breakpoint back over at most lookback positions counting itself,
//     then from each earlier breakpoint likewise; the longest prefix found
//     is the hit;
//   - an entry lives 5 minutes (or 1 hour) from the start of the last
//     request that wrote or read it, and keeps the lifetime it was
//     written with when a breakpoint of the other lifetime reads it;
//   - usage splits the prompt as the API bills it: cache_read_input_tokens
//     the hit (A); one-hour writes up to the last one-hour breakpoint after
//     A (B), five-minute writes from there to the last breakpoint (C);
//     input_tokens the rest after C.
// Entries are per model (the real cache is also per workspace). An entry
// is readable as soon as it is written, not only once the first response
// begins; inner tool_result blocks are not positions of their own.

// lookback is how many positions a breakpoint's read checks, counting its
// own.
const lookback = 20

// maxCacheEntries bounds the cache; past it, expired entries are dropped,
// then all.
const maxCacheEntries = 100000

// defaultMinCacheable is the minimum cacheable length of a model
// minCacheable does not list.
const defaultMinCacheable = 1024

// minCacheable is the minimum cacheable prompt length of each model (the
// documentation's "Cache limitations"), by the model's name without a
// date snapshot.
var minCacheable = map[string]int{
	"claude-fable-5": 512, "claude-mythos-5": 512,
	"claude-mythos-preview": 2048, "claude-opus-4-7": 2048,
	"claude-opus-4-6": 4096, "claude-opus-4-5": 4096,
	"claude-opus-4-8": 1024, "claude-sonnet-5": 1024, "claude-sonnet-4-6": 1024, "claude-sonnet-4-5": 1024,
	"claude-opus-4-1": 1024, "claude-opus-4": 1024, "claude-sonnet-4": 1024,
	"claude-3-7-sonnet": 1024, "claude-3-5-sonnet": 1024, "claude-3-opus": 1024,
	"claude-haiku-4-5": 4096, "claude-3-5-haiku": 2048, "claude-3-haiku": 2048,
}

// MinCacheable returns the minimum cacheable prompt length of model, in
// tokens: minCacheable's entry for its name without a "-YYYYMMDD" or
// "-latest" suffix, else 1024.
func MinCacheable(model string) int {
	name := strings.TrimSuffix(model, "-latest")
	if i := strings.LastIndexByte(name, '-'); i > 0 && len(name)-i == 9 && strings.Trim(name[i+1:], "0123456789") == "" {
		name = name[:i]
	}
	if n, ok := minCacheable[name]; ok {
		return n
	}
	return defaultMinCacheable
}

// position is one block of a prompt.
type position struct {
	hash   uint64 // of the prefix ending with this block
	tokens int    // the prefix's tokens
	ttl    time.Duration
}

// prompt is a request's prompt as positions, with its breakpoints.
type prompt struct {
	positions   []position
	breakpoints []int // indexes into positions, ascending
}

// total returns the prompt's tokens.
func (p *prompt) total() int {
	if len(p.positions) == 0 {
		return 0
	}
	return p.positions[len(p.positions)-1].tokens
}

// readPrompt returns req's prompt (req's top-level cache_control moved
// onto the block it marks).
func readPrompt(model string, req *wire.MessagesRequest) *prompt {
	req = wire.ResolveAutoCache(req)
	p := &prompt{}
	h := fnv.New64a()
	h.Write([]byte(model))
	add := func(section string, v any, text string, cc *wire.CacheControl) {
		h.Write([]byte{0})
		h.Write([]byte(section))
		b, _ := json.Marshal(v)
		h.Write(b)
		n := sim.CountTokens(text)
		if k := len(p.positions); k > 0 {
			n += p.positions[k-1].tokens
		}
		pos := position{hash: h.Sum64(), tokens: n}
		if cc != nil {
			pos.ttl = 5 * time.Minute
			if cc.TTL == "1h" {
				pos.ttl = time.Hour
			}
			p.breakpoints = append(p.breakpoints, len(p.positions))
		}
		p.positions = append(p.positions, pos)
	}
	for _, t := range req.Tools {
		cc := t.CacheControl
		t.CacheControl = nil
		add("tool", t, t.Name+" "+t.Description+" "+string(t.InputSchema), cc)
	}
	for _, b := range req.System {
		add("system", uncached(b), b.Text, b.CacheControl)
	}
	settings, _ := json.Marshal(struct {
		ToolChoice *wire.ToolChoice `json:"tool_choice"`
		Thinking   *wire.Thinking   `json:"thinking"`
	}{req.ToolChoice, req.Thinking})
	h.Write(settings)
	for _, m := range req.Messages {
		for i := range m.Content {
			b := &m.Content[i]
			add(m.Role, uncached(*b), blockText(b), blockBreakpoint(b))
		}
	}
	return p
}

// uncached returns b without its breakpoints (and its content's), which
// are not part of what the cache hashes.
func uncached(b wire.ContentBlock) wire.ContentBlock {
	b.CacheControl = nil
	if len(b.Content) > 0 {
		inner := make(wire.Blocks, len(b.Content))
		for i, c := range b.Content {
			inner[i] = uncached(c)
		}
		b.Content = inner
	}
	return b
}

// blockBreakpoint returns b's breakpoint, or that of its content's last
// marked block (a tool_result is one position).
func blockBreakpoint(b *wire.ContentBlock) *wire.CacheControl {
	cc := b.CacheControl
	for i := range b.Content {
		if c := b.Content[i].CacheControl; c != nil && cc == nil {
			cc = c
		}
	}
	return cc
}

// cacheEntry is one cached prefix.
type cacheEntry struct {
	expires time.Time
	ttl     time.Duration
}

// promptCache is one simulated API's prompt cache. It is safe for
// concurrent use; the zero value is ready and reads time.Now.
type promptCache struct {
	// now is the clock; nil means time.Now.
	now     func() time.Time
	mu      sync.Mutex
	entries map[uint64]cacheEntry
}

// usage reads p through the cache, writes its breakpoints' entries and
// returns the input part of the usage the API reports: the split of the
// prompt's tokens into input, cache reads and cache writes (by lifetime).
// min is the model's minimum cacheable length.
func (c *promptCache) usage(p *prompt, min int) wire.Usage {
	u := wire.Usage{InputTokens: p.total(), CacheCreation: &wire.CacheCreation{}, InferenceGeo: "global"}
	if len(p.breakpoints) == 0 {
		return u
	}
	now := time.Now()
	if c.now != nil {
		now = c.now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[uint64]cacheEntry)
	}
	hit := c.lookup(p, now)
	a := 0
	if hit >= 0 {
		a = p.positions[hit].tokens
	}
	b, last := a, a
	for _, i := range p.breakpoints {
		pos := p.positions[i]
		if i <= hit {
			c.refresh(pos.hash, now)
			continue
		}
		if pos.tokens < min {
			continue
		}
		c.write(pos, now)
		if pos.ttl == time.Hour {
			b = pos.tokens
		}
		last = pos.tokens
	}
	u.CacheReadInputTokens = a
	u.CacheCreation.Ephemeral1hInputTokens = b - a
	u.CacheCreation.Ephemeral5mInputTokens = last - b
	u.CacheCreationInputTokens = last - a
	u.InputTokens = p.total() - last
	return u
}

// lookup returns the position of the longest cached prefix p's
// breakpoints find, refreshing its entry, or -1.
func (c *promptCache) lookup(p *prompt, now time.Time) int {
	for k := len(p.breakpoints) - 1; k >= 0; k-- {
		bp := p.breakpoints[k]
		for i := bp; i >= 0 && i > bp-lookback; i-- {
			if c.refresh(p.positions[i].hash, now) {
				return i
			}
		}
	}
	return -1
}

// refresh restarts the lifetime of the live entry for hash, reporting
// whether there is one.
func (c *promptCache) refresh(hash uint64, now time.Time) bool {
	e, ok := c.entries[hash]
	if !ok || !now.Before(e.expires) {
		return false
	}
	e.expires = now.Add(e.ttl)
	c.entries[hash] = e
	return true
}

func (c *promptCache) write(pos position, now time.Time) {
	if len(c.entries) >= maxCacheEntries {
		for h, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, h)
			}
		}
		if len(c.entries) >= maxCacheEntries {
			clear(c.entries)
		}
	}
	c.entries[pos.hash] = cacheEntry{expires: now.Add(pos.ttl), ttl: pos.ttl}
}
