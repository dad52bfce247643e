package anthropic

import (
	"encoding/json"
	"slices"

	"switchyard/llm"
)

// This file applies a clear_tool_uses_20250919 edit (context_management:
// clearing old tool results as the context grows) to a canonical
// request, for a deployment without context editing: the router does
// what Claude's API does — past the trigger, the results of the tool
// uses before the last keep are replaced by a placeholder (their inputs
// too, when clear_tool_inputs asks), those of exclude_tools never.

// EditClearToolUses is the context_management edit that clears old tool
// results.
const EditClearToolUses = "clear_tool_uses_20250919"

// ClearedToolResult is the text a cleared tool result is replaced by.
const ClearedToolResult = "[This tool result was cleared to save context.]"

// The clear_tool_uses edit's defaults, as the API documents them.
const (
	defaultClearToolUsesTrigger = 100000
	defaultClearToolUsesKeep    = 3
)

// clearToolUses is a decoded clear_tool_uses_20250919 edit.
type clearToolUses struct {
	Trigger *struct {
		Type  string `json:"type"`
		Value int    `json:"value"`
	} `json:"trigger"`
	Keep *struct {
		Value int `json:"value"`
	} `json:"keep"`
	ClearAtLeast *struct {
		Value int `json:"value"`
	} `json:"clear_at_least"`
	ExcludeTools    []string        `json:"exclude_tools"`
	ClearToolInputs json.RawMessage `json:"clear_tool_inputs"`
}

// clearsInput reports whether the edit clears the input of a call of
// the tool named name.
func (c *clearToolUses) clearsInput(name string) bool {
	if string(c.ClearToolInputs) == "true" {
		return true
	}
	var names []string
	return json.Unmarshal(c.ClearToolInputs, &names) == nil && slices.Contains(names, name)
}

// ClearToolUses applies the clear_tool_uses_20250919 edit of req's
// context_management (if any) to req's conversation, whose input is
// inputTokens by the router's estimate; count estimates a message's
// tokens. It returns req's conversation with the cleared results (req is
// not written to), its context_management without that edit, and the
// applied edit as Claude reports it ({"type":…,"cleared_tool_uses":N,
// "cleared_input_tokens":M}), nil when nothing was cleared.
func ClearToolUses(req *llm.Request, inputTokens int, count func(*llm.Message) int) ([]llm.Message, json.RawMessage, map[string]any) {
	edit, rest := takeEdit(req.ContextManagement, EditClearToolUses)
	if edit == nil {
		return req.Messages, req.ContextManagement, nil
	}
	type use struct{ msg, call int }
	var uses []use
	for i := range req.Messages {
		for j := range req.Messages[i].ToolCalls() {
			uses = append(uses, use{i, j})
		}
	}
	fires := inputTokens > defaultClearToolUsesTrigger
	if t := edit.Trigger; t != nil {
		fires = t.Type == "tool_uses" && len(uses) > t.Value || t.Type != "tool_uses" && inputTokens > t.Value
	}
	keep := defaultClearToolUsesKeep
	if edit.Keep != nil {
		keep = max(edit.Keep.Value, 0)
	}
	if !fires || len(uses) <= keep {
		return req.Messages, rest, nil
	}
	msgs := slices.Clone(req.Messages)
	cleared, tokens := 0, 0
	for _, u := range uses[:len(uses)-keep] {
		call := msgs[u.msg].ToolCalls()[u.call]
		if slices.Contains(edit.ExcludeTools, call.Name) {
			continue
		}
		cleared++
		for k := u.msg + 1; k < len(msgs) && msgs[k].Role == llm.RoleTool; k++ {
			if msgs[k].ToolCallID() == call.ID {
				tokens += count(&msgs[k])
				m := msgs[k]
				m.Content, m.StringContent = []llm.Part{{Type: llm.PartText, Text: ClearedToolResult}}, true
				msgs[k] = m
			}
		}
		if edit.clearsInput(call.Name) {
			calls := slices.Clone(msgs[u.msg].ToolCalls())
			calls[u.call].Arguments = "{}"
			msgs[u.msg].SetToolCalls(calls)
		}
	}
	if cleared == 0 || edit.ClearAtLeast != nil && tokens < edit.ClearAtLeast.Value {
		return req.Messages, rest, nil
	}
	return msgs, rest, map[string]any{"type": EditClearToolUses, "cleared_tool_uses": cleared, "cleared_input_tokens": tokens}
}

// takeEdit returns cm's first edit of type typ, decoded, and cm without
// it (nil when no edit is left); nil and cm when it holds none.
func takeEdit(cm json.RawMessage, typ string) (*clearToolUses, json.RawMessage) {
	var c map[string]json.RawMessage
	var edits []json.RawMessage
	if len(cm) == 0 || json.Unmarshal(cm, &c) != nil || json.Unmarshal(c["edits"], &edits) != nil {
		return nil, cm
	}
	for i, e := range edits {
		var h struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(e, &h); h.Type != typ {
			continue
		}
		var out clearToolUses
		json.Unmarshal(e, &out) // what does not decode is left at its default
		kept := slices.Delete(slices.Clone(edits), i, i+1)
		if len(kept) == 0 {
			return &out, nil
		}
		c["edits"], _ = json.Marshal(kept)
		rest, _ := json.Marshal(c)
		return &out, rest
	}
	return nil, cm
}
