package responses

import (
	"encoding/json"
	"slices"
	"unicode/utf8"

	"switchyard/llm"
)

// This file holds the create request's remaining options (decodeOptions):
// streaming, user, metadata, include, truncation, max_tool_calls,
// service_tier, and the options passed through under their Chat
// Completions names.

// decodeOptions checks the remaining request options: streaming, user,
// metadata, store, include, truncation and the fields passed through.
func decodeOptions(cr *createRequest, out *Request) error {
	req := out.Chat
	req.Stream = cr.Stream != nil && *cr.Stream
	if !isNull(cr.StreamOptions) {
		if !req.Stream {
			return invalid("stream_options", "stream_options can only be set when 'stream' is true.")
		}
		var so struct {
			IncludeObfuscation *bool `json:"include_obfuscation"`
		}
		if err := decodeStrict(cr.StreamOptions, "stream_options", &so); err != nil {
			return err
		}
	}
	if cr.User != nil {
		req.User = *cr.User
	}
	if err := checkMetadata(cr.Metadata); err != nil {
		return err
	}
	req.Metadata = cr.Metadata
	for _, inc := range cr.Include {
		switch inc {
		case IncludeLogprobs:
			req.Logprobs = true
		case IncludeEncrypted:
			out.IncludeEncrypted = true
		}
	}
	hostedInclude(req, cr.Include)
	if t := cr.Truncation; t != nil && *t != "disabled" {
		return unsupported("truncation", "truncation '%s' is not supported: the router does not shorten input. Use 'disabled' (the default).", llm.Clip(*t))
	}
	if cr.MaxToolCalls != nil && *cr.MaxToolCalls < 0 {
		return invalid("max_tool_calls", "Invalid 'max_tool_calls': expected a non-negative integer.")
	}
	out.MaxToolCalls = cr.MaxToolCalls
	if cr.ServiceTier != nil {
		if !slices.Contains(llm.ResponsesTiers, llm.ServiceTier(*cr.ServiceTier)) {
			return invalid("service_tier", "Invalid value for 'service_tier': '%s'. Supported values are: 'auto', 'default', 'flex', 'scale', 'priority', 'fast' and 'ultrafast'.", llm.Clip(*cr.ServiceTier))
		}
		out.ServiceTier = *cr.ServiceTier
		req.ServiceTier = llm.ServiceTier(*cr.ServiceTier)
	}
	passThrough(req, "safety_identifier", cr.SafetyIdentifier)
	passThrough(req, "prompt_cache_key", cr.PromptCacheKey)
	passThrough(req, "prompt_cache_retention", cr.PromptCacheRetention)
	return nil
}

// checkMetadata holds metadata to OpenAI's limits: 16 pairs, keys of at
// most 64 characters, values of at most 512.
func checkMetadata(md map[string]string) error {
	if len(md) > 16 {
		return invalid("metadata", "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got %d instead.", len(md))
	}
	for k, v := range md {
		if utf8.RuneCountInString(k) > 64 {
			return invalid("metadata", "Invalid 'metadata': keys must be at most 64 characters long.")
		}
		if utf8.RuneCountInString(v) > 512 {
			return invalid("metadata."+k, "Invalid 'metadata.%s': string too long. Expected a string with maximum length 512.", k)
		}
	}
	return nil
}

// passThrough puts a string option in the canonical request's Extra,
// under the Chat Completions name it shares, for the upstreams that read
// it; nil or "" sets nothing.
func passThrough(req *llm.Request, name string, v *string) {
	if v == nil || *v == "" {
		return
	}
	if req.Extra == nil {
		req.Extra = make(map[string]json.RawMessage, 2)
	}
	b, _ := json.Marshal(*v) // a string always encodes
	req.Extra[name] = b
}
