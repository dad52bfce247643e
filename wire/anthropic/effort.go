package anthropic

import (
	"slices"

	"switchyard/llm"
)

// Claude's effort (output_config.effort): how many tokens the model
// spends on the whole answer — thinking, text and tool calls — its
// default (Traits.DefaultEffort: high, medium on Opus 5.5 and Haiku 5.5)
// the same as none. The levels each model takes, from Anthropic's effort
// page as peers record it: Opus 4.5 low, medium and high; Opus and Sonnet
// 4.6 add max; Opus 4.7 and later, and every model of generation 5 (Haiku
// 5.5 included), add xhigh; earlier models, Sonnet 4.5 and Haiku 4.5 take
// none and refuse the field.
var (
	effortsOpus45 = []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	efforts46     = []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortMax}
	effortsAll    = []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh, llm.EffortMax}
)

// Efforts returns the effort levels model takes, weakest first; nil when
// it takes no effort at all (ModelTraits).
func Efforts(model string) []llm.Effort {
	return ModelTraits(model).Efforts
}

// claudeEffort returns the output_config.effort to send model for req,
// or "" for none: an Anthropic client's own effort, else the level of the
// request's reasoning effort (OpenAI's reasoning_effort), so that an
// OpenAI client's "low" spends less on a model whose thinking is
// adaptive. A level the model lacks becomes the nearest it has (minimal
// and none are low; xhigh is max where there is no xhigh, high where
// there is no max either).
func claudeEffort(req *llm.Request) llm.Effort {
	levels := Efforts(req.ModelID())
	if levels == nil {
		return ""
	}
	e := req.OutputEffort
	if !TurnControl(req) {
		e = requestEffort(req) // the last per-turn effort, where it is not sent in place
	}
	if e == "" && req.Reasoning != nil {
		e = req.Reasoning.Effort
	}
	switch e {
	case "":
		return ""
	case llm.EffortNone, llm.EffortMinimal:
		return llm.EffortLow
	}
	for !slices.Contains(levels, e) {
		switch e {
		case llm.EffortXHigh:
			e = llm.EffortMax
		case llm.EffortMax:
			e = llm.EffortHigh
		default:
			return ""
		}
	}
	return e
}

// applyEffort sets out's output_config.effort (claudeEffort).
func applyEffort(out *MessagesRequest, req *llm.Request) {
	e := claudeEffort(req)
	if e == "" {
		return
	}
	if out.OutputConfig == nil {
		out.OutputConfig = &OutputConfig{}
	}
	out.OutputConfig.Effort = string(e)
}
