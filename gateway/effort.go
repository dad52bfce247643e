package gateway

import (
	"slices"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/openai"
)

// withEffortDial returns d marked llm.Deployment.EffortDial when its
// provider's kind is not Anthropic: its model's one reasoning dial
// (OpenAI's reasoning_effort, Gemini's thinking) is set by an Anthropic
// client's effort (llm.Request.DialReasoning). A Claude model takes the
// effort itself (output_config.effort).
func withEffortDial(d llm.Deployment, kind string) llm.Deployment {
	d.EffortDial = kind != config.KindAnthropic
	return d
}

// effortNamed returns out, the names droppedControls gives, with what
// of an Anthropic client's effort (llm.Request.AnthropicEffort) target t
// does not take. On a deployment with an effort dial the effort is
// mapped to the nearest level its model takes (openai.DeclaredEffort:
// its declared reasoning_efforts, else its id's; Gemini's levels and
// budgets) as on a Claude model, unnamed: the
// reasoning_effort a changed level is otherwise named is left out.
// "effort" is named where it reaches no dial: a deployment of another
// kind than Anthropic that is not marked with one or cannot reason, or a
// Grok that takes no reasoning_effort. A Claude model's are named by
// anthropic.ReasoningDrops.
func effortNamed(t *Target, req *llm.Request, out []string) []string {
	if t.Kind == config.KindAnthropic || req.AnthropicEffort() == "" {
		return out
	}
	d := &t.Deployment
	if d.EffortDial {
		out = slices.DeleteFunc(out, func(n string) bool { return n == openai.DroppedReasoningEffort })
	}
	if !d.EffortDial || !d.Has(llm.CapReasoning) || openai.GrokRefusedEffort(d.ModelID()) {
		out = append(out, "effort")
	}
	return out
}
