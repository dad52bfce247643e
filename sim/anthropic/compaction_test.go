package anthropic

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

func compactionServer(t *testing.T) *httptest.Server {
	t.Helper()
	var ps []sim.Profile
	for _, m := range []string{"claude-opus-4-7", "claude-sonnet-4-5"} {
		ps = append(ps, sim.Profile{Model: m, MaxOutputTokens: 64000})
	}
	srv := httptest.NewServer(New(sim.NewCatalog(ps...), &sim.Faults{}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	return srv
}

// TestSimCompaction: a compaction request is answered with one signed
// compaction block summarizing the conversation, stop_reason compaction
// and its usage in usage.iterations, complete and streamed (one
// compaction_delta); the block sent back first is taken, altered it is
// refused, and compaction is refused without its beta or on a model
// without it.
func TestSimCompaction(t *testing.T) {
	srv := compactionServer(t)
	const conv = `"messages":[{"role":"user","content":"We go to Lisbon."},{"role":"assistant","content":"Nice."},{"role":"user","content":"Book Alfama."}]`
	req := `{"model":"claude-opus-4-7","max_tokens":100,"compaction":{"type":"summarize"},` + conv + `}`
	resp := postBeta(t, srv, req, wire.CompactBeta)
	b, _ := io.ReadAll(resp.Body)
	var msg wire.MessagesResponse
	if resp.StatusCode != 200 || json.Unmarshal(b, &msg) != nil || msg.StopReason == nil || *msg.StopReason != wire.StopCompaction || len(msg.Content) != 1 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	block := msg.Content[0].Raw
	cb, err := wire.DecodeCompactionBlock(block, "content.0")
	if err != nil || cb.Content == nil || !strings.Contains(*cb.Content, "Book Alfama.") || cb.Signature == nil || *cb.Signature != signSummary(*cb.Content) {
		t.Fatalf("block %s: %v", block, err)
	}
	if it := msg.Usage.Iterations; len(it) != 1 || it[0].Type != "compaction" || it[0].InputTokens == 0 || msg.Usage.InputTokens != 0 {
		t.Errorf("usage %+v", msg.Usage)
	}

	stream := postBeta(t, srv, strings.Replace(req, `"max_tokens":100,`, `"max_tokens":100,"stream":true,`, 1), wire.CompactBeta)
	sb, _ := io.ReadAll(stream.Body)
	if bytes.Count(sb, []byte(`"type":"compaction_delta"`)) != 1 || !bytes.Contains(sb, []byte(`"stop_reason":"compaction"`)) || !bytes.HasSuffix(sb, []byte("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")) {
		t.Errorf("stream %s", sb)
	}

	next := func(block string) string {
		return `{"model":"claude-opus-4-7","max_tokens":100,"messages":[{"role":"assistant","content":[` + block + `]},{"role":"user","content":"Which city?"}]}`
	}
	altered := strings.Replace(string(block), "Lisbon", "Porto", 1)
	for _, c := range []struct {
		name, body, betas string
		status            int
	}{
		{"sent back", next(string(block)), wire.CompactBeta, 200},
		{"altered", next(altered), wire.CompactBeta, 400},
		{"block without the beta", next(string(block)), "", 400},
		{"request without the beta", req, "", 400},
		{"model without compaction", strings.Replace(req, "claude-opus-4-7", "claude-sonnet-4-5", 1), wire.CompactBeta, 400},
		{"with context_management", strings.Replace(req, `"compaction"`, `"context_management":{"edits":[]},"compaction"`, 1), wire.CompactBeta + "," + wire.ContextManagementBeta, 400},
	} {
		if r := postBeta(t, srv, c.body, c.betas); r.StatusCode != c.status {
			b, _ := io.ReadAll(r.Body)
			t.Errorf("%s: %d %s, want %d", c.name, r.StatusCode, b, c.status)
		}
	}
}

// TestSimTaskBudget: a task budget is taken under its beta by a model
// that takes it, and refused without the beta, on another model, or
// under the minimum.
func TestSimTaskBudget(t *testing.T) {
	srv := compactionServer(t)
	body := func(model string, total int) string {
		b, _ := json.Marshal(map[string]any{"model": model, "max_tokens": 50, "messages": []map[string]any{{"role": "user", "content": "hi"}},
			"output_config": map[string]any{"task_budget": map[string]any{"type": "tokens", "total": total}}})
		return string(b)
	}
	for _, c := range []struct {
		model, betas string
		total        int
		status       int
	}{
		{"claude-opus-4-7", wire.TaskBudgetBeta, 64000, http.StatusOK},
		{"claude-opus-4-7", "", 64000, http.StatusBadRequest},
		{"claude-sonnet-4-5", wire.TaskBudgetBeta, 64000, http.StatusBadRequest},
		{"claude-opus-4-7", wire.TaskBudgetBeta, 19999, http.StatusBadRequest},
	} {
		if r := postBeta(t, srv, body(c.model, c.total), c.betas); r.StatusCode != c.status {
			b, _ := io.ReadAll(r.Body)
			t.Errorf("%+v: %d %s", c, r.StatusCode, b)
		}
	}
}
