package anthropic

import (
	"fmt"

	"switchyard/llm"
)

// This file is prompt caching: cache_control breakpoints read into and
// written from the canonical llm.CacheTTL, their validation as the API
// validates them, the resolution of a top-level cache_control (automatic
// caching) into a block's breakpoint, and PlaceBreakpoints, the
// breakpoints the router places for a client that could not.

// CacheEphemeral is the only cache_control type the API knows.
const CacheEphemeral = "ephemeral"

// CacheToLLM returns the breakpoint a cache_control asks for: nil is
// none, a "1h" ttl the one-hour lifetime, no ttl or "5m" the default.
func CacheToLLM(cc *CacheControl) llm.CacheTTL {
	switch {
	case cc == nil:
		return llm.NoCache
	case cc.TTL == string(llm.Cache1h):
		return llm.Cache1h
	}
	return llm.Cache5m
}

// CacheFromLLM returns the cache_control of a breakpoint: nil for none,
// {"type":"ephemeral"} for the default lifetime (written without a ttl,
// as the API's examples do) and {"type":"ephemeral","ttl":"1h"} for one
// hour or an OpenAI client's 30 minutes or 12 hours (Claude's longest
// lifetime: the nearest to both that lasts at least 30 minutes).
func CacheFromLLM(ttl llm.CacheTTL) *CacheControl {
	switch ttl {
	case llm.NoCache:
		return nil
	case llm.Cache1h, llm.Cache30m, llm.Cache12h:
		return &CacheControl{Type: CacheEphemeral, TTL: string(llm.Cache1h)}
	}
	return &CacheControl{Type: CacheEphemeral}
}

// site is one block (or tool) of a request that may carry a
// cache_control, with its place: the section ("tools", "system",
// "messages"), the indexes within it (inner is a tool_result's content
// block, -1 for the tool_result itself and for tools and system blocks).
type site struct {
	section      string
	i, j, inner  int
	cc           **CacheControl
	block        *ContentBlock // nil for a tool
	canAutoCache bool          // a top-level cache_control may land here
}

// path names the site the way the API's errors do.
func (s *site) path() string {
	switch {
	case s.section != "messages":
		return fmt.Sprintf("%s.%d", s.section, s.i)
	case s.inner >= 0:
		return fmt.Sprintf("messages.%d.content.%d.content.%d", s.i, s.j, s.inner)
	}
	return fmt.Sprintf("messages.%d.content.%d", s.i, s.j)
}

// eachSite calls f for every tool and block of req in the order the API
// reads a prompt (tools, system, messages; a tool_result's content before
// the tool_result, whose prefix ends after it), until f returns false.
func eachSite(req *MessagesRequest, f func(*site) bool) {
	for i := range req.Tools {
		if !f(&site{section: "tools", i: i, inner: -1, cc: &req.Tools[i].CacheControl}) {
			return
		}
	}
	for i := range req.System {
		b := &req.System[i]
		if !f(&site{section: "system", i: i, inner: -1, cc: &b.CacheControl, block: b, canAutoCache: cacheable(b)}) {
			return
		}
	}
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			b := &req.Messages[i].Content[j]
			if !eachInner(b, i, j, f) {
				return
			}
			if !f(&site{section: "messages", i: i, j: j, inner: -1, cc: &b.CacheControl, block: b, canAutoCache: cacheable(b)}) {
				return
			}
		}
	}
}

// eachInner calls f for the content blocks of a tool_result b (message
// i, block j), reporting false when f did.
func eachInner(b *ContentBlock, i, j int, f func(*site) bool) bool {
	if b.Type != BlockToolResult {
		return true
	}
	for k := range b.Content {
		c := &b.Content[k]
		if !f(&site{section: "messages", i: i, j: j, inner: k, cc: &c.CacheControl, block: c}) {
			return false
		}
	}
	return true
}

// cacheable reports whether a block may be a cache breakpoint: thinking
// blocks and empty text blocks may not.
func cacheable(b *ContentBlock) bool {
	switch b.Type {
	case BlockThinking, BlockRedactedThinking:
		return false
	case BlockText:
		return b.Text != ""
	}
	return true
}

