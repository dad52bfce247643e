package anthropic

import (
	"encoding/json"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file writes a refusal fallback's answer as the API writes one
// after a server-side fallback: a fallback block ({"type":"fallback",
// "from":{"model"},"to":{"model"},"trigger":{"type":"refusal",
// "category"}}) per hand-over, before the content of the model that
// answered (the declining model's output is not kept: the router passes a
// refusal over only while none of it reached the client); usage the sum
// of every attempt's, with usage.iterations — a "message" entry per
// declined attempt, a "fallback_message" entry for the answer — and a
// refusal's fallback_credit_token in its stop_details.

// appendFallbackBlock appends the fallback block of hop h.
func appendFallbackBlock(dst []byte, h *llm.FallbackHop) []byte {
	dst = append(dst, `{"type":"fallback","from":{"model":`...)
	dst = jsonw.String(dst, h.From)
	dst = append(dst, `},"to":{"model":`...)
	dst = jsonw.String(dst, h.To)
	dst = append(dst, `},"trigger":{"type":"refusal","category":`...)
	var category string
	if h.Refusal != nil {
		category = h.Refusal.Category
	}
	dst = appendNullable(dst, category)
	return append(dst, "}}"...)
}

// appendFallbackBlocks appends the blocks of hops, each followed by a
// comma (trimComma removes the last when no content follows).
func appendFallbackBlocks(dst []byte, hops []llm.FallbackHop) []byte {
	for i := range hops {
		dst = appendFallbackBlock(dst, &hops[i])
		dst = append(dst, ',')
	}
	return dst
}

// trimComma drops a trailing comma.
func trimComma(dst []byte) []byte {
	if n := len(dst); n > 0 && dst[n-1] == ',' {
		return dst[:n-1]
	}
	return dst
}

// fallbackBlocks writes a stream's fallback blocks, each a
// content_block_start and content_block_stop with no delta, as the API
// streams them.
func (e *StreamEncoder) fallbackBlocks(dst []byte) []byte {
	for i := range e.Fallbacks {
		dst = e.startBlock(dst, string(appendFallbackBlock(nil, &e.Fallbacks[i])))
		dst = e.stopOpen(dst)
	}
	return dst
}

// appendFallbackUsage appends the usage object write writes for u; with
// hops, u summed with every declined attempt's usage and followed by
// usage.iterations (model is the answering model's; a compaction entry
// first when Claude compacted the conversation, an advisor_message entry
// per consultation last); with credit, the
// usage.fallback_credit the upstream wrote.
func appendFallbackUsage(dst []byte, u *llm.Usage, model string, hops []llm.FallbackHop, credit json.RawMessage, write func([]byte, *llm.Usage) []byte) []byte {
	advised := u != nil && u.Advisor != nil
	compacted := u != nil && u.Compaction != nil
	if len(hops) == 0 && len(credit) == 0 && !advised && !compacted {
		return write(dst, u)
	}
	total := llm.Usage{}
	if u != nil {
		total = *u
	}
	for i := range hops {
		if hu := hops[i].Usage; hu != nil {
			total.Add(*hu)
		}
	}
	dst = write(dst, &total)
	dst = dst[:len(dst)-1] // the object's '}'
	if len(credit) > 0 {
		dst = append(dst, `,"fallback_credit":`...)
		dst = append(dst, credit...)
	}
	if len(hops) > 0 || advised || compacted {
		dst = appendIterations(dst, u, &total, model, hops)
	}
	return append(dst, '}')
}

// appendIterations appends the usage.iterations member: a compaction
// entry first when Claude compacted the conversation, a "message" entry
// per declined attempt of hops, the answer's own ("fallback_message"
// after hops, else "message"; none when the answer stopped right after a
// compaction, which sampled nothing: u counts no token), then an
// advisor_message entry per consultation. total is u with the hops'.
func appendIterations(dst []byte, u, total *llm.Usage, model string, hops []llm.FallbackHop) []byte {
	dst = append(dst, `,"iterations":[`...)
	if total.Compaction != nil {
		dst = appendCompactionIteration(dst, total.Compaction)
		dst = append(dst, ',')
	}
	for i := range hops {
		dst = appendIteration(dst, "message", hopModel(hops, i), hops[i].Usage)
		dst = append(dst, ',')
	}
	if len(hops) > 0 || total.Compaction == nil || u.PromptTokens > 0 || u.CompletionTokens > 0 {
		last := "message"
		if len(hops) > 0 {
			last = "fallback_message"
		}
		dst = appendIteration(dst, last, model, u)
	} else {
		dst = trimComma(dst)
	}
	if total.Advisor != nil {
		dst = appendAdvisorIterations(dst, total.Advisor)
	}
	return append(dst, ']')
}

// appendCompactionIteration appends the "compaction" entry of
// usage.iterations for c (Claude's compaction of the conversation, which
// names no model).
func appendCompactionIteration(dst []byte, c *llm.ModelUsage) []byte {
	u := llm.Usage{PromptTokens: c.PromptTokens, CompletionTokens: c.CompletionTokens,
		CachedPromptTokens: c.CachedPromptTokens, CacheWriteTokens: c.CacheWriteTokens}
	dst = appendIteration(dst, BlockCompaction, "", &u)
	return dst
}

// appendAdvisorIterations appends an "advisor_message" entry of
// usage.iterations for each advisor consultation of a, after a comma.
func appendAdvisorIterations(dst []byte, a *llm.Advisor) []byte {
	if a == nil {
		return dst
	}
	for _, c := range a.Calls {
		u := llm.Usage{PromptTokens: c.PromptTokens, CompletionTokens: c.CompletionTokens,
			CachedPromptTokens: c.CachedPromptTokens, CacheWriteTokens: c.CacheWriteTokens}
		dst = appendIteration(append(dst, ','), "advisor_message", c.Model, &u)
	}
	return dst
}

// hopModel is the model id of the attempt that declined at hop i.
func hopModel(hops []llm.FallbackHop, i int) string {
	if id := hops[i].FromID; id != "" {
		return id
	}
	return hops[i].From
}

// appendIteration appends one usage.iterations entry (without a model
// member when model is "").
func appendIteration(dst []byte, typ, model string, u *llm.Usage) []byte {
	in, write, read, out := UsageFromLLM(u)
	hour := 0
	if u != nil {
		hour = min(max(u.CacheWrite1hTokens, 0), write)
	}
	dst = append(dst, `{"type":"`...)
	dst = append(dst, typ...)
	dst = append(dst, '"')
	if model != "" {
		dst = append(dst, `,"model":`...)
		dst = jsonw.String(dst, model)
	}
	dst = append(dst, `,"input_tokens":`...)
	dst = jsonw.Int(dst, in)
	dst = append(dst, `,"cache_creation_input_tokens":`...)
	dst = jsonw.Int(dst, write)
	dst = append(dst, `,"cache_read_input_tokens":`...)
	dst = jsonw.Int(dst, read)
	dst = append(dst, `,"cache_creation":{"ephemeral_5m_input_tokens":`...)
	dst = jsonw.Int(dst, max(write-hour, 0))
	dst = append(dst, `,"ephemeral_1h_input_tokens":`...)
	dst = jsonw.Int(dst, hour)
	dst = append(dst, `},"output_tokens":`...)
	dst = jsonw.Int(dst, out)
	return append(dst, '}')
}

// appendCreditToken appends a refusal's fallback_credit_token and
// fallback_has_prefill_claim when the upstream sent a token.
func appendCreditToken(dst []byte, r *llm.RefusalDetails) []byte {
	if r.CreditToken == "" {
		return dst
	}
	dst = append(dst, `,"fallback_credit_token":`...)
	dst = jsonw.String(dst, r.CreditToken)
	dst = append(dst, `,"fallback_has_prefill_claim":`...)
	if r.HasPrefillClaim {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}
