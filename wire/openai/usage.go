package openai

import "switchyard/llm"

// appendUsage writes u as a CompletionUsage object. Both details objects are
// always present, as OpenAI sends them. CacheWriteTokens goes to
// prompt_tokens_details.cache_write_tokens (the spec's field for prompt
// tokens written to cache, which openai-go reads) and is written only when
// non-zero, since OpenAI itself does not report it today. cost, when not
// empty, is written as the object's "cost" (see AppendChunkCost).
func appendUsage(dst []byte, u *llm.Usage, cost string) []byte {
	dst = append(dst, `{"prompt_tokens":`...)
	dst = appendInt(dst, u.PromptTokens)
	dst = append(dst, `,"completion_tokens":`...)
	dst = appendInt(dst, u.CompletionTokens)
	dst = append(dst, `,"total_tokens":`...)
	dst = appendInt(dst, u.TotalTokens)
	dst = append(dst, `,"prompt_tokens_details":{"cached_tokens":`...)
	dst = appendInt(dst, u.CachedPromptTokens)
	dst = append(dst, `,"audio_tokens":`...)
	dst = appendInt(dst, u.AudioPromptTokens)
	if u.CacheWriteTokens != 0 {
		dst = append(dst, `,"cache_write_tokens":`...)
		dst = appendInt(dst, u.CacheWriteTokens)
	}
	dst = append(dst, `},"completion_tokens_details":{"reasoning_tokens":`...)
	dst = appendInt(dst, u.ReasoningTokens)
	dst = append(dst, `,"audio_tokens":`...)
	dst = appendInt(dst, u.AudioCompletionTokens)
	dst = append(dst, `,"accepted_prediction_tokens":`...)
	dst = appendInt(dst, u.AcceptedPredictionTokens)
	dst = append(dst, `,"rejected_prediction_tokens":`...)
	dst = appendInt(dst, u.RejectedPredictionTokens)
	dst = append(dst, '}')
	if cost != "" {
		dst = append(dst, `,"cost":`...)
		dst = append(dst, cost...)
	}
	return append(dst, '}')
}

// decodeUsage reads a CompletionUsage object, or null (as nil). Counts may
// be null or decimals (some vendors); unknown fields are ignored. The
// fields OpenAI-compatible hosts use in place of OpenAI's, or beside them,
// are read too (hostUsage).
func decodeUsage(s *scanner) (*llm.Usage, error) {
	if s.null() {
		return nil, nil
	}
	u := &llm.Usage{}
	var h hostUsage
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "prompt_tokens":
			return count(s, &u.PromptTokens)
		case "completion_tokens":
			return count(s, &u.CompletionTokens)
		case "total_tokens":
			return count(s, &u.TotalTokens)
		case "prompt_tokens_details":
			return details(s, func(key []byte) error {
				switch string(key) {
				case "cached_tokens":
					h.detailsCached = true
					return count(s, &u.CachedPromptTokens)
				case "audio_tokens":
					return count(s, &u.AudioPromptTokens)
				case "cache_write_tokens":
					return count(s, &u.CacheWriteTokens)
				}
				return s.skip()
			})
		case "completion_tokens_details":
			return details(s, func(key []byte) error {
				switch string(key) {
				case "reasoning_tokens":
					return count(s, &u.ReasoningTokens)
				case "audio_tokens":
					return count(s, &u.AudioCompletionTokens)
				case "accepted_prediction_tokens":
					return count(s, &u.AcceptedPredictionTokens)
				case "rejected_prediction_tokens":
					return count(s, &u.RejectedPredictionTokens)
				}
				return s.skip()
			})
		}
		return h.read(s, key)
	})
	h.apply(u)
	return u, err
}

func details(s *scanner, fn func(key []byte) error) error {
	if s.null() {
		return nil
	}
	return s.object(fn)
}

// count reads a token count leniently: null is 0, decimals are truncated.
func count(s *scanner, dst *int) error {
	if s.null() {
		*dst = 0
		return nil
	}
	n, err := s.loose()
	*dst = n
	return err
}

// AppendUsage writes u as a CompletionUsage object (appendUsage), for the
// codecs that share the shape (the legacy Completions API).
func AppendUsage(dst []byte, u *llm.Usage, cost string) []byte { return appendUsage(dst, u, cost) }
