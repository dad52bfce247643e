package openai

import (
	"strconv"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// This file is explicit prompt caching as GPT-5.6 and later models do
// it: a prefix ending at a content part's prompt_cache_breakpoint is
// written to the cache (the latest four breakpoints, three beside the
// implicit one the default mode also places), and a later request with a
// breakpoint at the same prefix reads it, to the token: the boundary is
// not rounded to a block as the implicit one is. A request is matched at
// every breakpoint it carries, up to the latest 80
// (llm.MaxCacheMatchBreakpoints, as the decoder keeps them), so a
// conversation that re-sends its earlier turns' breakpoints reads what
// they wrote. A model without it refuses both fields.

// takesExplicitCache reports whether the model of p takes explicit
// prompt caching.
func takesExplicitCache(p *sim.Profile) bool {
	return p.ExplicitCache || wire.ExplicitCacheModel(p.Model)
}

// explicitCacheError returns the param of req's explicit caching that a
// model without it refuses ("" for none): a part's breakpoint, else the
// options.
func explicitCacheError(req *llm.Request) string {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			if req.Messages[i].Content[j].Cache() != llm.NoCache {
				return "messages[" + strconv.Itoa(i) + "].content[" + strconv.Itoa(j) + "].prompt_cache_breakpoint"
			}
		}
	}
	if !req.PromptCache.IsZero() {
		return "prompt_cache_options"
	}
	return ""
}

// cachePoint is a prefix of a prompt that ends at a cache breakpoint:
// its cache key and its tokens.
type cachePoint struct {
	key    sim.PrefixKey
	tokens int
}

// breakpointPrefixes returns the prefix ending at each part breakpoint
// of msgs on model, in prompt order, counted as promptText counts the
// prompt.
func breakpointPrefixes(model string, msgs []llm.Message) []cachePoint {
	var out []cachePoint
	key := sim.NewPrefixKey(model).Add("explicit\x00")
	tokens := 3
	for i := range msgs {
		m := &msgs[i]
		key = key.Add(string(m.Role)).Add("\x00")
		var partial strings.Builder
		for j := range m.Content {
			p := &m.Content[j]
			piece := p.Text + p.ImageURL() + string(p.Raw())
			key = key.Add(piece)
			partial.WriteString(piece)
			if p.Cache() != llm.NoCache {
				out = append(out, cachePoint{key: key, tokens: tokens + 4 + sim.CountTokens(partial.String())})
			}
		}
		key = key.Add("\x00")
		tokens += 4 + sim.CountTokens(m.Text())
		for _, tc := range m.ToolCalls() {
			key = key.Add(tc.Name + tc.Arguments)
			tokens += 4 + sim.CountTokens(tc.Name+tc.Arguments)
		}
	}
	return out
}

// promptCache reads and writes the prompt cache of req on the model of
// p, whose implicit breakpoint ends at implicit: explicitly for a model
// that takes it, else the implicit prefix alone (nothing reported
// written). It returns the tokens read and written.
func (s *server) promptCache(req *llm.Request, p *sim.Profile, implicit cachePoint) (cached, written int) {
	if takesExplicitCache(p) {
		return s.explicitCache(req, implicit)
	}
	return s.implicitCache(req), 0
}

// implicitCache reads and writes the implicit prompt cache of req as
// OpenAI's works: the prompt reads the longest prefix of it ending at a
// message before its last that an earlier prompt on the model held (from
// 1024 tokens on, in blocks of 128), and every prefix of it ending at a
// message, itself whole included, is cached for later prompts, so a tool
// loop's next step reads the step before it whole. It returns the tokens
// read.
func (s *server) implicitCache(req *llm.Request) (cached int) {
	points := messagePrefixes(req.Model, req.Messages)
	for _, p := range points[:max(len(points)-1, 0)] {
		if p.tokens >= sim.MinCachedTokens && s.cache.SeenKey(p.key) {
			cached = max(cached, p.tokens/128*128)
		}
	}
	for _, p := range points {
		if p.tokens >= sim.MinCachedTokens {
			s.cache.WriteKey(p.key)
		}
	}
	return cached
}

// messagePrefixes returns the prefix of msgs on model ending at each
// message, in order, keyed and counted as promptText writes and counts
// them. The keys grow with the prompt (sim.PrefixKey): hashing each
// prefix whole made a long conversation cost time and memory quadratic
// in its messages.
func messagePrefixes(model string, msgs []llm.Message) []cachePoint {
	out := make([]cachePoint, 0, len(msgs))
	key := sim.NewPrefixKey(model)
	tokens := 3
	for i := range msgs {
		tokens += messagePieces(&msgs[i], func(s string) { key = key.Add(s) })
		out = append(out, cachePoint{key: key, tokens: tokens})
	}
	return out
}

// explicitCache reads and writes the cache of req on a model with
// explicit caching, whose implicit breakpoint (in the default mode)
// would end at implicit, and returns the tokens read from the cache (the
// longest prefix cached before) and those written (the longest prefix
// written now, less what was read).
func (s *server) explicitCache(req *llm.Request, implicit cachePoint) (cached, written int) {
	points := breakpointPrefixes(req.Model, req.Messages)
	writes := 4
	if req.PromptCache.Mode != llm.CacheExplicit {
		writes = 3
		implicit.tokens = implicit.tokens / 128 * 128
		points = append(points, implicit)
	}
	for _, p := range points {
		if p.tokens >= sim.MinCachedTokens && s.cache.SeenKey(p.key) {
			cached = max(cached, p.tokens)
		}
	}
	n := len(points)
	if req.PromptCache.Mode != llm.CacheExplicit {
		n-- // the implicit one, always written
	}
	longest := 0
	for i, p := range points {
		if i < n-writes || p.tokens < sim.MinCachedTokens || s.cache.SeenKey(p.key) {
			continue
		}
		s.cache.WriteKey(p.key)
		longest = max(longest, p.tokens)
	}
	return cached, max(longest-cached, 0)
}
