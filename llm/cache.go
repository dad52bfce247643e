package llm

// CacheTTL is a prompt-cache breakpoint: it marks the end of a prefix of
// the prompt that an upstream with explicit prompt caching (Anthropic's)
// may keep, and how long. The prompt is read in the order tools, system
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
	// Cache5m asks for the default lifetime, 5 minutes from the last use.
	Cache5m CacheTTL = "5m"
	// Cache1h asks for one hour, at a dearer write price.
	Cache1h CacheTTL = "1h"
)

// MaxCacheBreakpoints is the most breakpoints one request may carry:
// Anthropic's limit, which it answers 400 above.
const MaxCacheBreakpoints = 4

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
	if e.ImageURL == "" && e.ImageDetail == "" && len(e.Raw) == 0 && e.Document == nil && e.Cache == NoCache {
		p.Extra = nil
		return
	}
	p.Extra = &e
}

// KeepLastBreakpoints leaves the last n breakpoints of msgs' parts, in
// prompt order, and removes the earlier ones: OpenAI writes "up to the
// latest four" of the breakpoints a request marks, where Anthropic
// refuses a fifth. It changes msgs' parts in place.
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