// autoCacheTarget returns the site a top-level cache_control marks: the
// last block that may be a breakpoint (the API walks back past the others),
// or, for a request without one, the last tool; nil when there is none.
func autoCacheTarget(req *MessagesRequest) *site {
	var last *site
	eachSite(req, func(s *site) bool {
		if s.canAutoCache || s.block == nil {
			last = s
		}
		return true
	})
	return last
}

// ResolveAutoCache returns req with a top-level cache_control (automatic
// caching) moved onto the block it marks, as an explicit breakpoint: the
// last block that may carry one (the API walks back past thinking blocks),
// or the last tool of a request without one; none when the block has a
// breakpoint already (Validate rejects one of another ttl). req itself is
// not modified; a request without a top-level cache_control is returned
// as it is.
func ResolveAutoCache(req *MessagesRequest) *MessagesRequest {
	if req.CacheControl == nil {
		return req
	}
	out := *req
	out.CacheControl = nil
	out.Tools = append([]Tool(nil), req.Tools...)
	out.System = append(Blocks(nil), req.System...)
	out.Messages = append([]Message(nil), req.Messages...)
	for i := range out.Messages {
		out.Messages[i].Content = append(Blocks(nil), out.Messages[i].Content...)
	}
	if t := autoCacheTarget(&out); t != nil && *t.cc == nil {
		cc := *req.CacheControl
		*t.cc = &cc
	}
	return &out
}

// checkCacheControl checks the request's breakpoints as the API does:
// each of type ephemeral with a ttl of 5m or 1h, none on a thinking block,
// at most llm.MaxCacheBreakpoints of them counting the one a top-level
// cache_control adds (none when the block it marks has one of the same
// ttl, an error when of another), no one-hour breakpoint after a
// five-minute one, and a scope only as scopeError allows.
func checkCacheControl(req *MessagesRequest) *llm.Error {
	n := 0
	var err *llm.Error
	seen5m := false
	order := func(cc *CacheControl, at string) {
		if cc.TTL == string(llm.Cache1h) && seen5m && err == nil {
			err = rejectf("%s.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Blocks are processed in the following order: `tools`, `system`, `messages`.", at)
		}
		seen5m = seen5m || cc.TTL != string(llm.Cache1h)
	}
	eachSite(req, func(s *site) bool {
		cc := *s.cc
		if cc == nil {
			return true
		}
		n++
		switch {
		case cc.Type != CacheEphemeral || (cc.TTL != "" && cc.TTL != "5m" && cc.TTL != "1h"):
			err = rejectf("%s.cache_control: type must be 'ephemeral' and ttl '5m' or '1h'", s.path())
		case s.block != nil && (s.block.Type == BlockThinking || s.block.Type == BlockRedactedThinking):
			err = rejectf("%s.%s.cache_control: Extra inputs are not permitted", s.path(), s.block.Type)
		case cc.Scope != "":
			if err = scopeError(req, cc, s.path()+"."); err == nil {
				order(cc, s.path())
			}
		default:
			order(cc, s.path())
		}
		return err == nil
	})
	if err != nil {
		return err
	}
	if auto := req.CacheControl; auto != nil {
		if auto.Scope != "" {
			if e := scopeError(req, auto, ""); e != nil {
				return e
			}
		}
		if e := checkAutoCache(req, auto, &n); e != nil {
			return e
		}
		order(auto, "cache_control")
	}
	if n > llm.MaxCacheBreakpoints {
		return rejectf("A maximum of %d blocks with cache_control may be provided. Found %d.", llm.MaxCacheBreakpoints, n)
	}
	return err
}

// checkAutoCache checks a top-level cache_control and counts the slot it
// takes into n.
func checkAutoCache(req *MessagesRequest, auto *CacheControl, n *int) *llm.Error {
	if auto.Type != CacheEphemeral || (auto.TTL != "" && auto.TTL != "5m" && auto.TTL != "1h") {
		return rejectf("cache_control: type must be 'ephemeral' and ttl '5m' or '1h'")
	}
	t := autoCacheTarget(req)
	switch {
	case t == nil:
		return nil // nothing to cache: the API skips caching
	case *t.cc == nil:
		*n++
	case CacheToLLM(*t.cc) != CacheToLLM(auto):
		return rejectf("cache_control: the top-level cache_control's ttl differs from the cache_control of the last block (%s), which it would apply to", t.path())
	}
	return nil
}

