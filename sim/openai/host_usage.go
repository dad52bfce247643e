package openai

import (
	"bytes"
	"strconv"
	"strings"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// The usage objects of OpenAI-compatible hosts whose figures differ from
// OpenAI's shape (wire/openai/usage_hosts.go has the sources), answered in
// place of OpenAI's in a complete answer and in a stream's usage chunk:
//
//   - a DeepSeek model (deepseek-*): prompt_cache_hit_tokens and
//     prompt_cache_miss_tokens, no prompt_tokens_details;
//   - a Moonshot model (kimi-*, moonshot-*): the cache's hits as a
//     top-level cached_tokens;
//   - a call on OpenRouter's path (/api/v1/chat/completions, its base URL
//     https://openrouter.ai/api/v1): OpenAI's shape with cost, the USD
//     credits charged, and cost_details (upstream_inference_cost null: no
//     BYOK), at OpenRouterPrices.

// usageHost is whose usage shape a call's answer takes.
type usageHost int

const (
	hostOpenAI usageHost = iota
	hostDeepSeek
	hostMoonshot
	hostOpenRouter
)

// usageHostOf is the host whose usage shape the answer to model on c
// takes.
func usageHostOf(c *call, model string) usageHost {
	m := strings.ToLower(model)
	switch {
	case c.openRouter:
		return hostOpenRouter
	case deepSeekModel(model):
		return hostDeepSeek
	case strings.HasPrefix(m, "kimi-") || strings.HasPrefix(m, "moonshot-"):
		return hostMoonshot
	}
	return hostOpenAI
}

// OpenRouterPrice is what the simulated OpenRouter charges a model, USD
// per 1M tokens.
type OpenRouterPrice struct{ Input, CachedInput, Output float64 }

// OpenRouterPrices are the simulated OpenRouter's prices; a model not
// listed is charged OpenRouterDefaultPrice.
var OpenRouterPrices = map[string]OpenRouterPrice{
	"openai/gpt-4o-mini": {Input: 0.15, CachedInput: 0.075, Output: 0.60},
}

// OpenRouterDefaultPrice is the simulated OpenRouter's price of a model
// OpenRouterPrices does not list.
var OpenRouterDefaultPrice = OpenRouterPrice{Input: 1, CachedInput: 0.5, Output: 2}

// OpenRouterCost is what the simulated OpenRouter charges u on model.
func OpenRouterCost(model string, u *llm.Usage) float64 {
	p, ok := OpenRouterPrices[model]
	if !ok {
		p = OpenRouterDefaultPrice
	}
	return llm.RoundUSD((float64(u.PromptTokens-u.CachedPromptTokens)*p.Input + float64(u.CachedPromptTokens)*p.CachedInput +
		float64(u.CompletionTokens)*p.Output) / 1e6)
}

// appendCounts opens a usage object with u's three counts.
func appendCounts(dst []byte, u *llm.Usage) []byte {
	dst = append(dst, `{"prompt_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.PromptTokens), 10)
	dst = append(dst, `,"completion_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.CompletionTokens), 10)
	dst = append(dst, `,"total_tokens":`...)
	return strconv.AppendInt(dst, int64(u.TotalTokens), 10)
}

// appendHostUsage appends u in host's shape; model names the answer's
// model (OpenRouter's price).
func appendHostUsage(dst []byte, h usageHost, model string, u *llm.Usage) []byte {
	switch h {
	case hostDeepSeek:
		dst = appendCounts(dst, u)
		dst = append(dst, `,"prompt_cache_hit_tokens":`...)
		dst = strconv.AppendInt(dst, int64(u.CachedPromptTokens), 10)
		dst = append(dst, `,"prompt_cache_miss_tokens":`...)
		dst = strconv.AppendInt(dst, int64(u.PromptTokens-u.CachedPromptTokens), 10)
		if u.ReasoningTokens > 0 {
			dst = append(dst, `,"completion_tokens_details":{"reasoning_tokens":`...)
			dst = strconv.AppendInt(dst, int64(u.ReasoningTokens), 10)
			dst = append(dst, '}')
		}
		return append(dst, '}')
	case hostMoonshot:
		dst = appendCounts(dst, u)
		dst = append(dst, `,"cached_tokens":`...)
		dst = strconv.AppendInt(dst, int64(u.CachedPromptTokens), 10)
		return append(dst, '}')
	case hostOpenRouter:
		usd := strconv.FormatFloat(OpenRouterCost(model, u), 'g', -1, 64)
		dst = wire.AppendUsage(dst, u, usd)
		dst = dst[:len(dst)-1] // reopen the object for cost_details
		return append(dst, `,"is_byok":false,"cost_details":{"upstream_inference_cost":null}}`...)
	}
	return wire.AppendUsage(dst, u, "")
}

// withHostUsage returns body, a JSON document wire wrote with u as its
// usage, with that usage in host's shape instead.
func withHostUsage(body []byte, h usageHost, model string, u *llm.Usage) []byte {
	if h == hostOpenAI || u == nil {
		return body
	}
	openAI := wire.AppendUsage(nil, u, "")
	i := bytes.Index(body, openAI)
	if i < 0 {
		return body
	}
	out := append([]byte(nil), body[:i]...)
	out = appendHostUsage(out, h, model, u)
	return append(out, body[i+len(openAI):]...)
}
