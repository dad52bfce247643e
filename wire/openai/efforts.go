package openai

import (
	"slices"
	"strings"

	"switchyard/llm"
)

// This file says which reasoning efforts each OpenAI model takes, and
// which one the adapter sends for the one a request asks: the router, not
// the client, chooses the model, so a level the model refuses (OpenAI
// answers 400 "Unsupported value: 'reasoning_effort' does not support
// 'none' with this model. Supported values are: 'minimal', 'low',
// 'medium', and 'high'.", code unsupported_value) becomes the nearest one
// it takes, and x-switchyard-route names reasoning_effort dropped. The
// table, weakest first, and where each row comes from (docs/providers.md,
// "Reasoning effort by model", has it too):
//   - o1, o3-mini, o3, o3-pro, o4-mini, codex-mini: low, medium, high
//     (the Azure OpenAI ReasoningEffort enum, "o-series models only";
//     openai-tools' table; enricoros/big-AGI#940: o1 refuses xhigh,
//     minimal and none on OpenAI's own API).
//   - gpt-5, gpt-5-mini, gpt-5-nano: minimal, low, medium, high
//     (Kilo-Org/cloud#3807 and kaitranntt/ccs#344 quote the 400 listing
//     them; "All models before gpt-5.1 ... do not support none", the
//     spec's ReasoningEffort). gpt-5-codex: low, medium, high
//     (CherryHQ/cherry-studio#10430). gpt-5-pro: high alone (the spec:
//     "defaults to (and only supports) high"; anomalyco/models.dev#331).
//   - gpt-5.1: none, low, medium, high (the spec; anomalyco/opencode#4451
//     quotes the 400). gpt-5.1-codex: low, medium, high (openai/codex#6647
//     quotes the 400); gpt-5.1-codex-mini: medium, high
//     (ben-vargas/ai-sdk-provider-codex-cli#8, CLIProxyAPI#249);
//     gpt-5.1-codex-max: low to xhigh (openai/codex#7449; one table,
//     claude-task-master#1508, adds none: not followed, as no codex model
//     is documented to take none).
//   - gpt-5.2 to gpt-5.5 (mini and nano too): none, low, medium, high,
//     xhigh (earendil-works/pi#1334 quotes the 400 for gpt-5.2;
//     anomalyco/models.dev#2296 for 5.2, 5.4 and its mini and nano;
//     anomalyco/opencode#26268 for 5.5); their codex models (5.2, 5.3):
//     low to xhigh (models.dev#2296); their pro models: medium, high,
//     xhigh (claude-task-master#1508 for 5.2-pro, models.dev#2296 for
//     5.4-pro and 5.5-pro). gpt-5.3 (not codex) is not documented and is
//     taken as 5.2, and a codex model after 5.3 as 5.3-codex.
//   - gpt-5.6 (sol, terra, luna), gpt-6-sol, gpt-6-luna, gpt-6.1-terra:
//     none, low, medium, high, xhigh, max (the API reference's
//     reasoning_options for gpt-5.6-terra, anomalyco/opencode#36141; the
//     GPT-6 Sol and Luna model pages as Oxen's docs quote them; Comfy's
//     OpenAI node docs list all of these). A pro id from 5.6 on is not
//     documented (5.6 Sol's pro is a reasoning mode): its version's row.
//   - gpt-6-astra, gpt-6.1-sol, gpt-6.2 (sol, astra): low, medium, high,
//     xhigh, max (Astra's model page as Oxen's docs quote it; 6.1 Sol's
//     migration table, "GPT-6.1 Sol does not accept none or minimal",
//     as apidog's measurement and AIHubMix quote it; GPT-6.2 Sol's model
//     page: "The API rejects requests that set reasoning effort to none";
//     Comfy's docs). The other GPT-6.2 models and any later GPT are not
//     documented and take the newest row (refusesEffortNone).
//   - gpt-oss (as OpenAI-compatible hosts serve it): low, medium, high
//     (its model card; llm-jp/llm-jp-judge#56 measured vLLM's 400 for any
//     other value).
//   - Chat variants (gpt-5-chat-latest…), GPT-4 and earlier, o1-mini,
//     o1-preview and any unknown id: nil (they take none, or what they
//     take is not known; the dispatcher sends no effort to a deployment
//     without capability reasoning). One declared reasoning is sent the
//     nearest of low, medium and high (sentEfforts), the levels every
//     reasoning model on OpenAI's wire takes (vLLM, for one, refuses any
//     other for gpt-oss), but for a model whose levels are its own: a
//     Grok (grok.go), a DeepSeek thinking model (every level, mapped to
//     its own) and a Qwen model (its thinking switch reads the level,
//     SetQwenThinking), sent as asked.
//
// A deployment that declares its model's levels (config
// reasoning_efforts, llm.Request.ReasoningEfforts) is sent the nearest of
// those instead, by the same rule (DeclaredEffort).

