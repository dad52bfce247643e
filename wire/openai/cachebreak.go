package openai

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"switchyard/llm"
)

// This file is OpenAI's explicit prompt caching (GPT-5.6 and later): a
// content part's prompt_cache_breakpoint and the request's
// prompt_cache_options, read into llm.CacheTTL and llm.CacheOptions as
// the client sent them, and written for the upstream models that take
// them (ExplicitCacheModel).

// CacheBreakpoint reads a content part's prompt_cache_breakpoint
// ({"mode":"explicit","ttl":…}; raw is the value as sent, nil or null
// when absent) into the lifetime it asks for: llm.Cache30m or
// llm.Cache12h as its ttl says, llm.Cache5m (the request's lifetime) for
// none. A Claude deployment gets the one-hour cache_control for either
// ttl, its default five minutes for none (anthropic.CacheFromLLM).
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
	switch ttl := llm.CacheTTL(*b.TTL); ttl {
	case llm.Cache30m, llm.Cache12h:
		return ttl, nil
	}
	return llm.NoCache, errors.New("'ttl' must be '30m' or '12h'")
}

// decodeCacheOptions reads the request's prompt_cache_options, which
// Chat Completions takes as {"mode": "implicit"|"explicit", "ttl":
// "30m"} (a 12-hour lifetime is asked for on the breakpoints there);
// null is none.
func decodeCacheOptions(s *scanner, req *llm.Request) error {
	if s.null() {
		return nil
	}
	return s.object(func(key []byte) error {
		switch string(key) {
		case "mode":
			v, err := s.str()
			if err != nil {
				return err
			}
			if v != string(llm.CacheImplicit) && v != string(llm.CacheExplicit) {
				return errEnum(v, "'implicit' and 'explicit'")
			}
			req.PromptCache.Mode = llm.CacheMode(v)
		case "ttl":
			v, err := s.str()
			if err != nil {
				return err
			}
			if v != string(llm.Cache30m) {
				return errEnum(v, "'30m'")
			}
			req.PromptCache.TTL = llm.Cache30m
		default:
			return &fieldError{before: "Unrecognized request argument supplied: "}
		}
		return nil
	})
}

// ExplicitCacheModel reports whether an OpenAI model id names a model
// that takes explicit prompt caching (prompt_cache_breakpoint and
// prompt_cache_options): GPT-5.6 and later, GPT-6.x included, whatever
// their suffix (gpt-5.6-sol, gpt-6.2-astra-2026-11-01). An Azure
// deployment is read by the model it runs (its base_model).
func ExplicitCacheModel(model string) bool {
	m := modelID(model)
	if !strings.HasPrefix(m, "gpt-") {
		return false
	}
	version, _, _ := strings.Cut(m[len("gpt-"):], "-")
	major, minor, ok := gptVersion(version)
	return ok && (major > 5 || major == 5 && minor >= 6)
}
