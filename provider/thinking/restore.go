package thinking

import (
	"context"
	"time"

	"switchyard/llm"
)

// Restore returns msgs with what the memory keeps in scope for the
// current turn put back, and true; otherwise msgs itself and false. msgs
// is never modified: the result is a new slice with copies of the
// messages it changes.
//
//   - Claude's thinking: when msgs end in a tool loop (tool results after
//     the last assistant turn) whose last assistant turn made tool calls
//     without thinking, the thinking kept for one of its calls goes on
//     that turn.
//   - Reasoning text an OpenAI-compatible host wants back (DeepSeek's
//     reasoning_content, kept unsigned): the other assistant turns after
//     the last user message that made tool calls without thinking get
//     what this process keeps for one of their calls, when it is
//     unsigned text (DeepSeek wants every such turn's reasoning; Claude
//     only the last turn's, which the first rule restores).
//   - Gemini's signatures: each tool call of the assistant turns after
//     the last user message (the current turn, whose signatures Gemini
//     checks) that has none gets the one kept for it.
//
// With a shared tier, what this process does not hold of it is asked
// for there first, within ctx and the lookup timeout.
func (m *Memory) Restore(ctx context.Context, scope string, msgs []llm.Message) ([]llm.Message, bool) {
	if m == nil {
		return msgs, false
	}
	if m.shared != nil {
		m.fetchShared(ctx, scope, msgs)
	}
	copied := false
	if a := unthoughtTurn(msgs); a >= 0 {
		for _, tc := range msgs[a].ToolCalls() {
			if blocks := m.recall(scope, tc.ID, false); blocks != nil {
				msgs, copied = append([]llm.Message(nil), msgs...), true
				msgs[a].SetThinking(blocks) // setExtra copies the turn's extra
				break
			}
		}
	}
	msgs, copied = m.restoreText(scope, msgs, copied)
	return m.restoreSignatures(scope, msgs, copied)
}

// restoreText puts the kept unsigned thinking text on the assistant turns
// after the last user message that made tool calls without thinking;
// copied says msgs is already Restore's own copy.
func (m *Memory) restoreText(scope string, msgs []llm.Message, copied bool) ([]llm.Message, bool) {
	for i := len(msgs) - 1; i >= 0 && msgs[i].Role != llm.RoleUser; i-- {
		if msgs[i].Role != llm.RoleAssistant || len(msgs[i].Thinking()) > 0 {
			continue
		}
		for _, tc := range msgs[i].ToolCalls() {
			blocks := m.recall(scope, tc.ID, false)
			if !unsigned(blocks) {
				continue
			}
			if !copied {
				msgs, copied = append([]llm.Message(nil), msgs...), true
			}
			msgs[i].SetThinking(blocks)
			break
		}
	}
	return msgs, copied
}

// unsigned reports whether blocks are thinking text alone, none signed
// nor redacted: the reasoning an OpenAI-compatible host wrote.
func unsigned(blocks []llm.Thinking) bool {
	for i := range blocks {
		if blocks[i].Signature != "" || blocks[i].Redacted != "" {
			return false
		}
	}
	return len(blocks) > 0
}

// fetchShared asks the shared tier for what Restore could put on msgs'
// current turn and this process does not hold (nor knows to miss), and
// holds what it finds here.
func (m *Memory) fetchShared(ctx context.Context, scope string, msgs []llm.Message) {
	var buf [8]key
	want := buf[:0]
	if a := unthoughtTurn(msgs); a >= 0 {
		want = m.wantThinking(scope, msgs[a].ToolCalls(), want)
	}
	for i := len(msgs) - 1; i >= 0 && msgs[i].Role != llm.RoleUser; i-- {
		for _, tc := range msgs[i].ToolCalls() {
			if tc.Signature == "" && tc.ID != "" && m.recall(scope, tc.ID, true) == nil {
				want = append(want, key{scope, tc.ID, true})
			}
		}
	}
	if len(want) == 0 {
		return
	}
	if want = m.shared.unknown(want); len(want) > maxFetch {
		want = want[:maxFetch] // the unthought turn's calls come first
	}
	if len(want) > 0 {
		m.shared.fetch(ctx, want, m.holdFetched)
	}
}

// wantThinking appends to want the keys of calls' thinking unless this
// process holds the thinking of one of them (Restore needs only one).
func (m *Memory) wantThinking(scope string, calls []llm.ToolCall, want []key) []key {
	for _, tc := range calls {
		if tc.ID != "" && m.recall(scope, tc.ID, false) != nil {
			return want
		}
	}
	for _, tc := range calls {
		if tc.ID != "" {
			want = append(want, key{scope, tc.ID, false})
		}
	}
	return want
}

// holdFetched keeps here an entry found in the shared tier, until the
// expiry it was kept with.
func (m *Memory) holdFetched(k key, blocks []llm.Thinking, until time.Time) {
	if size := sizeOf(blocks); size <= m.maxBytes {
		m.hold(k.scope, []string{k.call}, k.sig, blocks, size, until)
	}
}

// restoreSignatures puts the kept Gemini signatures on the current turn's
// unsigned tool calls; copied says msgs is already Restore's own copy.
func (m *Memory) restoreSignatures(scope string, msgs []llm.Message, copied bool) ([]llm.Message, bool) {
	for i := len(msgs) - 1; i >= 0 && msgs[i].Role != llm.RoleUser; i-- {
		calls := msgs[i].ToolCalls()
		var signed []llm.ToolCall
		for j, tc := range calls {
			if tc.Signature != "" || tc.ID == "" {
				continue
			}
			kept := m.recall(scope, tc.ID, true)
			if kept == nil {
				continue
			}
			if signed == nil {
				signed = append([]llm.ToolCall(nil), calls...)
			}
			signed[j].Signature, signed[j].SignatureModel = kept[0].Signature, kept[0].Text
		}
		if signed == nil {
			continue
		}
		if !copied {
			msgs, copied = append([]llm.Message(nil), msgs...), true
		}
		msgs[i].SetToolCalls(signed)
	}
	return msgs, copied
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
