package openai

import (
	"strings"

	"switchyard/llm"
)

// xAI's Grok models, served by the openai provider kind at api.x.ai (or
// a host naming them "x-ai/grok-4.3", "xai/grok-4.3", OCI's
// "xai.grok-4"), refuse parameters OpenAI's models take, with a 400 whose
// body is not OpenAI's error object: {"code":"Client specified an invalid
// argument","error":"Argument not supported on this model:
// presencePenalty"} up to 2025, {"code":"invalid-argument","error":"Model
// grok-4.6 does not support parameter stop."} in 2026. What each refuses,
// by the sources named on each row (docs/providers.md, "xAI's Grok
// models", has the table):
//
//   - presence_penalty and frequency_penalty, at any value 0 included:
//     "presencePenalty, frequencyPenalty and stop parameters are not
//     supported by reasoning models" (docs.x.ai, guides/reasoning); and
//     every Grok since Grok 4, its non-reasoning variants included
//     (lobehub/lobehub#13332 on grok-4-1-fast-non-reasoning,
//     miaoxworld/NativeTavern#83 on grok-4.6, 4.5, 4.3 and
//     grok-4.20-0309-non-reasoning with both at 0). Grok 3 refuses
//     presencePenalty (n4ze3m/page-assist#581, n8n-io/n8n#14581).
//   - stop: the reasoning models (the same guide; huggingface/smolagents#1765
//     on grok-4 and grok-3-mini, BerriAI/litellm#12635 on grok-4-0709,
//     lidge-jun/opencodex#5278 on grok-4.6, BerriAI/litellm-docs#817 on
//     grok-4.5); grok-3 and the -non-reasoning ids take it
//     (BerriAI/litellm#12635, langchain-ai/langchain#38335).
//   - reasoning_effort: taken by grok-3-mini (low, high: the guide),
//     grok-4.3 (none to xhigh, default low: docs.x.ai's model page),
//     grok-4.20-multi-agent (low to xhigh, the number of agents: 4 or 16;
//     enricoros/big-AGI#1104 quoting xAI's reasoning page), grok-4.5 (low
//     to high, default high) and grok-4.6 (low to xhigh)
//     (mnfst/modelparams.dev#330); refused by every other Grok, which
//     reasons without the dial or not at all ("Model grok-4-1-fast-reasoning
//     does not support parameter reasoningEffort.": NousResearch/hermes-agent
//     PR#23435's live matrix, BerriAI/litellm PR#16265, chenyme/grok2api#814,
//     neavo/LinguaGacha#771 on grok-4.20-0309-non-reasoning).
//
// logprobs is taken: xAI's reference documents it (top_logprobs 0 to 8)
// and no report has a Grok refuse it. A Grok id not in the table (a
// later release) is taken to refuse what every Grok since 4.3 refuses
// and to take reasoning_effort low, medium and high.

// grokParams is a set of the parameters a Grok model refuses.
type grokParams uint8

const (
	grokPresence grokParams = 1 << iota
	grokFrequency
	grokStop

	grokPenalties = grokPresence | grokFrequency
)

// grokRule is what the Grok models whose id starts with prefix refuse,
// the reasoning efforts they take, weakest first (nil: they refuse
// reasoning_effort), and whether they reason (all but Grok 2 and 3 and
// the -non-reasoning ids).
type grokRule struct {
	prefix  string
	refuses grokParams
	efforts []llm.Effort
	reasons bool
}

var (
	grokLowHigh   = []llm.Effort{llm.EffortLow, llm.EffortHigh}
	grokToHigh    = []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	grokToXHigh   = []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh}
	grokNoneXHigh = []llm.Effort{llm.EffortNone, llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh}
)

