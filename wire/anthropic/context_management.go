package anthropic

import (
	"bytes"
	"encoding/json"

	"switchyard/llm"
)

// ContextManagementBeta is the anthropic-beta value the API requires with
// a context_management object (context editing).
const ContextManagementBeta = "context-management-2025-06-27"

// CompactEditBeta is the anthropic-beta value the API requires with a
// compact_20260112 edit (Claude compacting the conversation when its
// input grows past the edit's trigger) and takes its compaction blocks
// under (anthropic-sdk-go's AnthropicBetaCompact2026_01_12).
const CompactEditBeta = "compact-2026-01-12"

// EditCompact is the context_management edit that compacts the
// conversation.
const EditCompact = "compact_20260112"

// MayNameEdit reports whether cm, a request's context_management, may hold
// the edit of type edit: it names it, or holds a \u escape, which may spell
// it (valid JSON that Claude reads as the plain word). A cheap test before
// decoding cm.
func MayNameEdit(cm json.RawMessage, edit string) bool {
	return bytes.Contains(cm, []byte(edit)) || bytes.Contains(cm, []byte(`\u`))
}

// CompactsContext reports whether cm, a request's context_management as
// contextManagement kept it, holds a compact_20260112 edit.
func CompactsContext(cm json.RawMessage) bool {
	if !MayNameEdit(cm, EditCompact) { // no decoding for the rest
		return false
	}
	var c struct {
		Edits []struct {
			Type string `json:"type"`
		} `json:"edits"`
	}
	json.Unmarshal(cm, &c)
	for _, e := range c.Edits {
		if e.Type == EditCompact {
			return true
		}
	}
	return false
}

// contextManagement checks a request's context_management as far as the
// router needs to (an object whose edits, if any, are objects with a
// type; Claude validates the rest) and returns it compacted, or nil when
// it is absent or null. Claude Code sends it to Claude 4.6 models: the
// server clears old tool results and thinking as the context grows.
func contextManagement(raw json.RawMessage) (json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var cm struct {
		Edits *[]map[string]json.RawMessage `json:"edits"`
	}
	if raw[0] != '{' || json.Unmarshal(raw, &cm) != nil {
		return nil, param(rejectf("context_management: Input should be a valid dictionary"))
	}
	if cm.Edits != nil {
		for i, e := range *cm.Edits {
			var typ string
			if json.Unmarshal(e["type"], &typ) != nil || typ == "" {
				return nil, param(rejectf("context_management.edits.%d.type: Field required", i))
			}
		}
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, param(rejectf("context_management: Input should be a valid dictionary"))
	}
	if _, err := CompactEditOf(b.Bytes()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func param(e *llm.Error) *llm.Error {
	e.Param = "context_management"
	return e
}

// contextManagementFor is the context_management a Claude model is sent
// of cm: cm itself, but without its compact_20260112 edits for a model
// that does not take compaction (TakesCompaction), which the API would
// refuse the request for; nil when no edit is left then.
func contextManagementFor(cm json.RawMessage, model string) json.RawMessage {
	if TakesCompaction(model) {
		return cm
	}
	return WithoutCompactEdit(cm)
}

// EditClearThinking is the context_management edit that clears earlier
// turns' thinking. The API refuses it in a request that does not think:
// "`clear_thinking_20251015` strategy requires `thinking` to be enabled
// or adaptive" (anthropics/claude-code#11971, CLIProxyAPI#4957).
const EditClearThinking = "clear_thinking_20251015"

// clearThinkingRefused reports whether cm holds a clear_thinking edit
// that the thinking c sent to model t would have refused: thinking
// neither enabled nor adaptive, and no thinking field on a model that does
// not think unasked. The edit then has nothing to clear.
func clearThinkingRefused(cm json.RawMessage, c choice, t *Traits) bool {
	if c.thinks() || c.typ == "" && t.ThinksByDefault || !MayNameEdit(cm, EditClearThinking) {
		return false
	}
	var v struct {
		Edits []struct {
			Type string `json:"type"`
		} `json:"edits"`
	}
	json.Unmarshal(cm, &v)
	for _, e := range v.Edits {
		if e.Type == EditClearThinking {
			return true
		}
	}
	return false
}
