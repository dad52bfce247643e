package anthropic

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// scoped is a Claude Code request: its identity system block cached with
// the global scope, the next with the default one.
const scoped = `{"model":"m","max_tokens":10,
	"system":[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral","scope":"global"}},
		{"type":"text","text":"Rules.","cache_control":{"type":"ephemeral"}}],
	"messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral","ttl":"5m","scope":"global"}}]}]}`

// decodeScoped decodes body as a request sent with betas.
func decodeScoped(t *testing.T, body string, betas ...string) (*llm.Request, error) {
	t.Helper()
	req, err := DecodeMessagesRequest([]byte(body), false)
	if err != nil {
		return nil, err
	}
	req.Betas = KeptBetas(betas)
	if err := Validate(req); err != nil {
		return nil, err
	}
	return RequestToLLM(req)
}

// With the prompt-caching-scope beta a breakpoint's scope reaches the
// canonical request and comes back out of FromLLM on the same block.
func TestCacheScopeRoundTrip(t *testing.T) {
	req, err := decodeScoped(t, scoped, "claude-code-20250219,"+PromptCachingScopeBeta)
	if err != nil {
		t.Fatal(err)
	}
	sys, user := req.Messages[0].Content, req.Messages[1].Content
	if sys[0].CacheScope() != "global" || sys[1].CacheScope() != "" || sys[1].Cache() != llm.Cache5m || user[0].CacheScope() != "global" {
		t.Errorf("canonical scopes: system %+v %+v, user %+v", sys[0].Extra, sys[1].Extra, user[0].Extra)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if cc := out.System[0].CacheControl; cc == nil || cc.Scope != "global" || out.System[1].CacheControl.Scope != "" {
		t.Errorf("upstream system: %+v", out.System)
	}
	if cc := out.Messages[0].Content[0].CacheControl; cc == nil || cc.Scope != "global" {
		t.Errorf("upstream user block: %+v", out.Messages[0].Content[0])
	}
	if !strings.Contains(strings.Join(req.AnthropicBetas, ","), PromptCachingScopeBeta) {
		t.Errorf("betas kept: %v", req.AnthropicBetas)
	}
}

// Without the beta a scope is the API's extra input; with it, a scope
// other than global is refused.
func TestCacheScopeRejects(t *testing.T) {
	_, err := decodeScoped(t, scoped)
	if err == nil || !strings.Contains(llm.AsError(err).Message, "system.0.cache_control.ephemeral.scope: Extra inputs are not permitted") {
		t.Errorf("without the beta: %v", err)
	}
	_, err = decodeScoped(t, strings.Replace(scoped, `"ttl":"5m","scope":"global"`, `"ttl":"5m","scope":"org"`, 1), PromptCachingScopeBeta)
	if err == nil || !strings.Contains(llm.AsError(err).Message, "messages.0.content.0.cache_control.ephemeral.scope") {
		t.Errorf("an unknown scope: %v", err)
	}
}

// Removing a breakpoint removes its scope.
func TestSetCacheClearsScope(t *testing.T) {
	p := llm.Part{Type: llm.PartText, Text: "x"}
	p.SetCache(llm.Cache5m)
	p.SetCacheScope("global")
	p.SetCache(llm.NoCache)
	if p.Extra != nil {
		t.Errorf("extra left: %+v", p.Extra)
	}
}
