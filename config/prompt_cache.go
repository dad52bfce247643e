package config

import (
	"fmt"
	"slices"
)

// A provider's prompt_cache: whether the router marks prompt-cache
// breakpoints itself.
const (
	// PromptCacheOff sends the breakpoints clients marked, and no others.
	PromptCacheOff = "off"
	// PromptCacheAuto also marks breakpoints on the requests of clients
	// that cannot mark their own (the OpenAI APIs): the tools, the system
	// prompt and the conversation before the last user turn. Only kind
	// anthropic has explicit breakpoints.
	PromptCacheAuto = "auto"
)

// promptCaches lists the prompt_cache values, in the order the docs give
// them.
var promptCaches = []string{PromptCacheAuto, PromptCacheOff}

// AutoCache reports whether the router marks breakpoints for p's
// requests (prompt_cache: auto).
func (p *Provider) AutoCache() bool { return p.PromptCache == PromptCacheAuto }

func (v *validator) promptCache(path string, p *Provider) {
	path += ".prompt_cache"
	switch {
	case p.PromptCache == "":
	case !slices.Contains(promptCaches, p.PromptCache):
		v.add(path, fmt.Sprintf("unknown prompt_cache %q", p.PromptCache), choices(p.PromptCache, "values", promptCaches))
	case p.PromptCache == PromptCacheAuto && p.Kind != KindAnthropic && slices.Contains(kinds, p.Kind):
		v.add(path, fmt.Sprintf("prompt_cache: auto is only for kind anthropic, not %s", p.Kind),
			"remove it: OpenAI and Gemini cache prompt prefixes without breakpoints (cached reads are priced either way)")
	}
}
