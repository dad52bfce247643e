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
// adaptive. Where the per-turn efforts are sent in place (TurnControl)
// it is the top-level one, else the last per-turn one. A level the model
// lacks becomes the nearest it has (claudeLevel).
func claudeEffort(req *llm.Request) llm.Effort {
	e := req.OutputEffort
	if !TurnControl(req) {
		e = req.AnthropicEffort() // the last per-turn effort, where it is not sent in place
	}
	return claudeLevel(req, e)
}

// answerEffort is the effort the model answers req at, as sent: the last
// per-turn effort where one is set (in place or as the request's effort),
// else claudeEffort. The thinking sent is chosen for it (chooseThinking):
// the API checks a thinking type against the effort of the turn.
func answerEffort(req *llm.Request) llm.Effort {
	return claudeLevel(req, req.AnthropicEffort())
}

// claudeLevel is the level of e (else of the request's reasoning effort)
// that req's model takes: minimal and none are low; xhigh is max where
// there is no xhigh, high where there is no max either; "" for a model
// that takes no effort.
func claudeLevel(req *llm.Request, e llm.Effort) llm.Effort {
	levels := Efforts(req.ModelID())
	if levels == nil {
		return ""
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
