package openai

import (
	"strconv"

	"switchyard/llm"
)

// This file reads the usage fields OpenAI-compatible hosts write in place
// of OpenAI's, or beside them (docs/cost.md, "Where each host's figures
// come from"):
//
//   - DeepSeek: prompt_cache_hit_tokens (and prompt_cache_miss_tokens) for
//     the prompt's cache hits, billed at the cache-hit price
//     (api-docs.deepseek.com/guides/kv_cache; its usage has no
//     prompt_tokens_details.cached_tokens);
//   - Moonshot (Kimi): a top-level cached_tokens, the context cache's hits
//     (platform.moonshot.ai's chat API; K2 models also write OpenAI's
//     prompt_tokens_details.cached_tokens, openclaw/openclaw#7073);
//   - OpenRouter: cost, the USD credits the request was charged, and for a
//     request on the caller's own provider key (is_byok)
//     cost_details.upstream_inference_cost, what that provider charged
//     beside it (openrouter.ai/docs/use-cases/usage-accounting: "The
//     upstream_inference_cost field only applies to BYOK requests");
//   - xAI: reasoning_tokens counted outside completion_tokens, as Grok 3
//     Mini's usage did (total_tokens = prompt + completion + reasoning;
//     dev.to/maximsaplin "Grok 3 API - Reasoning Tokens are Counted
//     Differently"); today's Grok models count them inside, as OpenAI's
//     do (vercel/ai#11536).
//
// Groq, Together, Fireworks, vLLM and xAI's cache hits are OpenAI's
// prompt_tokens_details.cached_tokens, read by decodeUsage itself.
//
// A stream's usage may travel outside the chunk's "usage" too: Groq's
// final chunk repeats it in x_groq.usage (the only place it was before
// Groq took stream_options), and Moonshot's final chunk carries it in
// choices[0].usage (caudena/beam_weaver v0.1.12: "Kimi's documented final
// choices[0].usage shape"). The chunk's own usage wins where both are.

// decodeGroqUsage reads Groq's x_groq object, its usage into *dst.
func decodeGroqUsage(s *scanner, dst **llm.Usage) error {
	return details(s, func(key []byte) error {
		if string(key) != "usage" {
			return s.skip()
		}
		u, err := decodeUsage(s)
		*dst = u
		return err
	})
}

// hostUsage collects the host-specific members of one usage object.
type hostUsage struct {
	detailsCached        bool // prompt_tokens_details.cached_tokens was present
	hasHit, hasTop       bool // prompt_cache_hit_tokens, a top-level cached_tokens
	hit, top             int
	cost, upstream       float64
	hasCost, hasUpstream bool
	byok                 bool
}

// read consumes the value of key, a member decodeUsage does not read
// itself.
func (h *hostUsage) read(s *scanner, key []byte) error {
	switch string(key) {
	case "prompt_cache_hit_tokens":
		h.hasHit = true
		return count(s, &h.hit)
	case "cached_tokens":
		h.hasTop = true
		return count(s, &h.top)
	case "cost":
		var err error
		h.cost, h.hasCost, err = optCost(s)
		return err
	case "is_byok":
		if s.peek() == 't' || s.peek() == 'f' {
			v, err := s.boolean()
			h.byok = v
			return err
		}
	case "cost_details":
		return details(s, func(key []byte) error {
			if string(key) == "upstream_inference_cost" {
				var err error
				h.upstream, h.hasUpstream, err = optCost(s)
				return err
			}
			return s.skip()
		})
	}
	return s.skip()
}

// optCost reads a cost, and reports whether there was one: a number; any
// other value (null, a string) is skipped as none, and so is a cost below
// zero or one no float holds.
func optCost(s *scanner) (float64, bool, error) {
	if c := s.peek(); c != '-' && (c < '0' || c > '9') {
		return 0, false, s.skip()
	}
	lit, err := s.number()
	if err != nil {
		return 0, false, err
	}
	f, err := strconv.ParseFloat(bstr(lit), 64)
	if err != nil || f < 0 {
		return 0, false, nil
	}
	return f, true, nil
}

// apply sets u's fields from what h read.
func (h *hostUsage) apply(u *llm.Usage) {
	if !h.detailsCached {
		switch {
		case h.hasHit:
			u.CachedPromptTokens = h.hit
		case h.hasTop:
			u.CachedPromptTokens = h.top
		}
	}
	if h.hasCost {
		u.CostReported, u.ReportedCostUSD = true, h.cost
		if h.byok && h.hasUpstream {
			u.ReportedCostUSD += h.upstream
		}
	}
	if r := u.ReasoningTokens; r > 0 && u.TotalTokens == u.PromptTokens+u.CompletionTokens+r {
		u.CompletionTokens += r // reasoning counted outside completion_tokens
	}
}
