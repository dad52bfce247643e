package anthropic

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/sim"
	simanthropic "switchyard/sim/anthropic"
)

// TestCompactEdit: a request whose context_management holds a
// compact_20260112 edit is sent with the compaction beta beside the
// context-management one (the simulator refuses it without, as the API
// does), and Claude's compaction comes back in the canonical answer: the
// block (Message.Blocks, as Claude wrote it), the pause (Compacted), the
// applied edits and the compaction's usage (Usage.Compaction).
func TestCompactEdit(t *testing.T) {
	var mu sync.Mutex
	var betas string
	h := simanthropic.New(sim.NewCatalog(sim.Profile{Model: "claude-opus-4-7", MaxOutputTokens: 8192, TokensPerSecond: 2000}), &sim.Faults{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		betas = r.Header.Get("anthropic-beta")
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c := clientFor(t, srv.URL, testKey)
	req := &llm.Request{Model: "claude-opus-4-7", Messages: []llm.Message{
		llm.TextMessage(llm.RoleUser, strings.Repeat("We plan three weeks in Portugal in May. ", 7000)),
		llm.TextMessage(llm.RoleAssistant, "Noted."),
		llm.TextMessage(llm.RoleUser, "Book Alfama."),
	}, ContextManagement: json.RawMessage(`{"edits":[{"type":"compact_20260112","trigger":{"type":"input_tokens","value":50000},"pause_after_compaction":true}]}`)}
	resp, err := llmtest.Complete(context.Background(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if !strings.Contains(betas, "context-management-2025-06-27") || !strings.Contains(betas, "compact-2026-01-12") {
		t.Errorf("anthropic-beta %q", betas)
	}
	mu.Unlock()
	ch := resp.Choices[0]
	if blocks := ch.Message.Blocks(); len(blocks) != 1 || !strings.HasPrefix(string(blocks[0].Raw), `{"type":"compaction","content":"Summary`) ||
		!ch.Compacted || ch.FinishReason != llm.FinishStop || ch.Message.Text() != "" {
		t.Errorf("choice %+v, blocks %v", ch, blocks)
	}
	if u := resp.Usage; u.PromptTokens != 0 || u.Compaction == nil || u.Compaction.PromptTokens < 50000 || u.Compaction.CompletionTokens == 0 {
		t.Errorf("usage %+v", u)
	}
	if string(resp.ContextManagement) != `{"applied_edits":[]}` {
		t.Errorf("context_management %s", resp.ContextManagement)
	}
}
