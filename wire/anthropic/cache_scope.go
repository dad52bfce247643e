package anthropic

import (
	"slices"

	"switchyard/llm"
)

// This file is a breakpoint's scope: cache_control.scope, which Claude
// Code sends on its identity system block ({"type":"ephemeral",
// "scope":"global"}) with the anthropic-beta PromptCachingScopeBeta, so
// that the API may share that prefix's cache beyond the caller's
// workspace. No public API reference describes it (the SDKs'
// cache_control types have no scope), so what is known of it is what
// Claude Code sends: the value "global", and the API's "Extra inputs are
// not permitted" for a scope sent without the beta (gateways that dropped
// the beta but kept the field saw it). The message for another value is
// the router's own wording.

// PromptCachingScopeBeta is the beta of cache_control.scope.
const PromptCachingScopeBeta = "prompt-caching-scope-2026-01-05"

// scopeError is the API's answer to cc's scope at the site at (a path
// ending in a dot, or "" for the top level), nil when the scope is taken:
// only under PromptCachingScopeBeta, and only llm.CacheScopeGlobal.
func scopeError(req *MessagesRequest, cc *CacheControl, at string) *llm.Error {
	switch {
	case !slices.Contains(req.Betas, PromptCachingScopeBeta):
		return rejectf("%scache_control.ephemeral.scope: Extra inputs are not permitted", at)
	case cc.Scope != llm.CacheScopeGlobal:
		return rejectf("%scache_control.ephemeral.scope: Input should be '%s'", at, llm.CacheScopeGlobal)
	}
	return nil
}

// setPartCache sets p's breakpoint, with its scope, from a block's
// cache_control.
func setPartCache(p *llm.Part, cc *CacheControl) {
	p.SetCache(CacheToLLM(cc))
	if cc != nil && cc.Scope != "" {
		p.SetCacheScope(cc.Scope)
	}
}

// partCacheControl is the cache_control of p's breakpoint, with its
// scope: nil for none.
func partCacheControl(p *llm.Part) *CacheControl {
	cc := CacheFromLLM(p.Cache())
	if cc != nil {
		cc.Scope = p.CacheScope()
	}
	return cc
}
