package anthropic

import (
	"strings"

	"switchyard/llm"
	wire "switchyard/wire/anthropic"
)

// ConversationError checks a Messages request as the API does
// (wire.Validate: roles, content blocks, the pairing of tool_use and
// tool_result blocks, …) and rules of the conversation's shape besides:
// a thinking request in a tool loop sends back the thinking that led to
// its calls (checkThinkingToolLoop); in a user turn answering tool calls the tool_result blocks come
// first (Anthropic's tool use guide: "tool_result blocks must come FIRST
// in the content array"; text before them is refused as results missing
// "immediately after"), and a final assistant turn does not end with
// whitespace ("messages: final assistant content cannot end with trailing
// whitespace", which peers hit: tailcallhq/forgecode#1872). It returns
// nil for a valid request, else an *llm.Error worded as the API words it.
// The simulator refuses what it refuses; tests of the router's
// translation call it directly.
func ConversationError(req *wire.MessagesRequest) *llm.Error {
	if err := wire.Validate(req); err != nil {
		return llm.AsError(err)
	}
	turns := wire.MergeTurns(wire.Conversation(req.Messages))
	for i := 1; i < len(turns); i++ {
		if turns[i].Role != "user" || turns[i-1].Role != "assistant" {
			continue
		}
		if id := resultAfterOther(turns[i].Content); id != "" {
			return llm.Errorf(llm.KindInvalidRequest, "messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", i-1, id)
		}
	}
	if e := checkThinkingToolLoop(req); e != nil {
		return llm.Errorf(llm.KindInvalidRequest, "%s", e.msg)
	}
	if n := len(turns); n > 0 && turns[n-1].Role == "assistant" {
		c := turns[n-1].Content
		if k := len(c); k > 0 && c[k-1].Type == wire.BlockText && strings.TrimRight(c[k-1].Text, " \t\r\n") != c[k-1].Text {
			return llm.Errorf(llm.KindInvalidRequest, "messages: final assistant content cannot end with trailing whitespace")
		}
	}
	return nil
}

// resultAfterOther returns the tool_use_id of the first tool_result block
// that comes after a block of another type, or "".
func resultAfterOther(blocks []wire.ContentBlock) string {
	other := false
	for _, b := range blocks {
		switch {
		case b.Type != wire.BlockToolResult:
			other = true
		case other:
			return b.ToolUseID
		}
	}
	return ""
}
