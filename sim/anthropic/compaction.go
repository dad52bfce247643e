package anthropic

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file is Claude's compaction (beta wire.CompactBeta) and task
// budgets (beta wire.TaskBudgetBeta) as the simulator serves them: a
// compaction request (compaction {"type":"summarize"}) is answered with
// one compaction block summarizing the conversation (complete, or
// streamed with one compaction_delta), stop_reason "compaction" and the
// compaction's usage in usage.iterations; a later request may start with
// such a block, whose signature must match its content; a task budget is
// taken by the models that take it (wire.TakesTaskBudget). Each is
// refused, as the API refuses it, without its beta header or on a model
// that does not take it.

// hasBeta reports whether the anthropic-beta header names beta.
func hasBeta(h http.Header, beta string) bool {
	for _, v := range h.Values("anthropic-beta") {
		for b := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(b) == beta {
				return true
			}
		}
	}
	return false
}

// checkCompactionFields refuses compaction, a compaction block or a task
// budget sent without its beta header (the API does not know them then)
// or to a model that does not take them, and a compaction block whose
// signature does not match its content.
func checkCompactionFields(req *wire.MessagesRequest, p *sim.Profile, h http.Header) *apiError {
	if oc := req.OutputConfig; oc != nil && len(oc.TaskBudget) > 0 && string(oc.TaskBudget) != "null" {
		switch {
		case !hasBeta(h, wire.TaskBudgetBeta):
			return invalid("output_config.task_budget: Extra inputs are not permitted")
		case !wire.TakesTaskBudget(p.Model):
			return invalid("output_config.task_budget: %s does not support task budgets", p.Model)
		}
	}
	compaction := len(req.Compaction) > 0 && string(req.Compaction) != "null"
	block := startBlock(req)
	if !compaction && block == nil {
		return nil
	}
	switch {
	case !hasBeta(h, wire.CompactBeta) && compaction:
		return invalid("compaction: Extra inputs are not permitted")
	case !hasBeta(h, wire.CompactBeta) && !hasBeta(h, wire.CompactEditBeta): // a block is taken under either
		return invalid("messages.0.content.0.type: Input tag 'compaction' found using 'type' does not match any of the expected tags")
	case !wire.TakesCompaction(p.Model):
		return invalid("compaction: %s does not support compaction", p.Model)
	case block != nil && block.Content != nil && (block.Signature == nil || *block.Signature != signSummary(*block.Content)):
		return invalid("messages.0.content.0.signature: the compaction block's signature does not match its content (send the block back as it was returned)")
	}
	return nil
}

// startBlock is the compaction block the conversation starts with; nil
// for none (wire.Validate checked that no other stands elsewhere).
func startBlock(req *wire.MessagesRequest) *wire.CompactionBlock {
	for _, m := range req.Messages {
		if m.Role == "system" {
			continue
		}
		if len(m.Content) == 0 || m.Content[0].Type != wire.BlockCompaction {
			return nil
		}
		cb, _ := wire.DecodeCompactionBlock(m.Content[0].Raw, "messages.0.content.0")
		return cb
	}
	return nil
}

// signSummary is the simulator's signature over a summary.
func signSummary(summary string) string {
	sum := sha256.Sum256([]byte("sim-compaction\x00" + summary))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// summarize is the simulator's summary of req's conversation: each
// turn's opening words (a compaction block's summary carried over),
// after the instructions' first line when given.
func summarize(req *wire.MessagesRequest, instructions string) string {
	var b strings.Builder
	b.WriteString("Summary of the conversation so far:")
	if instructions = strings.TrimSpace(instructions); instructions != "" {
		b.WriteString(" (as instructed: " + firstLine(instructions, 80) + ")")
	}
	for _, m := range req.Messages {
		if cb := startBlock(&wire.MessagesRequest{Messages: []wire.Message{m}}); cb != nil && cb.Content != nil {
			b.WriteString("\n- earlier: " + firstLine(*cb.Content, 200))
			continue
		}
		if t := m.Content.Text(); t != "" {
			b.WriteString("\n- " + m.Role + ": " + firstLine(t, 120))
		}
	}
	return b.String()
}

// compact answers a compaction request with summarize's summary.
func (s *server) compact(w http.ResponseWriter, r *http.Request, req *wire.MessagesRequest, p *sim.Profile) {
	instructions := ""
	if c, _ := wire.CompactionOf(req); c != nil {
		instructions = c.Instructions
	}
	summary := summarize(req, instructions)
	sig := signSummary(summary)
	usage := s.inputUsage(p, req)
	a := wire.CompactionAnswer{ID: newID("msg_"), Model: p.Model, Content: summary, Signature: &sig,
		EncryptedContent: base64.RawStdEncoding.EncodeToString([]byte("sim-compaction:" + newID(""))),
		Usage:            wire.CompactionUsage(usage.InputTokens, usage.CacheCreationInputTokens, usage.CacheReadInputTokens, max(sim.CountTokens(summary), 1))}
	if !sim.Sleep(r.Context(), p.FirstTokenDelay()) {
		return
	}
	if !req.Stream {
		writeJSON(w, a.AppendJSON(nil))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("request-id", newID("req_"))
	w.WriteHeader(http.StatusOK)
	w.Write(a.AppendEvents(nil))
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
