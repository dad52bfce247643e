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

// checkCacheScope checks the scope of every breakpoint of req: only under
// PromptCachingScopeBeta, and only llm.CacheScopeGlobal.
func checkCacheScope(req *MessagesRequest) *llm.Error {
	var err *llm.Error
	check := func(cc *CacheControl, at string) {
		switch {
		case cc == nil || cc.Scope == "" || err != nil:
		case !slices.Contains(req.Betas, PromptCachingScopeBeta):
			err = rejectf("%scache_control.ephemeral.scope: Extra inputs are not permitted", at)
		case cc.Scope != llm.CacheScopeGlobal:
			err = rejectf("%scache_control.ephemeral.scope: Input should be '%s'", at, llm.CacheScopeGlobal)
		}
	}
	eachSite(req, func(s *site) bool {
		check(*s.cc, s.path()+".")
		return err == nil
	})
	check(req.CacheControl, "")
	return err
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
