package anthropic

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file is context editing (context_management.edits, beta
// wire.ContextManagementBeta) as the simulator applies it:
//
//   - compact_20260112 (beta wire.CompactEditBeta, on the models that
//     take compaction): when the request's input tokens exceed the edit's
//     trigger (150,000 by default, at least 50,000), the answer begins
//     with a compaction block summarizing the conversation (as a
//     compaction request's, compaction.go), usage.iterations holds the
//     compaction's usage (its input: the request's) then the message's,
//     whose input is the summary and the last turn alone; with
//     pause_after_compaction the answer is the block alone, stop_reason
//     "compaction", and the top-level counts are zero;
//   - clear_tool_uses_20250919: when the input tokens exceed its trigger
//     (input_tokens, 100,000 by default; or tool_uses: more tool uses
//     than its value), the tool uses past the last keep (3 by default)
//     are reported cleared, with their results' tokens;
//   - clear_thinking_20251015: the assistant turns with thinking past the
//     last keep (thinking_turns, 1 by default; "all" keeps all) are
//     reported cleared, with their thinking's tokens.
//
// The clearing edits are reported (context_management.applied_edits)
// but do not lower the input counts.

// editState is a request's context edits, decoded.
type editState struct {
	compact   *compactEdit
	toolUses  *clearToolUses
	thinkKeep int // clear_thinking's keep; -1 for none (or "all")
}

type compactEdit struct {
	trigger      int
	pause        bool
	instructions string
}

type clearToolUses struct {
	byToolUses bool // a tool_uses trigger, not input_tokens
	trigger    int
	keep       int
}

// The defaults and limits of the edits, after Anthropic's
// context-editing and compaction pages.
const (
	defaultCompactTrigger = 150000
	minCompactTrigger     = 50000
	defaultClearTrigger   = 100000
	defaultClearKeep      = 3
)

// decodeEdits decodes req's context_management edits as the API checks
// them; nil without any.
func decodeEdits(req *wire.MessagesRequest, p *sim.Profile, h http.Header) (*editState, *apiError) {
	if len(req.ContextManagement) == 0 || string(req.ContextManagement) == "null" {
		return nil, nil
	}
	var cm struct {
		Edits []json.RawMessage `json:"edits"`
	}
	if err := json.Unmarshal(req.ContextManagement, &cm); err != nil {
		return nil, invalid("context_management: Input should be a valid dictionary")
	}
	st := &editState{thinkKeep: -1}
	for i, raw := range cm.Edits {
		var head struct {
			Type string `json:"type"`
		}
		json.Unmarshal(raw, &head)
		at := fmt.Sprintf("context_management.edits.%d", i)
		var apiErr *apiError
		switch {
		case head.Type == wire.EditCompact && hasBeta(h, wire.CompactEditBeta):
			if !wire.TakesCompaction(p.Model) {
				return nil, invalid("%s: compact_20260112 is not supported on %s", at, p.Model)
			}
			st.compact, apiErr = decodeCompactEdit(raw, at)
		case head.Type == "clear_tool_uses_20250919":
			st.toolUses = decodeClearToolUses(raw)
		case head.Type == wire.EditClearThinking:
			if !thinksUpFront(req, p) {
				return nil, invalid("`clear_thinking_20251015` strategy requires `thinking` to be enabled or adaptive")
			}
			st.thinkKeep = decodeThinkingKeep(raw)
		default:
			tags := "'clear_tool_uses_20250919', 'clear_thinking_20251015'"
			if hasBeta(h, wire.CompactEditBeta) {
				tags += ", 'compact_20260112'"
			}
			return nil, invalid("%s: Input tag '%s' found using 'type' does not match any of the expected tags: %s", at, head.Type, tags)
		}
		if apiErr != nil {
			return nil, apiErr
		}
	}
	return st, nil
}

// thinksUpFront reports whether req thinks on p's model: thinking
// enabled or adaptive, or none sent to a model that thinks unasked
// (generation 5). The clear_thinking edit needs it (anthropics/claude-code
// #11971; CLIProxyAPI#4957 quotes this wording, "enabled or adaptive").
func thinksUpFront(req *wire.MessagesRequest, p *sim.Profile) bool {
	if th := req.Thinking; th != nil {
		return th.Type == wire.ThinkingEnabled || th.Type == wire.ThinkingAdaptive
	}
	return wire.ModelTraits(p.Model).ThinksByDefault
}

// decodeCompactEdit decodes a compact_20260112 edit, strictly.
func decodeCompactEdit(raw json.RawMessage, at string) (*compactEdit, *apiError) {
	var e struct {
		Type    string `json:"type"`
		Trigger *struct {
			Type  string `json:"type"`
			Value *int   `json:"value"`
		} `json:"trigger"`
		Pause        *bool   `json:"pause_after_compaction"`
		Instructions *string `json:"instructions"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&e); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, invalid("%s.%s: Extra inputs are not permitted", at, strings.Trim(name, `"`))
		}
		return nil, invalid("%s: %v", at, err)
	}
	out := &compactEdit{trigger: defaultCompactTrigger}
	if t := e.Trigger; t != nil {
		switch {
		case t.Type != "input_tokens":
			return nil, invalid("%s.trigger.type: Input should be 'input_tokens'", at)
		case t.Value == nil:
			return nil, invalid("%s.trigger.value: Field required", at)
		case *t.Value < minCompactTrigger:
			return nil, invalid("%s.trigger.value: Input should be greater than or equal to %d", at, minCompactTrigger)
		}
		out.trigger = *t.Value
	}
	if e.Pause != nil {
		out.pause = *e.Pause
	}
	if e.Instructions != nil {
		out.instructions = *e.Instructions
	}
	return out, nil
}

