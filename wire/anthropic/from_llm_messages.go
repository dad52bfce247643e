package anthropic

import (
	"fmt"
	"slices"
	"strings"

	"switchyard/llm"
)

// convertMessages splits the conversation into system blocks and
// alternating turns; a call answered twice gets one tool_result
// (llm.MergeRepeatedResults).
// With turnControl (TurnControl), a system message's own effort stays
// in place as its output_config; without it, the effort is left out (the
// request's effort carries the last one: claudeEffort).
func convertMessages(msgs []llm.Message, inPlace, turnControl bool) (Blocks, []Message, error) {
	msgs = llm.MergeRepeatedResults(msgs)
	var system Blocks
	var turns []Message
	for i := range msgs {
		m := &msgs[i]
		var role string
		var blocks Blocks
		var err error
		switch m.Role {
		case llm.RoleSystem, llm.RoleDeveloper:
			if turnControl && m.TurnEffort() != "" { // kept in place, with its effort
				turns = appendTurnEffort(turns, systemWithChanges(m), m.TurnEffort())
				continue
			}
			if len(m.ToolChanges()) > 0 { // kept in place, even before the first turn
				turns = appendTurn(turns, "system", systemWithChanges(m))
				continue
			}
			if len(m.Content) == 0 && m.TurnEffort() != "" {
				continue // an effort alone: the request's effort carries it
			}
			text, err := systemBlocks(m, i)
			if err != nil {
				return nil, nil, err
			}
			if inPlace && len(turns) > 0 {
				turns = appendTurn(turns, "system", text)
			} else {
				system = append(system, text...)
			}
			continue
		case llm.RoleUser:
			role = "user"
			blocks, err = partsToBlocks(m.Content, i)
		case llm.RoleAssistant:
			role = "assistant"
			blocks, err = assistantBlocks(m, i)
		case llm.RoleTool:
			role = "user"
			blocks, err = toolResultBlocks(m, i)
		default:
			return nil, nil, invalid(fmt.Sprintf("messages[%d].role", i), "unknown role %q", llm.Clip(string(m.Role)))
		}
		if err != nil {
			return nil, nil, err
		}
		turns = appendTurn(turns, role, blocks)
	}
	for i := range turns {
		if turns[i].Role == "user" {
			toolResultsFirst(turns[i].Content)
		}
	}
	uniqueToolUseIDs(turns)
	return system, userFirst(trimPrefill(turns)), nil
}

// systemBlocks returns the text blocks of a system or developer message.
func systemBlocks(m *llm.Message, i int) (Blocks, error) {
	var out Blocks
	for j, p := range m.Content {
		if p.Type != llm.PartText {
			return nil, invalid(fmt.Sprintf("messages[%d].content[%d]", i, j), "%s messages may hold only text, not %s", m.Role, p.Type)
		}
		if !BlankStop(p.Text) {
			out = append(out, ContentBlock{Type: BlockText, Text: p.Text, CacheControl: partCacheControl(&p)})
		}
	}
	return out, nil
}

// OpeningUserText is the text of the user turn put before a conversation
// whose first turn is the assistant's: the Messages API requires the first
// message to use the user role, and rejects empty text blocks.
const OpeningUserText = "."

// userFirst puts a minimal user turn before turns when they start with the
// assistant's (a greeting the application showed, say).
func userFirst(turns []Message) []Message {
	k := 0 // system turns (tool changes) may come first
	for k < len(turns) && turns[k].Role == "system" {
		k++
	}
	if k == len(turns) || turns[k].Role == "user" {
		return turns
	}
	return slices.Insert(turns, k, Message{Role: "user", Content: Blocks{{Type: BlockText, Text: OpeningUserText}}})
}

// appendTurn adds blocks as a turn of role, merged into the last turn when
// that has the same role. Empty turns are dropped.
func appendTurn(turns []Message, role string, blocks Blocks) []Message {
	if len(blocks) == 0 {
		return turns
	}
	if n := len(turns); n > 0 && turns[n-1].Role == role {
		turns[n-1].Content = append(turns[n-1].Content, blocks...)
		return turns
	}
	return append(turns, Message{Role: role, Content: blocks})
}

// appendTurnEffort appends a system turn of blocks (none for an effort
// alone) whose output_config sets effort e; merged into a system turn
// before it, the later effort wins, as it would have.
func appendTurnEffort(turns []Message, blocks Blocks, e llm.Effort) []Message {
	if n := len(turns); n == 0 || turns[n-1].Role != "system" {
		turns = append(turns, Message{Role: "system", Content: Blocks{}}) // "content":[] for an effort alone
	}
	last := &turns[len(turns)-1]
	last.Content = append(last.Content, blocks...)
	last.OutputConfig = &TurnOutputConfig{Effort: string(e)}
	return turns
}

