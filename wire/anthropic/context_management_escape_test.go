package anthropic

import (
	"encoding/json"
	"testing"
)

// An edit whose type is spelled with a \u escape (valid JSON, which
// Claude reads as the plain word) is the same edit to the router's tests.
func TestEditTypeEscaped(t *testing.T) {
	compact := json.RawMessage(`{"edits":[{"type":"compact\u005f20260112"}]}`)
	if !CompactsContext(compact) {
		t.Errorf("CompactsContext(%s) = false", compact)
	}
	clear := json.RawMessage(`{"edits":[{"type":"clear_thinking\u005f20251015"}]}`)
	if !clearThinkingRefused(clear, choice{typ: ThinkingDisabled}, &Traits{}) {
		t.Errorf("clearThinkingRefused(%s) = false for a request that does not think", clear)
	}
	if !MayNameEdit(json.RawMessage(`{"edits":[{"type":"clear_tool_uses\u005f20250919"}]}`), EditClearToolUses) {
		t.Error("MayNameEdit passes over an escaped clear_tool_uses edit")
	}
	if MayNameEdit(json.RawMessage(`{"edits":[{"type":"clear_thinking_20251015"}]}`), EditClearToolUses) {
		t.Error("MayNameEdit passes another edit")
	}
}
