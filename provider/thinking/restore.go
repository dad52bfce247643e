package thinking

import "switchyard/llm"

// Restore returns msgs with the thinking kept in scope for the last
// assistant turn's tool calls put back on that turn, and true, when msgs
// end in a tool loop (tool results after the last assistant turn) whose
// last assistant turn made tool calls without thinking and the memory
// holds thinking for one of its calls. Otherwise it returns msgs itself
// and false. msgs is never modified: the result is a new slice with a
// copy of that turn.
func (m *Memory) Restore(scope string, msgs []llm.Message) ([]llm.Message, bool) {
	if m == nil {
		return msgs, false
	}
	a := unthoughtTurn(msgs)
	if a < 0 {
		return msgs, false
	}
	for _, tc := range msgs[a].ToolCalls() {
		blocks := m.recall(scope, tc.ID)
		if blocks == nil {
			continue
		}
		out := append([]llm.Message(nil), msgs...)
		out[a].SetThinking(blocks) // setExtra copies the turn's extra
		return out, true
	}
	return msgs, false
}

// unthoughtTurn returns the index of the last assistant turn when tool
// results follow it and it made tool calls without thinking, else -1.
func unthoughtTurn(msgs []llm.Message) int {
	results := false
	for i := len(msgs) - 1; i >= 0; i-- {
		switch m := &msgs[i]; m.Role {
		case llm.RoleTool:
			results = true
		case llm.RoleAssistant:
			if results && len(m.ToolCalls()) > 0 && len(m.Thinking()) == 0 {
				return i
			}
			return -1
		}
	}
	return -1
}
