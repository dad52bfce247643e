package llm

// CacheTTL is a prompt-cache breakpoint: it marks the end of a prefix of
// the prompt that an upstream with explicit prompt caching (Anthropic's
// cache_control, OpenAI's prompt_cache_breakpoint from GPT-5.6 on) may
// keep, and how long, as the client asked: Claude's lifetimes (Cache5m,
// Cache1h) or OpenAI's (Cache30m, Cache12h); each upstream's codec maps
// them onto its own (a Claude deployment gets one hour for OpenAI's). The prompt is read in the order tools, system
// messages, then the conversation; a breakpoint sits on a tool (Tool.Cache),
// on a content part (Part.Cache: a system block, a text or image block of a
// turn) or on a tool call (ToolCall.Cache). A breakpoint on the last part
// of a tool message marks the whole tool result. Upstreams without
// explicit caching ignore breakpoints.
type CacheTTL string

// The breakpoint lifetimes.
const (
	// NoCache is no breakpoint.
	NoCache CacheTTL = ""
	// Cache5m asks for the upstream's default lifetime: 5 minutes from
	// the last use on Claude; on OpenAI the request's
	// prompt_cache_options.ttl (30 minutes unless it says otherwise). An
	// OpenAI breakpoint that names no ttl is one.
	Cache5m CacheTTL = "5m"
	// Cache1h asks for one hour, at a dearer write price (Claude's).
	Cache1h CacheTTL = "1h"
	// Cache30m asks for at least 30 minutes (OpenAI's ttl "30m").
	Cache30m CacheTTL = "30m"
	// Cache12h asks for at least 12 hours (OpenAI's ttl "12h"), at a
	// dearer write price.
	Cache12h CacheTTL = "12h"
)

// CacheMode is OpenAI's prompt_cache_options.mode: whether the upstream
// also places a breakpoint of its own.
type CacheMode string

// The prompt-cache modes.
const (
	// CacheImplicit lets the upstream place one breakpoint of its own
	// besides the request's (OpenAI's default).
	CacheImplicit CacheMode = "implicit"
	// CacheExplicit caches at the request's breakpoints only.
	CacheExplicit CacheMode = "explicit"
)

// CacheOptions are the prompt-cache options a request sent (OpenAI's
// prompt_cache_options): only OpenAI models with explicit prompt caching
// take them. The zero value is none sent.
type CacheOptions struct {
	// Mode is the mode asked for; "" for none.
	Mode CacheMode
	// TTL is the lifetime of every breakpoint the request writes that
	// names none (Cache30m or Cache12h); NoCache for none.
	TTL CacheTTL
}

// IsZero reports whether no option was sent.
func (o CacheOptions) IsZero() bool { return o == CacheOptions{} }

// AsksCache12h reports whether r asks for a 12-hour cache lifetime: in
// its prompt_cache_options or on a part's breakpoint. Such a request's
// cache writes are priced as 12-hour writes (OpenAI's usage does not tell
// them from 30-minute ones).
func (r *Request) AsksCache12h() bool {
	if r.PromptCache.TTL == Cache12h {
		return true
	}
	for i := range r.Messages {
		c := r.Messages[i].Content
		for j := range c {
			if c[j].Extra != nil && c[j].Extra.Cache == Cache12h {
				return true
			}
		}
	}
	return false
}

// MaxCacheBreakpoints is the most breakpoints one request may write:
// Anthropic's limit, which it answers 400 above, and the most OpenAI
// writes of a request's (the latest four).
const MaxCacheBreakpoints = 4

// MaxCacheMatchBreakpoints is the most breakpoints a request keeps: for
// cache matching OpenAI considers up to the latest 80 of a conversation,
// so a client that re-sends its earlier turns' breakpoints reads the
// prefixes they wrote. An upstream that takes fewer (Claude: 4) is sent
// the latest it takes.
const MaxCacheMatchBreakpoints = 80

// Cache returns the breakpoint at the end of p, or NoCache.
func (p *Part) Cache() CacheTTL {
	if p.Extra == nil {
		return NoCache
	}
	return p.Extra.Cache
}

// SetCache sets the breakpoint at the end of p (NoCache removes it). Like
// Message's setters it never writes through a shared Extra: p gets a copy,
// or nil when every field is then empty, so a text part without a
// breakpoint keeps holding no Extra.
func (p *Part) SetCache(ttl CacheTTL) {
	if p.Extra == nil {
		if ttl != NoCache {
			p.Extra = &PartExtra{Cache: ttl}
		}
		return
	}
	e := *p.Extra
	e.Cache = ttl
	if ttl == NoCache {
		e.CacheScope = "" // no breakpoint, no scope
	}
	if e.ImageURL == "" && e.ImageDetail == "" && len(e.Raw) == 0 && e.Document == nil && e.Cache == NoCache {
		p.Extra = nil
		return
	}
	p.Extra = &e
}

// CacheScopeGlobal is the one breakpoint scope Claude Code sends
// (cache_control.scope under the prompt-caching-scope-2026-01-05 beta, on
// its identity system block): a prefix the API may share beyond the
// caller's workspace. The scope is in no public API reference (the SDKs'
// cache_control types have no scope field); it is read from Claude Code's
// requests.
const CacheScopeGlobal = "global"

// CacheScope returns the scope of the breakpoint at the end of p, "" for
// the default or none.
func (p *Part) CacheScope() string {
	if p.Extra == nil {
		return ""
	}
	return p.Extra.CacheScope
}

// SetCacheScope sets the scope of p's breakpoint; p must have one (a
// scope without a breakpoint is not kept). Like SetCache it never writes
// through a shared Extra.
func (p *Part) SetCacheScope(scope string) {
	if p.Cache() == NoCache || p.Extra.CacheScope == scope {
		return
	}
	e := *p.Extra
	e.CacheScope = scope
	p.Extra = &e
}

// KeepLastBreakpoints leaves the last n breakpoints of msgs' parts, in
// prompt order, and removes the earlier ones: OpenAI considers "up to the
// latest 80 breakpoints in the conversation" (MaxCacheMatchBreakpoints).
// It changes msgs' parts in place.
func KeepLastBreakpoints(msgs []Message, n int) {
	for i := len(msgs) - 1; i >= 0; i-- {
		parts := msgs[i].Content
		for j := len(parts) - 1; j >= 0; j-- {
			if parts[j].Cache() == NoCache {
				continue
			}
			if n > 0 {
				n--
				continue
			}
			parts[j].SetCache(NoCache)
		}
	}
}

// CacheBreakpoints returns the number of breakpoints r carries: on its
// tools, its messages' parts and their tool calls.
func (r *Request) CacheBreakpoints() int {
	n := 0
	for i := range r.Tools {
		if r.Tools[i].Cache != NoCache {
			n++
		}
	}
	for i := range r.Messages {
		m := &r.Messages[i]
		for j := range m.Content {
			if m.Content[j].Cache() != NoCache {
				n++
			}
		}
		for _, tc := range m.ToolCalls() {
			if tc.Cache != NoCache {
				n++
			}
		}
	}
	return n
}
