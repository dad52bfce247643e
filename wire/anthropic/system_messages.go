package anthropic

import "switchyard/llm"

// System messages inside messages: the SDKs' SystemMessageParam, which
// Claude Code sends (see RequestToLLM and convertMessages).

// checkSystemMessage checks a system message of messages (the API's
// SystemMessageParam): text blocks, each non-blank, and tool changes
// (tool_changes.go); no content at all when it carries an effort of its
// own (per_turn.go).
func checkSystemMessage(m *Message, i int) *llm.Error {
	if turnEffortOnly(m) {
		return nil
	}
	if len(m.Content) == 0 {
		return rejectf("messages.%d: all messages must have non-empty content except for the optional final assistant message", i)
	}
	for j := range m.Content {
		b := &m.Content[j]
		if isToolChange(b.Type) {
			continue // checked with the others (checkToolChanges)
		}
		if b.Type != BlockText {
			return rejectf("messages.%d.content.%d.type: system messages may only contain text blocks, not %s", i, j, b.Type)
		}
		if err := checkBlock(b, "system", i, j); err != nil {
			return err
		}
	}
	return nil
}

// Conversation returns msgs without their system messages (a new slice
// when there are any): the user and assistant turns the API pairs tool
// calls and results across.
func Conversation(msgs []Message) []Message {
	out := msgs
	for i := range msgs {
		if msgs[i].Role != "system" {
			if len(out) != len(msgs) {
				out = append(out, msgs[i])
			}
			continue
		}
		if len(out) == len(msgs) {
			out = append([]Message(nil), msgs[:i]...)
		}
	}
	return out
}
