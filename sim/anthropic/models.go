package anthropic

import (
	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file refuses, as the API does, what a Claude model of generation 5
// (and Opus 4.7 and later) refuses that earlier ones took: by the model's
// row of wire.ModelTraits. The messages are Anthropic's where its
// documentation quotes them (What's new in Claude Opus 5.5, Sonnet 5.5,
// Fable 5.1; the Sonnet 5.5 migration guide); the sampling ones as the
// API is reported to word them for temperature; the rest (disabled at
// xhigh, between_tools where it is not taken) are ours, in the same shape.

// The API's messages.
const (
	msgDisabledAdaptive = `"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
	msgDisabledBetween  = `"thinking.type.disabled" is not supported for this model. Use "thinking.type.between_tools" for the lowest thinking setting, or "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
	msgEnabled          = `"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
	msgForcedTool       = `tool_choice: type "tool" and "any" are not supported for this model.`
	msgPrefill          = "This model does not support assistant message prefill. The conversation must end with a user message."
	// Ours: Anthropic documents the refusals, not their words.
	msgBetweenTools       = `"thinking.type.between_tools" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
	msgBetweenToolsEffort = `"thinking.type.between_tools" is not supported at effort %q. Use "thinking.type.adaptive" to run at "xhigh" or "max".`
	msgDisabledEffort     = `"thinking.type.disabled" is not supported at effort %q on this model. Use effort "high" or below, or "thinking.type.adaptive".`
	// The data-residency page says a legacy model answers inference_geo
	// with a 400, not in which words.
	// Opus 4.1 to Opus and Sonnet 4.6 (wire.Traits.OneSampler), whatever
	// the values: peers' issue threads quote it.
	msgOneSampler   = "`temperature` and `top_p` cannot both be specified for this model. Please use only one."
	msgInferenceGeo = "inference_geo: is not supported for this model. Use Claude Opus 4.6, Claude Sonnet 4.6 or a later model, or omit inference_geo."
	// The fast-mode pages say the API rejects speed fast on a model
	// without fast mode, not in which words.
	msgSpeed = `speed: fast mode is not supported for this model. Use Claude Opus 5.5, Claude Fable 5.2 or Claude Mythos 5.2, or omit speed.`
)

// checkModel refuses what model p refuses of req: an inference_geo
// other than global and us, or any on a model before Opus and Sonnet 4.6
// (data residency); a speed other than standard and fast, or fast on a
// model without fast mode (wire.Traits.Fast); its thinking type (checkThinkingModel), a
// non-default sampling field, temperature and top_p together on a model
// that takes only one, a forced tool choice, and a prefill.
func checkModel(req *wire.MessagesRequest, p *sim.Profile) *apiError {
	t := wire.ModelTraits(p.Model)
	if g := req.InferenceGeo; g != "" {
		if _, err := wire.InferenceGeoToLLM(g); err != nil {
			return refused(err)
		}
		if !t.InferenceGeo {
			return invalid(msgInferenceGeo)
		}
	}
	if sp := req.Speed; sp != "" {
		if _, err := wire.SpeedToLLM(sp); err != nil {
			return refused(err)
		}
		if sp == wire.SpeedFast && t.Fast == 0 {
			return invalid(msgSpeed)
		}
	}
	if e := checkThinkingModel(req, p.Model, &t); e != nil {
		return e
	}
	if t.NoSampling {
		switch {
		case req.Temperature != nil && *req.Temperature != 1:
			return invalid("`temperature` is deprecated for this model.")
		case req.TopP != nil && *req.TopP != 1:
			return invalid("`top_p` is deprecated for this model.")
		case req.TopK != nil:
			return invalid("`top_k` is deprecated for this model.")
		}
	}
	if t.OneSampler && req.Temperature != nil && req.TopP != nil {
		return invalid(msgOneSampler)
	}
	if tc := req.ToolChoice; t.NoForcedTool && tc != nil && (tc.Type == wire.ToolChoiceAny || tc.Type == wire.ToolChoiceTool) {
		return invalid(msgForcedTool)
	}
	if n := len(req.Messages); t.NoPrefill && n > 0 && req.Messages[n-1].Role == "assistant" {
		return invalid(msgPrefill)
	}
	return nil
}

// checkThinkingModel rejects thinking the model cannot do: any thinking
// on a model without extended thinking, adaptive on a model before 4.6,
// budget_tokens on a model that takes only adaptive, disabled on one that
// cannot stop thinking (or above effort high, where it may only then),
// and between_tools on a model without it or above effort high.
func checkThinkingModel(req *wire.MessagesRequest, model string, t *wire.Traits) *apiError {
	th := req.Thinking
	if th == nil {
		return nil
	}
	effort := t.DefaultEffort
	if oc := req.OutputConfig; oc != nil && oc.Effort != "" {
		effort = llm.Effort(oc.Effort)
	}
	if e := wire.TurnEffortOf(req); e != "" {
		effort = e // the last per-turn effort is the answer's
	}
	switch th.Type {
	case wire.ThinkingDisabled:
		switch {
		case !t.Thinks || t.TakesEffort(effort, wire.ThinkingDisabled):
			return nil
		case t.Disable == wire.DisableUpToHigh:
			return invalid(msgDisabledEffort, effort)
		case t.BetweenTools:
			return invalid(msgDisabledBetween)
		}
		return invalid(msgDisabledAdaptive)
	case wire.ThinkingBetweenTools:
		switch {
		case !t.BetweenTools:
			return invalid(msgBetweenTools)
		case !t.TakesEffort(effort, wire.ThinkingBetweenTools):
			return invalid(msgBetweenToolsEffort, effort)
		}
		return nil
	}
	switch {
	case !t.Thinks:
		return invalid("thinking: %s does not support extended thinking", model)
	case th.Type == wire.ThinkingAdaptive && !t.Adaptive:
		return invalid("thinking.type: 'adaptive' is not supported for %s. Use 'enabled' with budget_tokens", model)
	case th.Type == wire.ThinkingEnabled && !t.Budget:
		return invalid(msgEnabled)
	}
	return nil
}
