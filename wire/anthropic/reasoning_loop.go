package anthropic

import "switchyard/llm"

// UnthoughtToolLoop reports whether msgs end in the middle of a tool loop
// (tool results after the last assistant turn) whose last assistant turn
// made tool calls without the thinking that led to them. Claude refuses
// such a request when it thinks ("a final assistant message must start
// with a thinking block"), so FromLLM sends it without thinking, as the
// API's error advises: a client that cannot carry Claude's thinking (Chat
// Completions, the Responses API) or a turn another provider answered
// leaves none to send back (another provider's thought summaries, which
// are unsigned, do not count: Claude cannot take them; nor, for a Claude
// model, does thinking another Anthropic-compatible host signed:
// ClaudeSignature).
func UnthoughtToolLoop(msgs []llm.Message) bool { return unthoughtToolLoop(msgs, &Traits{}) }

// unthoughtToolLoop is UnthoughtToolLoop for the model whose traits are t.
func unthoughtToolLoop(msgs []llm.Message, t *Traits) bool {
	results := false
	for i := len(msgs) - 1; i >= 0; i-- {
		m := &msgs[i]
		switch m.Role {
		case llm.RoleTool:
			results = true
		case llm.RoleAssistant:
			return results && len(m.ToolCalls()) > 0 && !signed(m.Thinking(), t)
		}
	}
	return false
}
