package anthropic

import (
	"encoding/json"
	"net/http"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/anthropic"
)

// This file honours a compact_20260112 edit (context_management: Claude
// compacting the conversation once its input exceeds the edit's
// trigger) on a deployment that cannot compact itself — OpenAI, Gemini,
// Azure, a Claude model before 4.6 or on Bedrock or Vertex — with the
// router's own compaction (compaction.go): the routed model writes the
// summary, sealed for the caller's tenant; then, with
// pause_after_compaction, the answer is the compaction block alone
// (stop_reason compaction); without, the answer is generated from the
// summary and the turn it answers (compactedRequest) and begins with the
// block. Both calls are routed, recorded and billed. A
// clear_tool_uses_20250919 edit is applied here too for a deployment
// without context editing (wire.ClearToolUses).

// routerEdits is what the router did of a request's context edits for a
// deployment that cannot apply them: the compact_20260112 edit to apply
// (compact; nil for none), then the compaction it made (block) and what
// its summary's call served (its cost is added to the answer's); and
// the context_management the answer reports ({"applied_edits":[…]}, nil
// for none: the router applied no clearing edit).
type routerEdits struct {
	compact *wire.CompactEdit
	block   *wire.RouterCompaction
	served  llm.Served
	applied json.RawMessage
}

// editContext applies req's context edits that the deployment req
// routes to cannot (ContextEditing): a clear_tool_uses_20250919 edit
// that clears something, on a deployment without context editing
// (wire.ClearToolUses, in place in req), and the compact_20260112 edit
// on one that cannot compact, which it returns for compactThenAnswer
// when the input (by CountTokens) exceeds its trigger; below it, the
// edit is taken out of req: nothing is to be done, and nothing is
// dropped. Without a key to seal a compaction with, the edit is left for
// the deployment, which drops it (x-switchyard-route names it). The
// deployment is looked up only when there is something to do (a compact
// edit, or a clearing one that clears): Claude Code sends clearing edits
// with most requests. Nil when the router did nothing.
func (h *Handler) editContext(r *http.Request, req *llm.Request, ov *route.Overrides) *routerEdits {
	if len(req.ContextManagement) == 0 || h.ContextEditing == nil || h.CountTokens == nil {
		return nil
	}
	edit, _ := wire.CompactEditOf(req.ContextManagement) // decodeBody checked it
	var (
		cleared []llm.Message
		rest    json.RawMessage
		applied map[string]any
	)
	if wire.MayNameEdit(req.ContextManagement, wire.EditClearToolUses) {
		cleared, rest, applied = wire.ClearToolUses(req, h.CountTokens(req), h.messageTokens)
	}
	if edit == nil && applied == nil {
		return nil
	}
	edits, compacts := h.ContextEditing(r.Context(), req, ov)
	var ed routerEdits
	if applied != nil && !edits {
		req.Messages, req.ContextManagement = cleared, rest
		ed.applied, _ = json.Marshal(map[string]any{"applied_edits": []any{applied}})
	}
	switch {
	case edit == nil || compacts:
	case !edit.Fires(h.CountTokens(req)):
		req.ContextManagement = wire.WithoutCompactEdit(req.ContextManagement)
	case h.sealer(r) != nil:
		ed.compact = edit
	}
	if ed.compact == nil && ed.applied == nil {
		return nil
	}
	return &ed
}

// messageTokens estimates the tokens of m (CountTokens).
func (h *Handler) messageTokens(m *llm.Message) int {
	return h.CountTokens(&llm.Request{Messages: []llm.Message{*m}})
}

// compactThenAnswer answers req after the router's compaction of its
// conversation (ed.compact): the routed model writes the summary; with
// pause_after_compaction the answer is its block alone, else the answer
// to compactedRequest, beginning with the block.
func (h *Handler) compactThenAnswer(w http.ResponseWriter, r *http.Request, req *llm.Request, ov *route.Overrides, ed *routerEdits) {
	a, err := h.summarize(r, req, ed.compact.Instructions, ov, h.sealer(r), &ed.served)
	if err != nil {
		inbound.SetServed(w.Header(), &ed.served)
		WriteError(w, r, err)
		return
	}
	if ed.compact.Pause {
		inbound.SetServed(w.Header(), &ed.served)
		writeCompaction(w, a, req.Stream, &ed.served)
		return
	}
	ed.block = &wire.RouterCompaction{Content: a.Content, EncryptedContent: a.EncryptedContent, Usage: compactionUsage(a)}
	next := compactedRequest(req, wire.CompactionSummaryHeader+a.Content)
	if req.Stream {
		h.stream(w, r, next, ov, ed, nil)
		return
	}
	h.complete(w, r, next, ov, ed, nil)
}