// decodeClearToolUses reads a clear_tool_uses_20250919 edit's trigger
// and keep (the defaults for what it leaves out).
func decodeClearToolUses(raw json.RawMessage) *clearToolUses {
	var e struct {
		Trigger *struct {
			Type  string `json:"type"`
			Value int    `json:"value"`
		} `json:"trigger"`
		Keep *struct {
			Value int `json:"value"`
		} `json:"keep"`
	}
	json.Unmarshal(raw, &e)
	out := &clearToolUses{trigger: defaultClearTrigger, keep: defaultClearKeep}
	if t := e.Trigger; t != nil {
		out.byToolUses, out.trigger = t.Type == "tool_uses", t.Value
	}
	if e.Keep != nil {
		out.keep = e.Keep.Value
	}
	return out
}

// decodeThinkingKeep reads a clear_thinking_20251015 edit's keep: the
// thinking turns kept (1 by default), -1 for "all".
func decodeThinkingKeep(raw json.RawMessage) int {
	var e struct {
		Keep json.RawMessage `json:"keep"`
	}
	json.Unmarshal(raw, &e)
	var k struct {
		Type  string `json:"type"`
		Value int    `json:"value"`
	}
	switch {
	case len(e.Keep) == 0 || string(e.Keep) == "null":
		return 1
	case string(e.Keep) == `"all"`:
		return -1
	case json.Unmarshal(e.Keep, &k) == nil && k.Type == "all":
		return -1
	}
	return max(k.Value, 0)
}

// applyEdits applies st to g's answer (after the answer is shaped, before
// it is served): the applied edits, and the compaction when the input
// exceeds its trigger.
func (s *server) applyEdits(g *generation, st *editState) {
	input := g.usage.InputTokens + g.usage.CacheCreationInputTokens + g.usage.CacheReadInputTokens
	applied := []any{}
	if c := st.toolUses; c != nil {
		if e := clearedToolUses(g.req, c, input); e != nil {
			applied = append(applied, e)
		}
	}
	if st.thinkKeep >= 0 {
		if e := clearedThinking(g.req, st.thinkKeep); e != nil {
			applied = append(applied, e)
		}
	}
	g.managed, _ = json.Marshal(map[string]any{"applied_edits": applied})
	if st.compact != nil && input > st.compact.trigger && !g.refused {
		g.compactConversation(st.compact)
	}
}