// The effort rows, weakest first. They are shared: never modify one.
var (
	effortsLowHigh   = []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	effortsGPT5      = []llm.Effort{llm.EffortMinimal, llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	effortsHighOnly  = []llm.Effort{llm.EffortHigh}
	effortsGPT51     = []llm.Effort{llm.EffortNone, llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	effortsMedHigh   = []llm.Effort{llm.EffortMedium, llm.EffortHigh}
	effortsLowXHigh  = []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh}
	effortsPro       = []llm.Effort{llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh}
	effortsNoneXHigh = []llm.Effort{llm.EffortNone, llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh}
	effortsNoneMax   = []llm.Effort{llm.EffortNone, llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh, llm.EffortMax}
	effortsLowMax    = []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh, llm.EffortMax}
)

// Efforts returns the reasoning efforts an OpenAI model takes, weakest
// first, as the file comment lists them; nil for a model that takes no
// effort or whose efforts are not known (the effort is then sent as
// asked). Dated snapshots and a vendor prefix count as their model. The
// slice is shared: the caller must not modify it. It allocates nothing.
func Efforts(model string) []llm.Effort { return efforts(modelID(model)) }

// efforts is Efforts of a model id (modelID).
func efforts(m string) []llm.Effort {
	switch {
	case !reasoningModel(m):
		return nil
	case oSeries(m), strings.HasPrefix(m, "codex-mini"):
		return effortsLowHigh
	}
	version, rest, _ := strings.Cut(m[len("gpt-"):], "-")
	if version == "oss" {
		return effortsLowHigh
	}
	major, minor, _ := gptVersion(version) // ReasoningModel: GPT-5 or later
	tier, _, _ := strings.Cut(rest, "-")
	switch {
	case tier == "codex":
		return codexEfforts(major, minor, rest)
	case tier == "pro" && major == 5 && minor == 0:
		return effortsHighOnly
	case tier == "pro" && major == 5 && minor < 6:
		return effortsPro
	case major == 5:
		return gpt5Efforts(minor)
	case refusesEffortNone(major, minor, rest):
		return effortsLowMax
	}
	return effortsNoneMax
}

// gpt5Efforts is the row of a GPT-5.x model that is not codex or pro.
func gpt5Efforts(minor int) []llm.Effort {
	switch {
	case minor == 0:
		return effortsGPT5
	case minor == 1:
		return effortsGPT51
	case minor < 6:
		return effortsNoneXHigh
	}
	return effortsNoneMax
}

// codexEfforts is the row of a codex model (rest is the id after its
// version: "codex-max").
func codexEfforts(major, minor int, rest string) []llm.Effort {
	switch {
	case major == 5 && minor == 0:
		return effortsLowHigh
	case major == 5 && minor == 1 && strings.HasPrefix(rest, "codex-max"):
		return effortsLowXHigh
	case major == 5 && minor == 1 && strings.HasPrefix(rest, "codex-mini"):
		return effortsMedHigh
	case major == 5 && minor == 1:
		return effortsLowHigh
	}
	return effortsLowXHigh
}

// SentEffort returns the reasoning effort the adapter sends model for a
// request that asks asked: asked itself when the model takes it (or its
// levels are its own, sentEfforts nil, or asked is ""), else the strongest
// level the model takes that is not stronger than asked, else its
// weakest. So none becomes the model's weakest (minimal on GPT-5, low on
// GPT-6.1 Sol), minimal becomes none where none is taken (GPT-5.1 and
// later) and the weakest elsewhere, xhigh and max the strongest (high on
// o4-mini), and medium on gpt-5-pro high. It allocates nothing.
func SentEffort(model string, asked llm.Effort) llm.Effort {
	return effortIn(sentEfforts(model), asked)
}

