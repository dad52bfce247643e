package openai

import (
	"bytes"
	"encoding/json"
	"errors"

	"switchyard/llm"
)

// CacheControlBreakpoint reads an Anthropic cache_control on a content
// part of a Chat Completions request ({"type":"ephemeral"}, an optional
// "ttl" of "5m" or "1h"; raw as sent, null for none): the way clients
// written for LiteLLM and OpenRouter mark Claude's breakpoints in OpenAI's
// format, which OpenAI's own spec spells prompt_cache_breakpoint. It is
// llm.Cache5m, or llm.Cache1h for "1h"; a Claude deployment gets it as
// sent, an OpenAI one as CacheBreakpoint's lifetimes go (ExplicitCacheModel).
func CacheControlBreakpoint(raw json.RawMessage) (llm.CacheTTL, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return llm.NoCache, nil
	}
	var cc struct {
		Type string  `json:"type"`
		TTL  *string `json:"ttl"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&cc); err != nil || cc.Type != "ephemeral" {
		return llm.NoCache, errors.New(`expected {"type": "ephemeral"} with an optional 'ttl' of '5m' or '1h'`)
	}
	switch {
	case cc.TTL == nil || *cc.TTL == string(llm.Cache5m):
		return llm.Cache5m, nil
	case *cc.TTL == string(llm.Cache1h):
		return llm.Cache1h, nil
	}
	return llm.NoCache, errors.New("'ttl' must be '5m' or '1h'")
}
