package openai

import (
	"maps"
	"strconv"
	"strings"

	"switchyard/llm"
)

// This file says which sampling parameters OpenAI's reasoning models take
// (docs/providers.md, "OpenAI's reasoning models", has the sources): they
// answer 400 to a temperature or top_p other than 1 ("Only the default
// (1) value is supported.", code unsupported_value) and to penalties,
// logit_bias and logprobs ("Unsupported parameter: 'X' is not supported
// with this model.", code unsupported_parameter); o3, o4-mini, codex-mini
// and GPT-5 refuse stop as well. GPT-5.1 and later (not their codex, pro
// and chat variants) take temperature, top_p, logprobs and stop at
// reasoning_effort none, the default up to GPT-5.5 (GPT-5.6 and GPT-6
// default to medium, so a request that asks no effort is refused them).

// Sampling is which sampling parameters an OpenAI model takes.
type Sampling uint8

// The sampling classes.
const (
	// SamplingAny takes every sampling parameter at any valid value: the
	// GPT-4 family, gpt-5-chat-latest, gpt-oss and any unknown id.
	SamplingAny Sampling = iota
	// SamplingDefault takes only the defaults: temperature and top_p 1,
	// no penalties, logit_bias or logprobs.
	SamplingDefault
	// SamplingUnlessNone is SamplingDefault except at reasoning_effort
	// none (the default of these models), where it is SamplingAny.
	SamplingUnlessNone
)

// SamplingOf returns the sampling class of an OpenAI model id, read as
// ReasoningModel reads it: the o-series (o1-mini and o1-preview
// included: they take no reasoning_effort but refuse sampling too),
// GPT-5, its mini, nano, pro and codex variants, the chat variants from
// GPT-5.1 (gpt-5.1-chat-latest) and codex-mini are SamplingDefault;
// GPT-5.1 and later otherwise SamplingUnlessNone. gpt-oss, which
// OpenAI-compatible hosts serve, takes sampling like any open model.
func SamplingOf(model string) Sampling {
	m := modelID(model)
	switch {
	case oSeries(m), strings.HasPrefix(m, "codex-mini"):
		return SamplingDefault
	case !strings.HasPrefix(m, "gpt-"):
		return SamplingAny
	}
	version, rest, _ := strings.Cut(m[len("gpt-"):], "-")
	major, minor, ok := gptVersion(version)
	switch {
	case !ok || major < 5:
		return SamplingAny
	case major == 5 && minor == 0:
		if strings.Contains(rest, "chat") {
			return SamplingAny
		}
		return SamplingDefault
	case strings.Contains(rest, "chat"), strings.Contains(rest, "codex"), strings.Contains(rest, "pro"):
		return SamplingDefault
	}
	return SamplingUnlessNone
}

// DefaultSampling reports whether an OpenAI model takes only default
// sampling for a request with reasoning r (nil: none asked) on a
// deployment that declares the levels declared (nil for none: the model
// id's), at the level sent (DeclaredEffort). It allocates nothing.
func DefaultSampling(model string, declared []llm.Effort, r *llm.Reasoning) bool {
	switch SamplingOf(model) {
	case SamplingDefault:
		return true
	case SamplingUnlessNone:
		return !effortNone(model, declared, r)
	}
	return false
}

// RefusesStop reports whether an OpenAI model refuses stop for a request
// with reasoning r on a deployment declaring declared (DefaultSampling):
// o3 (not o3-mini, which takes it, as o1 does), o4-mini,
// codex-mini and GPT-5, and GPT-5.1 and later unless at effort none; a
// Grok model by its rule (grok.go).
func RefusesStop(model string, declared []llm.Effort, r *llm.Reasoning) bool {
	if g, ok := grokRuleOf(model); ok {
		return g.refuses&grokStop != 0
	}
	m := modelID(model)
	if oSeries(m) {
		return strings.HasPrefix(m, "o4") || strings.HasPrefix(m, "o3") && !strings.HasPrefix(m, "o3-mini")
	}
	return DefaultSampling(model, declared, r)
}

// RefusesLogprobs reports whether an OpenAI model refuses logprobs (and
// top_logprobs) for a request with reasoning r on a deployment declaring
// declared (DefaultSampling).
func RefusesLogprobs(model string, declared []llm.Effort, r *llm.Reasoning) bool {
	return DefaultSampling(model, declared, r)
}

// effortNone reports whether r leaves a GPT-5.1 or later model at effort
// none: the effort asked as the adapter sends it (DeclaredEffort: none
// asked of GPT-6.1 Sol is sent low, unless its deployment declares none;
// none asked of GPT-5.1 declaring low to high is sent low), or without one the model's default — none
// for GPT-5.1 to 5.5, medium (or no none at all) for GPT-5.6 and GPT-6
// (DefaultsToEffortNone).
func effortNone(model string, declared []llm.Effort, r *llm.Reasoning) bool {
	if r == nil {
		return DefaultsToEffortNone(model)
	}
	return DeclaredEffort(model, declared, r.Level()) == llm.EffortNone
}

