package anthropic

import (
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
// block. Both calls are routed, recorded and billed.

// compactEdit honours req's compact_20260112 edit when the deployment
// req routes to cannot (CompactsItself) and returns whether it
// answered. Below the trigger (by the router's estimate of the input
// tokens, CountTokens) the edit is taken out of req: nothing is to be
// done, and nothing is dropped. Without a key to seal with the edit is
// left for the deployment, which drops it (x-switchyard-route names it).
func (h *Handler) compactEdit(w http.ResponseWriter, r *http.Request, req *llm.Request, ov *route.Overrides) bool {
	edit, _ := wire.CompactEditOf(req.ContextManagement) // decodeBody checked it
	if edit == nil || h.CompactsItself == nil || h.CountTokens == nil || h.CompactsItself(r.Context(), req, ov) {
		return false
	}
	if !edit.Fires(h.CountTokens(req)) {
		req.ContextManagement = wire.WithoutCompactEdit(req.ContextManagement)
		return false
	}
	s := h.sealer(r)
	if s == nil {
		return false
	}
	var served llm.Served
	a, err := h.summarize(r, req, edit.Instructions, ov, s, &served)
	if err != nil {
		inbound.SetServed(w.Header(), &served)
		WriteError(w, r, err)
		return true
	}
	if edit.Pause {
		inbound.SetServed(w.Header(), &served)
		writeCompaction(w, a, req.Stream, &served)
		return true
	}
	c := &compacted{served: served, block: &wire.RouterCompaction{Content: a.Content, EncryptedContent: a.EncryptedContent, Usage: compactionUsage(a)}}
	next := compactedRequest(req, wire.CompactionSummaryHeader+a.Content)
	if req.Stream {
		h.stream(w, r, next, ov, c)
		return true
	}
	h.complete(w, r, next, ov, c)
	return true
}

// compacted is the router's compaction an answer begins with, and what
// its summary's call served (its cost is added to the answer's).
type compacted struct {
	block  *wire.RouterCompaction
	served llm.Served
}

// addCost adds the compaction's cost to served, the answer's.
func (c *compacted) addCost(served *llm.Served) {
	if c == nil {
		return
	}
	served.CostUSD = llm.RoundUSD(served.CostUSD + c.served.CostUSD)
	served.CostUnknown = served.CostUnknown || c.served.CostUnknown
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

// complete answers req (after the router's compaction c, nil for none)
// with a complete message.
func (h *Handler) complete(w http.ResponseWriter, r *http.Request, req *llm.Request, ov *route.Overrides, c *compacted) {
	var served llm.Served
	resp, err := h.Backend.Chat(r.Context(), req, ov, &served)
	inbound.SetServed(w.Header(), &served)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	c.addCost(&served)
	if c != nil {
		resp = wire.WithCompaction(resp, c.block)
	}
	w.Header().Set(inbound.HeaderCost, inbound.CostValue(&served))
	out := inbound.GetBuf()
	*out = wire.AppendResponse(*out, resp, wire.MessageID(resp.ID, llm.RequestID(r.Context())))
	inbound.WriteJSON(w, *out)
	inbound.PutBuf(out)
}