// clearedToolUses is the applied clear_tool_uses_20250919 edit, nil when
// it does not apply.
func clearedToolUses(req *wire.MessagesRequest, c *clearToolUses, input int) map[string]any {
	var results []string // the tool results, oldest first
	uses := 0
	for _, m := range req.Messages {
		for _, b := range m.Content {
			switch b.Type {
			case wire.BlockToolUse:
				uses++
			case wire.BlockToolResult:
				results = append(results, b.Content.Text())
			}
		}
	}
	fires := input > c.trigger
	if c.byToolUses {
		fires = uses > c.trigger
	}
	if !fires || uses <= c.keep {
		return nil
	}
	cleared, tokens := uses-c.keep, 0
	for _, r := range results[:min(cleared, len(results))] {
		tokens += sim.CountTokens(r)
	}
	return map[string]any{"type": "clear_tool_uses_20250919", "cleared_tool_uses": cleared, "cleared_input_tokens": tokens}
}

// clearedThinking is the applied clear_thinking_20251015 edit keeping the
// last keep thinking turns, nil when it clears none.
func clearedThinking(req *wire.MessagesRequest, keep int) map[string]any {
	var turns []int // each thinking turn's tokens, oldest first
	for _, m := range req.Messages {
		tokens, thought := 0, false
		for _, b := range m.Content {
			if m.Role == "assistant" && (b.Type == wire.BlockThinking || b.Type == wire.BlockRedactedThinking) {
				tokens, thought = tokens+sim.CountTokens(b.Thinking+b.Data), true
			}
		}
		if thought {
			turns = append(turns, tokens)
		}
	}
	if len(turns) <= keep {
		return nil
	}
	cleared, tokens := len(turns)-keep, 0
	for _, n := range turns[:cleared] {
		tokens += n
	}
	return map[string]any{"type": "clear_thinking_20251015", "cleared_thinking_turns": cleared, "cleared_input_tokens": tokens}
}

// compactConversation begins g's answer with a compaction block of the
// conversation and bills the compaction as its own iteration; with
// pause, the block is the whole answer.
func (g *generation) compactConversation(c *compactEdit) {
	summary := summarize(g.req, c.instructions)
	sig := signSummary(summary)
	raw, _ := json.Marshal(struct {
		Type             string `json:"type"`
		Content          string `json:"content"`
		EncryptedContent string `json:"encrypted_content"`
		Signature        string `json:"signature"`
	}{wire.BlockCompaction, summary, base64.RawStdEncoding.EncodeToString([]byte("sim-compaction:" + newID(""))), sig})
	g.compaction = &wire.ContentBlock{Type: wire.BlockCompaction, Raw: raw}
	compaction := wire.UsageIteration{Type: wire.BlockCompaction, InputTokens: g.usage.InputTokens,
		CacheCreationInputTokens: g.usage.CacheCreationInputTokens, CacheReadInputTokens: g.usage.CacheReadInputTokens,
		CacheCreation: cmp.Or(g.usage.CacheCreation, &wire.CacheCreation{}), OutputTokens: max(sim.CountTokens(summary), 1)}
	if c.pause {
		g.text, g.pieces, g.tools, g.thinking, g.server, g.cited, g.stopSeq = "", nil, nil, nil, nil, nil, nil
		g.stopReason, g.compactedOnly = wire.StopCompaction, true
		g.usage.InputTokens, g.usage.CacheCreationInputTokens, g.usage.CacheReadInputTokens, g.usage.OutputTokens = 0, 0, 0, 0
		g.usage.CacheCreation, g.usage.OutputTokensDetails = nil, &wire.OutputTokensDetails{} // nothing thought
		g.usage.Iterations = []wire.UsageIteration{compaction}
		return
	}
	// The answer reads the summary and the turn it answers alone.
	last := g.req.Messages[len(g.req.Messages)-1].Content.Text()
	g.usage.InputTokens = sim.CountTokens(summary) + sim.CountTokens(last) + 3
	g.usage.CacheCreationInputTokens, g.usage.CacheReadInputTokens, g.usage.CacheCreation = 0, 0, nil
	g.usage.Iterations = []wire.UsageIteration{compaction, {Type: "message", Model: g.p.Model, InputTokens: g.usage.InputTokens,
		CacheCreation: &wire.CacheCreation{}, OutputTokens: g.usage.OutputTokens}}
}
