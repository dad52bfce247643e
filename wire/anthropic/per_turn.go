package anthropic

import (
	"slices"

	"switchyard/llm"
)

// Per-turn control: a system message of messages (SystemMessageParam)
// carrying its own output_config, {"effort": …}, which applies from that
// turn on, so that an effort change is appended to the conversation
// instead of rewriting the top-level output_config the cached prefix
// depends on. Claude Code sends it, with the anthropic-beta
// PerTurnControlBeta, to the models its catalogue marks per_turn_effort
// (Traits.PerTurnEffort). The SDKs' BetaSystemMessageOutputConfig is the
// public record: effort alone (low, medium, high, xhigh, max, or null;
// format stays top-level), an empty {} taken on a message with content,
// a message with neither content nor output_config fields refused; they
// name the beta MidConversationOutputConfigBeta. Which beta the API
// requires, and its words for a model without per-turn effort, are not
// documented: the router takes either beta, refuses the field without one
// as the API refuses any field it does not know ("Extra inputs are not
// permitted"), and words the model refusal itself.

// PerTurnControlBeta is the beta Claude Code sends with per-turn
// output_config on system messages.
const PerTurnControlBeta = "per-turn-control-2026-07-01"

// MidConversationOutputConfigBeta is the SDKs' name of the beta of a
// system message's output_config.
const MidConversationOutputConfigBeta = "mid-conversation-output-config-2026-07-01"

// TurnOutputConfig is a system message's output_config: the effort from
// that turn on ("" for unset, as null is).
type TurnOutputConfig struct {
	Effort string `json:"effort,omitempty"`
}

// perTurnBeta reports whether betas hold a beta of per-turn control.
func perTurnBeta(betas []string) bool {
	return slices.Contains(betas, PerTurnControlBeta) || slices.Contains(betas, MidConversationOutputConfigBeta)
}

// checkTurnOutputConfig checks message i's output_config, as the API
// does: only on a system message, only under a per-turn beta, effort one
// of the levels.
func checkTurnOutputConfig(req *MessagesRequest, m *Message, i int) *llm.Error {
	oc := m.OutputConfig
	switch {
	case oc == nil:
		return nil
	case m.Role != "system" || !perTurnBeta(req.Betas):
		return rejectf("messages.%d.output_config: Extra inputs are not permitted", i)
	case oc.Effort != "" && !slices.Contains(effortsAll, llm.Effort(oc.Effort)):
		return rejectf("messages.%d.output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'", i)
	}
	return nil
}

// TurnEffortOf returns the effort of req's last system message that
// sets one (the effort from that turn on, so of the answer), "" for none.
func TurnEffortOf(req *MessagesRequest) llm.Effort {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if oc := req.Messages[i].OutputConfig; oc != nil && oc.Effort != "" && req.Messages[i].Role == "system" {
			return llm.Effort(oc.Effort)
		}
	}
	return ""
}

// turnEffortOnly reports whether system message m is an output_config
// with an effort and no content, which the API takes.
func turnEffortOnly(m *Message) bool {
	return len(m.Content) == 0 && m.OutputConfig != nil && m.OutputConfig.Effort != ""
}

// TurnControl reports whether a Claude deployment of req's model is sent
// req's per-turn efforts in place (llm.Message.TurnEffort): the model
// takes them (Traits.PerTurnEffort) and the client sent a per-turn beta.
// Otherwise the last of them is the request's effort (claudeEffort,
// llm.Request.AnthropicEffort).
func TurnControl(req *llm.Request) bool {
	return req.TurnEffort != "" && ModelTraits(req.ModelID()).PerTurnEffort && perTurnBeta(req.AnthropicBetas)
}

// withoutTurnBetas returns betas without the per-turn betas (betas
// itself when it has none), for a model that takes no per-turn effort.
func withoutTurnBetas(betas []string) []string {
	if !perTurnBeta(betas) {
		return betas
	}
	return slices.DeleteFunc(slices.Clone(betas), func(b string) bool {
		return b == PerTurnControlBeta || b == MidConversationOutputConfigBeta
	})
}
