package anthropic

import "switchyard/llm"

// The check of Validate on how tool_result blocks answer tool_use blocks.

// checkToolPairing requires every tool_result to answer a tool_use of the
// turn just before, once, and every tool_use to be answered in the next
// turn.
func checkToolPairing(turns []Message) *llm.Error {
	for i, m := range turns {
		// unanswered: the ids of the turn before's tool_use blocks, true
		// until a result answers them (a map, not a search of the results
		// before each one: that was quadratic in a turn's results).
		var unanswered map[string]bool
		if i > 0 && turns[i-1].Role == "assistant" {
			unanswered = toolUses(turns[i-1])
		}
		for j, b := range m.Content {
			if b.Type != BlockToolResult {
				continue
			}
			open, isUse := unanswered[b.ToolUseID]
			if !isUse {
				return rejectf("messages.%d.content.%d: unexpected `tool_use_id` found in `tool_result` blocks: %s. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.", i, j, b.ToolUseID)
			}
			if !open { // BerriAI/litellm#16711
				return rejectf("messages.%d.content.%d: each tool_use must have a single result. Found multiple `tool_result` blocks with id: %s", i, j, b.ToolUseID)
			}
			unanswered[b.ToolUseID] = false
		}
		if m.Role != "assistant" || i == len(turns)-1 {
			continue
		}
		answered := map[string]bool{}
		for _, b := range turns[i+1].Content {
			if b.Type == BlockToolResult {
				answered[b.ToolUseID] = true
			}
		}
		for id := range toolUses(m) {
			if !answered[id] {
				return rejectf("messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", i, id)
			}
		}
	}
	return nil
}

// toolUses returns the ids of m's tool_use blocks, each true; nil for none.
func toolUses(m Message) map[string]bool {
	var ids map[string]bool
	for _, b := range m.Content {
		if b.Type == BlockToolUse {
			if ids == nil {
				ids = map[string]bool{}
			}
			ids[b.ID] = true
		}
	}
	return ids
}