// applyCacheTTL gives the breakpoints of req that name no lifetime (an
// OpenAI client's breakpoints without a ttl, which live the request's)
// the one hour Claude has for the 30 minutes or 12 hours ttl, the
// request's prompt_cache_options.ttl, asks for; any other ttl changes
// nothing.
func applyCacheTTL(req *MessagesRequest, ttl llm.CacheTTL) {
	if ttl != llm.Cache30m && ttl != llm.Cache12h {
		return
	}
	eachSite(req, func(s *site) bool {
		if cc := *s.cc; cc != nil && cc.TTL == "" {
			*s.cc = CacheFromLLM(llm.Cache1h)
		}
		return true
	})
}

// keepLatestBreakpoints removes the earliest breakpoints of req, in the
// API's order, beyond the latest n: an OpenAI client re-sends the
// breakpoints of its conversation's earlier turns (OpenAI matches at up
// to 80), where the API refuses more than four.
func keepLatestBreakpoints(req *MessagesRequest, n int) {
	total := 0
	eachSite(req, func(s *site) bool {
		if *s.cc != nil {
			total++
		}
		return true
	})
	drop := total - n
	eachSite(req, func(s *site) bool {
		if drop <= 0 {
			return false
		}
		if *s.cc != nil {
			*s.cc = nil
			drop--
		}
		return true
	})
}

// keepTTLOrder makes every breakpoint after a five-minute one a
// five-minute one, as the API requires (checkCacheControl). A request
// valid at Anthropic keeps its lifetimes; only one whose user turn had
// text before a tool result, which FromLLM moves first, can need it.
func keepTTLOrder(req *MessagesRequest) {
	seen5m := false
	eachSite(req, func(s *site) bool {
		cc := *s.cc
		switch {
		case cc == nil:
		case cc.TTL != string(llm.Cache1h):
			seen5m = true
		case seen5m:
			*s.cc = CacheFromLLM(llm.Cache5m)
		}
		return true
	})
}

// PlaceBreakpoints marks, for a client that could not mark them itself
// (a provider's prompt_cache: auto), the prefixes a conversation repeats
// from one request to the next, each with a 5-minute breakpoint: the last
// tool (the tool definitions), the last system block (tools and system
// prompt) and the last block of the turn before the final user turn (the
// conversation up to the new question, which the next request repeats;
// the API's 20-block lookback finds the previous request's entry from
// there as long as fewer than 20 blocks were added since). It marks
// nothing in a request that carries breakpoints already, and returns how
// many it placed: at most 3, within llm.MaxCacheBreakpoints.
func PlaceBreakpoints(req *MessagesRequest) int {
	has := req.CacheControl != nil
	eachSite(req, func(s *site) bool {
		has = has || *s.cc != nil
		return !has
	})
	if has {
		return 0
	}
	placed := 0
	mark := func(cc **CacheControl) {
		*cc = CacheFromLLM(llm.Cache5m)
		placed++
	}
	if n := len(req.Tools); n > 0 {
		mark(&req.Tools[n-1].CacheControl)
	}
	if b := lastCacheable(req.System); b != nil {
		mark(&b.CacheControl)
	}
	if t := historyEnd(req.Messages); t >= 0 {
		if b := lastCacheable(req.Messages[t].Content); b != nil {
			mark(&b.CacheControl)
		}
	}
	return placed
}

// historyEnd returns the index of the turn before the final user turn,
// or -1 when there is none.
func historyEnd(turns []Message) int {
	for i := len(turns) - 1; i > 0; i-- {
		if turns[i].Role == "user" {
			return i - 1
		}
	}
	return -1
}

// lastCacheable returns the last block of blocks that may be a
// breakpoint, or nil.
func lastCacheable(blocks Blocks) *ContentBlock {
	for i := len(blocks) - 1; i >= 0; i-- {
		if cacheable(&blocks[i]) {
			return &blocks[i]
		}
	}
	return nil
}