// grokRules, first match wins: a longer prefix before a shorter one.
var grokRules = []grokRule{
	{"grok-3-mini", grokPenalties | grokStop, grokLowHigh, true},
	{"grok-3", grokPresence, nil, false},
	{"grok-2", 0, nil, false},
	{"grok-4.20-multi-agent", grokPenalties | grokStop, grokToXHigh, true},
	{"grok-4.20", grokPenalties | grokStop, nil, true},
	{"grok-4.3", grokPenalties | grokStop, grokNoneXHigh, true},
	{"grok-4.5", grokPenalties | grokStop, grokToHigh, true},
	{"grok-4.6", grokPenalties | grokStop, grokToXHigh, true},
	{"grok-4.", grokPenalties | grokStop, grokToHigh, true}, // a later 4.x
	{"grok-4", grokPenalties | grokStop, nil, true},         // grok-4, -0709, -fast-*, -1-fast-*
	{"grok-code-fast", grokPenalties | grokStop, nil, true},
	{"grok-", grokPenalties | grokStop, grokToHigh, true}, // a later Grok
}

// grokRuleOf returns the rule of a Grok model id and whether it is one.
// A -non-reasoning id takes stop and does not reason.
func grokRuleOf(model string) (grokRule, bool) { return grokRuleOfID(modelID(model)) }

// grokRuleOfID is grokRuleOf of a model id (modelID).
func grokRuleOfID(m string) (grokRule, bool) {
	m = strings.TrimPrefix(m, "xai.")
	if !strings.HasPrefix(m, "grok-") {
		return grokRule{}, false
	}
	for _, r := range grokRules {
		if strings.HasPrefix(m, r.prefix) {
			if strings.Contains(m, "non-reasoning") {
				r.refuses &^= grokStop
				r.reasons = false
			}
			return r, true
		}
	}
	return grokRule{}, false // unreachable: "grok-" matches
}

// grokRuleFor is model's Grok rule (grokRuleOf) with the efforts its
// deployment declares (declared, nil for none) in place of the rule's:
// a Grok so declared takes reasoning_effort at those levels.
func grokRuleFor(model string, declared []llm.Effort) (grokRule, bool) {
	r, ok := grokRuleOf(model)
	if ok && declared != nil {
		r.efforts = declared
	}
	return r, ok
}

// GrokModel reports whether model is an id of xAI's Grok models, whose
// parameter rules (this file) replace OpenAI's.
func GrokModel(model string) bool {
	_, ok := grokRuleOf(model)
	return ok
}

// GrokReasons reports whether model is a Grok that reasons: every one
// but Grok 2, Grok 3 (not grok-3-mini) and the -non-reasoning ids, with
// the dial (GrokEfforts) or without it.
func GrokReasons(model string) bool {
	r, _ := grokRuleOf(model)
	return r.reasons
}

// GrokEfforts returns the reasoning efforts a Grok model takes, weakest
// first; nil for one that refuses reasoning_effort or is no Grok.
func GrokEfforts(model string) []llm.Effort {
	r, _ := grokRuleOf(model)
	return r.efforts
}

// GrokRefusedEffort reports whether a Grok model refuses reasoning_effort
// (it reasons without the dial, or not at all); false for another model.
func GrokRefusedEffort(model string) bool {
	r, ok := grokRuleOf(model)
	return ok && r.efforts == nil
}

// fixed returns the names of the hints of req the rule's model refuses
// and the adapter drops: reasoning_effort (when the model takes none),
// the penalties, in that order.
func (g grokRule) fixed(names []string, req *llm.Request) []string {
	if req.Reasoning != nil && g.efforts == nil {
		names = append(names, "reasoning_effort")
	}
	if req.PresencePenalty != nil && g.refuses&grokPresence != 0 {
		names = append(names, "presence_penalty")
	}
	if req.FrequencyPenalty != nil && g.refuses&grokFrequency != 0 {
		names = append(names, "frequency_penalty")
	}
	return names
}

// grokEffort returns r with its level made one the model takes (efforts,
// weakest first), by the rule every OpenAI-wire model's effort is mapped
// by (effortIn); r itself when its level is taken.
func grokEffort(r *llm.Reasoning, efforts []llm.Effort) *llm.Reasoning {
	lv := r.Level()
	if sent := effortIn(efforts, lv); sent != lv {
		return &llm.Reasoning{Effort: sent}
	}
	return r
}