// FixedSampling returns the names of the sampling hints of req that model
// would refuse and the adapter drops or changes (DropFixedSampling):
// reasoning_effort, when the model does not take the level asked
// (DeclaredEffort: its deployment's declared levels, else its id's; the
// rules below read the level sent), parallel_tool_calls (RefusesParallelToolCalls),
// temperature and top_p other than 1, the penalties and logit_bias, in
// that order — for a Grok model what its rule names (grok.go:
// reasoning_effort, the penalties); nil for a model that takes them.
func FixedSampling(model string, req *llm.Request) []string {
	g, grok := grokRuleFor(model, req.ReasoningEfforts)
	return fixedSampling(model, g, grok, req)
}

// fixedSampling is FixedSampling with model's Grok rule looked up.
func fixedSampling(model string, g grokRule, grok bool, req *llm.Request) []string {
	var names []string
	if effortChanged(model, req.ReasoningEfforts, req.Reasoning) {
		names = append(names, DroppedReasoningEffort)
	}
	if req.ParallelToolCalls != nil && RefusesParallelToolCalls(model) {
		names = append(names, "parallel_tool_calls")
	}
	if grok {
		return g.fixed(names, req)
	}
	if !DefaultSampling(model, req.ReasoningEfforts, req.Reasoning) {
		return names
	}
	if t := req.Temperature; t != nil && *t != 1 {
		names = append(names, "temperature")
	}
	if p := req.TopP; p != nil && *p != 1 {
		names = append(names, "top_p")
	}
	if req.PresencePenalty != nil {
		names = append(names, "presence_penalty")
	}
	if req.FrequencyPenalty != nil {
		names = append(names, "frequency_penalty")
	}
	if _, ok := req.Extra[ExtraLogitBias]; ok {
		names = append(names, ExtraLogitBias)
	}
	return names
}

// ExtraLogitBias is the Extra key of logit_bias, which the router does
// not model.
const ExtraLogitBias = "logit_bias"

// DropFixedSampling removes from req the hints FixedSampling names for
// req.ModelID() and returns their names: the reasoning effort an OpenAI
// model does not take changed to one it does (DeclaredEffort: one its
// deployment declares, else one its id has; OpenRouter's reasoning
// object's effort too, openRouterLevel), a Grok
// model's dropped where it has no dial, else made the nearest it takes.
// req is changed in place (Extra is copied first); stop and logprobs are
// never dropped (the router does not send a request that has them to a
// model that refuses them).
func DropFixedSampling(req *llm.Request) []string {
	model := req.ModelID()
	g, grok := grokRuleFor(model, req.ReasoningEfforts)
	names := fixedSampling(model, g, grok, req)
	if grok && req.Reasoning != nil && g.efforts != nil {
		req.Reasoning = grokEffort(req.Reasoning, g.efforts)
	}
	for _, n := range names {
		switch n {
		case DroppedReasoningEffort:
			if grok && g.efforts == nil {
				req.Reasoning = nil // a Grok without the dial (grok.go)
			} else {
				req.Reasoning, _ = sentReasoning(model, req.ReasoningEfforts, req.Reasoning)
				req.OpenRouterReasoning = openRouterLevel(req.OpenRouterReasoning, req.Reasoning.Level())
			}
		case "parallel_tool_calls":
			req.ParallelToolCalls = nil
		case "temperature":
			req.Temperature = nil
		case "top_p":
			req.TopP = nil
		case "presence_penalty":
			req.PresencePenalty = nil
		case "frequency_penalty":
			req.FrequencyPenalty = nil
		case ExtraLogitBias:
			req.Extra = maps.Clone(req.Extra)
			delete(req.Extra, ExtraLogitBias)
		}
	}
	return names
}

// modelID is the model id lowercased, less a host's "vendor/" prefix.
// The prefix is cut first, so that only the id is lowercased (the same
// result: no rune lowercases to or from '/'; FuzzModelID); it allocates
// only for an id with an upper-case letter.
func modelID(model string) string {
	if i := strings.LastIndexByte(model, '/'); i >= 0 {
		model = model[i+1:]
	}
	return strings.ToLower(model)
}

// oSeries reports whether a model id (modelID) is an o-series one: o1,
// o3-mini, o4-mini-2025-04-16…
func oSeries(m string) bool {
	return len(m) >= 2 && m[0] == 'o' && m[1] >= '1' && m[1] <= '9' && (len(m) == 2 || m[2] == '-')
}

// gptVersion reads the version of a GPT model id: "5" is 5.0, "5.1" 5.1,
// "4o" is not a version. It allocates nothing (no strconv error for the
// ids that are not versions), as it runs on every answer's model.
func gptVersion(v string) (major, minor int, ok bool) {
	ma, mi, dotted := strings.Cut(v, ".")
	if len(ma) != 1 || !allDigits(ma) || dotted && !allDigits(mi) {
		return 0, 0, false
	}
	major = int(ma[0] - '0')
	if dotted {
		var err error
		if minor, err = strconv.Atoi(mi); err != nil {
			return 0, 0, false
		}
	}
	return major, minor, true
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