// addCost adds the compaction's cost to served, the answer's.
func (ed *routerEdits) addCost(served *llm.Served) {
	if ed == nil || ed.block == nil {
		return
	}
	served.CostUSD = llm.RoundUSD(served.CostUSD + ed.served.CostUSD)
	served.CostUnknown = served.CostUnknown || ed.served.CostUnknown
}

// compactionUsage is the summary's usage as the answer's compaction
// (its one usage.iterations entry).
func compactionUsage(a *wire.CompactionAnswer) llm.ModelUsage {
	var mu llm.ModelUsage
	for _, it := range a.Usage.Iterations {
		mu.PromptTokens += it.InputTokens + it.CacheCreationInputTokens + it.CacheReadInputTokens
		mu.CachedPromptTokens += it.CacheReadInputTokens
		mu.CacheWriteTokens += it.CacheCreationInputTokens
		mu.CompletionTokens += it.OutputTokens
	}
	return mu
}

// compactedRequest is req as the answer after the router's compaction
// reads it: its system and developer messages, the summary (text) as a
// user turn, then the turn answered — the conversation's last user turn,
// with the assistant turn whose tool calls it answers when it holds tool
// results (lastTurn) — as Claude answers after compacting; its
// context_management without the compact edit. req is not written to.
func compactedRequest(req *llm.Request, text string) *llm.Request {
	out := *req
	msgs := make([]llm.Message, 0, 4)
	for _, m := range req.Messages {
		if m.Role == llm.RoleSystem || m.Role == llm.RoleDeveloper {
			msgs = append(msgs, m)
		}
	}
	msgs = append(msgs, llm.TextMessage(llm.RoleUser, text))
	out.Messages = append(msgs, lastTurn(req.Messages)...)
	out.ContextManagement = wire.WithoutCompactEdit(req.ContextManagement)
	out.AnthropicCompaction = nil // the summary covers the block the conversation began with
	return &out
}

// lastTurn is the end of msgs an answer after a compaction reads: the
// user and tool messages after the last assistant turn, with that turn
// when they answer its tool calls; a conversation ending on an assistant
// turn (a prefill) keeps it, with the user turn before it.
func lastTurn(msgs []llm.Message) []llm.Message {
	end := len(msgs)
	if end > 0 && msgs[end-1].Role == llm.RoleAssistant {
		end--
	}
	i := end
	for i > 0 && (msgs[i-1].Role == llm.RoleUser || msgs[i-1].Role == llm.RoleTool) {
		i--
	}
	if i > 0 && i < end && msgs[i].Role == llm.RoleTool && msgs[i-1].Role == llm.RoleAssistant {
		i--
	}
	return msgs[i:]
}

// complete answers req with a complete message, after what the router
// did of its context edits (ed, nil for nothing): its compaction block
// first, its applied edits as context_management.
func (h *Handler) complete(w http.ResponseWriter, r *http.Request, req *llm.Request, ov *route.Overrides, ed *routerEdits, turn *threadTurn) {
	var served llm.Served
	resp, err := h.Backend.Chat(r.Context(), req, ov, &served)
	inbound.SetServed(w.Header(), &served)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	ed.addCost(&served)
	if ed != nil && ed.block != nil {
		resp = wire.WithCompaction(resp, ed.block)
	}
	if ed != nil && ed.applied != nil && len(resp.ContextManagement) == 0 {
		cp := *resp
		cp.ContextManagement = ed.applied
		resp = &cp
	}
	w.Header().Set(inbound.HeaderCost, inbound.CostValue(&served))
	out := inbound.GetBuf()
	*out = wire.AppendResponse(*out, resp, wire.MessageID(resp.ID, llm.RequestID(r.Context())))
	if turn != nil {
		h.saveTurn(r.Context(), turn, *out)
	}
	inbound.WriteJSON(w, *out)
	inbound.PutBuf(out)
}
