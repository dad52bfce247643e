package openai

import (
	"bytes"
	"encoding/json"
	"errors"

	"switchyard/llm"
)

// CacheBreakpoint reads a content part's prompt_cache_breakpoint (OpenAI's
// explicit prompt caching: {"mode":"explicit","ttl":…}; raw is the value
// as sent, nil or null when absent) into the breakpoint a deployment with
// explicit caching (Claude's cache_control) is sent: a breakpoint that
// asks to live at least 30 minutes or 12 hours gets Claude's longest
// lifetime, one hour; one that names no lifetime gets Claude's default,
// five minutes from its last read. Upstreams without explicit caching
// ignore it.
func CacheBreakpoint(raw json.RawMessage) (llm.CacheTTL, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return llm.NoCache, nil
	}
	var b struct {
		Mode *string `json:"mode"`
		TTL  *string `json:"ttl"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&b); err != nil {
		return llm.NoCache, errors.New("expected an object with 'mode' (and optionally 'ttl')")
	}
	if b.Mode != nil && *b.Mode != "explicit" { // "explicit" is the only mode; absent means it
		return llm.NoCache, errors.New("'mode' must be 'explicit'")
	}
	if b.TTL == nil {
		return llm.Cache5m, nil
	}
	switch *b.TTL {
	case "30m", "12h":
		return llm.Cache1h, nil
	}
	return llm.NoCache, errors.New("'ttl' must be '30m' or '12h'")
}