// toolResultsFirst moves tool_result blocks before the others, keeping
// each group's order.
func toolResultsFirst(b Blocks) {
	out := make(Blocks, 0, len(b))
	for _, c := range b {
		if c.Type == BlockToolResult {
			out = append(out, c)
		}
	}
	for _, c := range b {
		if c.Type != BlockToolResult {
			out = append(out, c)
		}
	}
	copy(b, out)
}

// trimPrefill removes trailing whitespace from a final assistant turn.
func trimPrefill(turns []Message) []Message {
	n := len(turns)
	if n == 0 || turns[n-1].Role != "assistant" {
		return turns
	}
	c := turns[n-1].Content
	last := &c[len(c)-1]
	if last.Type != BlockText {
		return turns
	}
	last.Text = strings.TrimRight(last.Text, " \t\r\n")
	if last.Text == "" {
		c = c[:len(c)-1]
		if len(c) == 0 {
			return turns[:n-1]
		}
		turns[n-1].Content = c
	}
	return turns
}

// partsToBlocks converts user content: text, images and documents.
func partsToBlocks(parts []llm.Part, msg int) (Blocks, error) {
	var out Blocks
	for j, p := range parts {
		switch p.Type {
		case llm.PartText:
			// The API refuses a text block without non-whitespace text,
			// which OpenAI's accepts: such text is left out, like empty.
			if !BlankStop(p.Text) {
				out = append(out, ContentBlock{Type: BlockText, Text: p.Text, CacheControl: partCacheControl(&p)})
			}
		case llm.PartImage:
			src, err := imageSource(p.ImageURL())
			if err != nil {
				return nil, invalid(fmt.Sprintf("messages[%d].content[%d].image_url", msg, j), "%s", err.Error())
			}
			out = append(out, ContentBlock{Type: BlockImage, Source: src, CacheControl: CacheFromLLM(p.Cache())})
		case llm.PartDocument:
			b, err := documentBlock(p.Document(), p.Cache())
			if err != nil {
				return nil, invalid(fmt.Sprintf("messages[%d].content[%d]", msg, j), "%s", err.Error())
			}
			out = append(out, b)
		default:
			return nil, invalid(fmt.Sprintf("messages[%d].content[%d]", msg, j), "content parts of type %q are not supported by Anthropic models; send text, images or PDF files (file_data)", clientPartType(&p))
		}
	}
	return out, nil
}

func assistantBlocks(m *llm.Message, msg int) (Blocks, error) {
	if len(m.Blocks()) > 0 {
		return wovenAssistantBlocks(m, msg)
	}
	out, err := partsToBlocks(m.Content, msg)
	if err != nil {
		return nil, err
	}
	if th := m.Thinking(); len(th) > 0 {
		out = append(thinkingBlocks(th), out...)
	}
	if len(out) == 0 && m.Refusal() != "" {
		out = append(out, ContentBlock{Type: BlockText, Text: m.Refusal()})
	}
	for j := range m.ToolCalls() {
		b, err := toolUseBlock(m, msg, j)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// toolUseBlock is the tool_use block of m's tool call j.
func toolUseBlock(m *llm.Message, msg, j int) (ContentBlock, error) {
	tc := &m.ToolCalls()[j]
	input := llm.ArgumentsObject(tc.Arguments)
	if tc.ID == "" || tc.Name == "" {
		return ContentBlock{}, invalid(fmt.Sprintf("messages[%d].tool_calls[%d]", msg, j), "a tool call needs an id and a function name")
	}
	return ContentBlock{Type: BlockToolUse, ID: UpstreamToolID(tc.ID), Name: tc.Name, Input: input, CacheControl: CacheFromLLM(tc.Cache)}, nil
}

func toolResultBlocks(m *llm.Message, msg int) (Blocks, error) {
	if m.ToolCallID() == "" {
		return nil, invalid(fmt.Sprintf("messages[%d].tool_call_id", msg), "a tool message needs the tool_call_id it answers")
	}
	content, err := partsToBlocks(m.Content, msg)
	if len(m.Blocks()) > 0 { // tool_reference blocks of a client's tool search
		content, err = wovenParts(m, msg, 0)
	}
	if err != nil {
		return nil, err
	}
	result := ContentBlock{Type: BlockToolResult, ToolUseID: UpstreamToolID(m.ToolCallID()), Content: content, HasContent: len(content) > 0,
		IsError: m.ToolError()}
	if n := len(m.Content); n > 0 && m.Content[n-1].Cache() != llm.NoCache {
		// The last part's breakpoint marks the whole result, not its
		// last inner block (see llm.CacheTTL).
		result.CacheControl = CacheFromLLM(m.Content[n-1].Cache())
		if k := len(content); k > 0 && content[k-1].CacheControl != nil {
			content[k-1].CacheControl = nil
		}
	}
	return Blocks{result}, nil
}
