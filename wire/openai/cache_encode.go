package openai

import (
	"bytes"
	"encoding/json"

	"switchyard/llm"
)

// cacheMarks writes a request's prompt-cache breakpoints and options for
// an upstream model that takes explicit caching (ExplicitCacheModel),
// and none for any other. Of the parts' breakpoints it writes the latest
// llm.MaxCacheMatchBreakpoints, the most OpenAI considers for matching
// (it writes the latest four of them). Breakpoints on tools
// and tool calls (an Anthropic client's) have no place in the format and
// are left out.
type cacheMarks struct {
	// on reports that the model takes explicit caching.
	on bool
	// skip is how many of the earliest breakpoints are still to be left
	// out.
	skip int
	// long reports a request whose prompt_cache_options ask for 12 hours,
	// which Chat Completions takes on the breakpoints only: each that
	// names no ttl is written with "12h".
	long bool
}

// newCacheMarks returns the marks of req, by the model its dispatcher
// named (ModelID: an Azure deployment's base_model).
func newCacheMarks(req *llm.Request) cacheMarks {
	if !ExplicitCacheModel(req.ModelID()) {
		return cacheMarks{}
	}
	n := 0
	for i := range req.Messages {
		c := req.Messages[i].Content
		for j := range c {
			if c[j].Cache() != llm.NoCache {
				n++
			}
		}
	}
	return cacheMarks{on: true, skip: max(n-llm.MaxCacheMatchBreakpoints, 0), long: req.PromptCache.TTL == llm.Cache12h}
}

// carries reports whether any part of m gets a breakpoint written, so
// that its content is written as parts, not as a string; when none does,
// m's breakpoints are counted as left out.
func (c *cacheMarks) carries(m *llm.Message) bool {
	if !c.on {
		return false
	}
	n := 0
	for i := range m.Content {
		if m.Content[i].Cache() != llm.NoCache {
			n++
		}
	}
	if n > c.skip {
		return true
	}
	c.skip -= n
	return false
}

// appendMark writes p's breakpoint, if it gets one, as a member of the
// part's object: {"mode":"explicit"} with the ttl the client named
// (30m or 12h), or 12h when the request asks for it; a Claude client's
// lifetimes (5 minutes, one hour) name none, so the breakpoint lives
// the request's lifetime (30 minutes by default, OpenAI's nearest to
// both).
func (c *cacheMarks) appendMark(dst []byte, p *llm.Part) []byte {
	switch c.take(p) {
	case llm.Cache30m:
		return append(dst, `,"prompt_cache_breakpoint":{"mode":"explicit","ttl":"30m"}`...)
	case llm.Cache12h:
		return append(dst, `,"prompt_cache_breakpoint":{"mode":"explicit","ttl":"12h"}`...)
	case llm.NoCache:
		return dst
	}
	return append(dst, `,"prompt_cache_breakpoint":{"mode":"explicit"}`...)
}

// take returns the lifetime of the breakpoint written on p: NoCache for
// none, else its own (the request's 12 hours for one naming none in a
// request that asks for them).
func (c *cacheMarks) take(p *llm.Part) llm.CacheTTL {
	ttl := p.Cache()
	if !c.on || ttl == llm.NoCache {
		return llm.NoCache
	}
	if c.skip > 0 {
		c.skip--
		return llm.NoCache
	}
	if ttl != llm.Cache30m && ttl != llm.Cache12h && c.long {
		ttl = llm.Cache12h
	}
	return ttl
}

// rawPart returns the part kept as the client sent it (a file part, an
// audio part) as it is written: without its prompt_cache_breakpoint
// when no breakpoint is written there (a model without explicit caching,
// or one of the earliest beyond the latest 80), as sent otherwise.
func (c *cacheMarks) rawPart(p *llm.Part) json.RawMessage {
	raw := p.Raw()
	keep := c.on
	if p.Cache() != llm.NoCache {
		keep = c.take(p) != llm.NoCache
	}
	if keep || !bytes.Contains(raw, []byte(`"prompt_cache_breakpoint"`)) && !EscapesLetter(raw) { // an escape may spell the key
		return raw
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return raw // appendRaw reports it
	}
	delete(m, "prompt_cache_breakpoint")
	if out, err := json.Marshal(m); err == nil {
		return out
	}
	return raw
}

// appendCacheOptions writes req's prompt_cache_options for a model that
// takes them: its mode, and its ttl when 30m (the only one Chat
// Completions takes there; 12h went onto the breakpoints). Nothing is
// written for an empty object.
func (c *cacheMarks) appendCacheOptions(dst []byte, o llm.CacheOptions) []byte {
	ttl := o.TTL == llm.Cache30m
	if !c.on || (o.Mode == "" && !ttl) {
		return dst
	}
	dst = append(dst, `,"prompt_cache_options":{`...)
	if o.Mode != "" {
		dst = appendString(append(dst, `"mode":`...), string(o.Mode))
		if ttl {
			dst = append(dst, ',')
		}
	}
	if ttl {
		dst = append(dst, `"ttl":"30m"`...)
	}
	return append(dst, '}')
}
