package responses

import (
	"strconv"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// This file is what a response object says of its prompt caching when a
// model with explicit prompt caching (GPT-5.6 and later,
// wire.ExplicitCacheModel) answered: the prompt_cache_options applied and
// its cache writes by lifetime (cache_write_tokens_details, as openai-go
// reads them). An answer of any other model says neither, as OpenAI's
// answers did before: both are optional in the Response, and a client
// that reads the older shape ignores them.

// cacheReport reports whether an answer of model says its prompt caching.
func cacheReport(model string) bool { return wire.ExplicitCacheModel(model) }

// appendCacheOptions appends the prompt_cache_options member applied to
// a request that asked for o: the mode asked, else implicit (OpenAI's
// default), and the ttl asked in the options, else 30m (the default).
func appendCacheOptions(dst []byte, o llm.CacheOptions) []byte {
	mode, ttl := o.Mode, o.TTL
	if mode == "" {
		mode = llm.CacheImplicit
	}
	if ttl != llm.Cache12h {
		ttl = llm.Cache30m
	}
	dst = append(dst, `,"prompt_cache_options":{"mode":"`...)
	dst = append(dst, mode...)
	dst = append(dst, `","ttl":"`...)
	dst = append(dst, ttl...)
	return append(dst, `"}`...)
}

// appendWriteDetails appends the cache_write_tokens_details member of
// u's input_tokens_details: its cache writes by lifetime, the 12-hour
// ones being those the router prices as such (Usage.CacheWrite1hTokens:
// every write of a request that asked for 12 hours, Chat Completions'
// usage telling the two apart no more than that), the rest 30-minute
// ones.
func appendWriteDetails(dst []byte, u *llm.Usage) []byte {
	written := max(u.CacheWriteTokens, 0)
	long := min(max(u.CacheWrite1hTokens, 0), written)
	dst = append(dst, `,"cache_write_tokens_details":{"ttl_30m_tokens":`...)
	dst = strconv.AppendInt(dst, int64(written-long), 10)
	dst = append(dst, `,"ttl_12h_tokens":`...)
	dst = strconv.AppendInt(dst, int64(long), 10)
	return append(dst, '}')
}