// DeclaredEffort is SentEffort for a deployment that declares the
// levels its model takes (declared, weakest first: its config
// reasoning_efforts, llm.Request.ReasoningEfforts): the nearest of them
// by the same rule, in place of the model id's; SentEffort's when
// declared is nil. So none declared nowhere becomes the weakest declared.
// It allocates nothing.
func DeclaredEffort(model string, declared []llm.Effort, asked llm.Effort) llm.Effort {
	if declared != nil {
		return effortIn(declared, asked)
	}
	return SentEffort(model, asked)
}

// declaredEffort is DeclaredEffort of a model id (modelID). An asked
// level no row ranks ("", or unknown) is sent as asked (effortIn), so the
// model's row is not looked up for it.
func declaredEffort(m string, declared []llm.Effort, asked llm.Effort) llm.Effort {
	switch {
	case effortRank(asked) < 0:
		return asked
	case declared != nil:
		return effortIn(declared, asked)
	}
	return effortIn(sentEffortsOf(m), asked)
}

// sentEfforts is the row SentEffort maps an effort into: the model's
// (Efforts); for a model whose levels are not known, the common low,
// medium and high (effortsLowHigh), except a model whose levels are its
// own — a Grok, a DeepSeek thinking model, a Qwen model — nil, as asked.
// It allocates nothing.
func sentEfforts(model string) []llm.Effort { return sentEffortsOf(modelID(model)) }

// sentEffortsOf is sentEfforts of a model id (modelID).
func sentEffortsOf(m string) []llm.Effort {
	if e := efforts(m); e != nil {
		return e
	}
	if _, grok := grokRuleOfID(m); grok || deepSeekThinksByDefault(m) || qwenMode(m) != QwenNoThinking {
		return nil
	}
	return effortsLowHigh
}

// effortIn is the level of levels (weakest first; nil: any) sent for
// asked, by SentEffort's rule: asked when taken, else the strongest level
// not stronger than asked, else the weakest. Every OpenAI-wire model's
// effort is mapped by it (Grok's too, grokEffort).
func effortIn(levels []llm.Effort, asked llm.Effort) llm.Effort {
	rank := effortRank(asked)
	if levels == nil || rank < 0 || slices.Contains(levels, asked) {
		return asked
	}
	sent := levels[0]
	for _, l := range levels[1:] {
		if effortRank(l) <= rank {
			sent = l
		}
	}
	return sent
}

// effortRank is the place of e on OpenAI's scale (llm.EffortRank).
func effortRank(e llm.Effort) int { return llm.EffortRank(e) }

// DroppedReasoningEffort is the name x-switchyard-route's dropped= gives a
// reasoning effort the adapter changed to one the model takes
// (SentEffort), on Chat Completions and on the Responses API alike.
const DroppedReasoningEffort = "reasoning_effort"

// effortChanged reports whether the adapter sends model (whose
// deployment declares the levels declared, nil for none) another level
// than r's (DeclaredEffort); false for nil. It allocates nothing.
func effortChanged(model string, declared []llm.Effort, r *llm.Reasoning) bool {
	return r != nil && DeclaredEffort(model, declared, r.Level()) != r.Level()
}

// sentReasoning returns r as the adapter sends it to model (whose
// deployment declares the levels declared, nil for none): r itself
// when the model takes its level (llm.Reasoning.Level), else a copy
// asking the level DeclaredEffort gives, and true.
func sentReasoning(model string, declared []llm.Effort, r *llm.Reasoning) (*llm.Reasoning, bool) {
	if r == nil {
		return nil, false
	}
	asked := r.Level()
	sent := DeclaredEffort(model, declared, asked)
	if sent == asked {
		return r, false
	}
	a := *r
	a.Effort, a.BudgetTokens, a.Adaptive, a.BetweenTools = sent, 0, false, false
	return &a, true
}
