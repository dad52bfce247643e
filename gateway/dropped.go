package gateway

import (
	"slices"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider/customtool"
	"switchyard/route"
	"switchyard/wire/anthropic"
	"switchyard/wire/openai"
)

// answerNeutral are the Chat Completions fields the router does not model
// that change no answer: OpenAI's own bookkeeping (stored completions,
// prompt-cache routing, abuse ids) and the marker of max_completion_tokens,
// whose value is the modeled limit. Another kind's adapter leaves them out
// without naming them dropped.
var answerNeutral = []string{
	openai.ExtraMaxCompletionTokens, "store", "prompt_cache_key", "prompt_cache_retention", "safety_identifier",
}

// extraDropped names the fields of req.Extra (Chat Completions fields the
// router does not model, passed through verbatim to OpenAI and Azure) that
// a deployment of another kind answers without, in key order: all but the
// answer-neutral ones and those its adapter reads (Anthropic's thinking
// and top_k, web_search_options as Claude's web search; Gemini's web_search_options, as its googleSearch); and service_tier, when req asks for a tier and the
// deployment's provider does not take one (takesTier:
// config.Provider.TakesServiceTier); and grammar, when a custom tool has
// one and the deployment has no custom tools (provider/customtool).
func extraDropped(kind string, takesTier bool, req *llm.Request) []string {
	var out []string
	if req.ServiceTier != "" && !takesTier {
		out = append(out, "service_tier")
	}
	if kind != config.KindAnthropic {
		if req.ContextManagement != nil {
			out = append(out, "context_management")
		}
		if req.FallbackCredit != nil {
			out = append(out, "fallback_credit_token") // it means something to Anthropic alone
		}
	}
	if kind != config.KindOpenAI && kind != config.KindAzure && customtool.GrammarDropped(req) {
		out = append(out, "grammar") // a custom tool's: Claude and Gemini get a function tool
	}
	if kind == config.KindOpenAI || kind == config.KindAzure || len(req.Extra) == 0 {
		return out
	}
	for k := range req.Extra {
		switch {
		case slices.Contains(answerNeutral, k):
		case kind == config.KindAnthropic && (k == "thinking" || k == "top_k" || k == "web_search_options"): // the last as Claude's web search
		case kind == config.KindGemini && k == "web_search_options": // as Gemini's googleSearch
		default:
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// speedDropped names "speed" when req asks for speed fast (Anthropic's
// fast mode) and the deployment of kind running model does not serve it:
// any but a Claude deployment whose model has fast mode
// (anthropic.FastFactor), which is sent it. A preference, not a
// requirement: the request is answered at standard speed. An OpenAI
// client's service_tier "fast" is named by extraDropped where no tier is
// taken.
func speedDropped(kind, model string, req *llm.Request) []string {
	if req.Speed != llm.SpeedFast || kind == config.KindAnthropic && anthropic.FastFactor(model) > 0 {
		return nil
	}
	return []string{"speed"}
}

// cacheDropped names the explicit prompt caching of req that a
// deployment of kind running model leaves out: an OpenAI model before
// GPT-5.6 (openai.ExplicitCacheModel) or a Gemini one gets neither the
// parts' breakpoints ("prompt_cache_breakpoint", or "cache_control" for
// an Anthropic client's) nor prompt_cache_options. A Claude deployment
// takes the breakpoints (with its own lifetimes) and answers the same
// without the options, so nothing is named for it; nothing is named for
// what the client did not send.
func cacheDropped(kind, model string, req *llm.Request) []string {
	switch kind {
	case config.KindAnthropic:
		return nil
	case config.KindOpenAI, config.KindAzure:
		if openai.ExplicitCacheModel(model) {
			return nil
		}
	}
	var out []string
	if hasPartBreakpoint(req.Messages) {
		name := "prompt_cache_breakpoint"
		if req.ClientCaching {
			name = "cache_control"
		}
		out = append(out, name)
	}
	if !req.PromptCache.IsZero() {
		out = append(out, "prompt_cache_options")
	}
	return out
}

// hasPartBreakpoint reports whether a part of msgs carries a breakpoint.
func hasPartBreakpoint(msgs []llm.Message) bool {
	for i := range msgs {
		for j := range msgs[i].Content {
			if msgs[i].Content[j].Cache() != llm.NoCache {
				return true
			}
		}
	}
	return false
}

// hostedDropped names the hosted tools the plan left out of what the
// deployment named dep was sent, the optional ones it cannot run
// (route.Candidate.DroppedHosted: a route's hosted_tools drop_optional):
// "web_search".
func hostedDropped(plan *route.Plan, dep string) []string {
	for i := range plan.Tiers {
		for j := range plan.Tiers[i].Candidates {
			if c := &plan.Tiers[i].Candidates[j]; c.Deployment.Name == dep {
				return c.DroppedHosted.Names()
			}
		}
	}
	return nil
}

// explainDropped notes on each candidate of plan, for the dry run's
// explanation, what its attempt of req would leave out, as the
// request's own x-switchyard-route names it (dropped=, summarize): the
// optional hosted tools it cannot run, then the controls its adapter
// drops.
func (g *Gateway) explainDropped(plan *route.Plan, req *llm.Request) {
	for i := range plan.Tiers {
		for j := range plan.Tiers[i].Candidates {
			c := &plan.Tiers[i].Candidates[j]
			c.Dropped = append(c.DroppedHosted.Names(), droppedControls(g.byName[c.Deployment.Name], req)...)
		}
	}
}
