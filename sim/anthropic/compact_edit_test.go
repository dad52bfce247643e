package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	wire "switchyard/wire/anthropic"
)

// longConversation is a conversation of about n input tokens and its
// last user turn.
func longConversation(n int) string {
	filler := strings.Repeat("The itinerary covers Lisbon, Porto and Sintra in May. ", n/10)
	return `"messages":[{"role":"user","content":` + fmt.Sprintf("%q", filler) + `},{"role":"assistant","content":"Noted."},{"role":"user","content":"Book Alfama."}]`
}

const editBetas = wire.ContextManagementBeta + "," + wire.CompactEditBeta

// TestSimCompactEdit: a compact_20260112 edit whose trigger the input
// exceeds begins the answer with a signed compaction block, then the
// answer, with the compaction's and the message's iterations; paused, the
// block alone with stop_reason compaction; under the trigger, nothing
// compacts; streamed, the block opens empty and one compaction_delta
// fills it. Refused without its beta, on a model without compaction, or
// with a trigger under 50,000.
func TestSimCompactEdit(t *testing.T) {
	srv := compactionServer(t)
	conv := longConversation(60000)
	edit := func(extra string) string {
		return `{"model":"claude-opus-4-7","max_tokens":100,"context_management":{"edits":[{"type":"compact_20260112","trigger":{"type":"input_tokens","value":50000}` + extra + `}]},` + conv + `}`
	}
	decode := func(body string) wire.MessagesResponse {
		t.Helper()
		resp := postBeta(t, srv, body, editBetas)
		b, _ := io.ReadAll(resp.Body)
		var msg wire.MessagesResponse
		if resp.StatusCode != 200 || json.Unmarshal(b, &msg) != nil {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		return msg
	}

	msg := decode(edit(""))
	if len(msg.Content) != 2 || msg.Content[0].Type != wire.BlockCompaction || msg.Content[1].Type != wire.BlockText || *msg.StopReason != wire.StopEndTurn {
		t.Fatalf("content %+v, stop %s", msg.Content, *msg.StopReason)
	}
	cb, err := wire.DecodeCompactionBlock(msg.Content[0].Raw, "content.0")
	if err != nil || cb.Content == nil || !strings.Contains(*cb.Content, "Book Alfama.") || *cb.Signature != signSummary(*cb.Content) || cb.EncryptedContent == nil {
		t.Fatalf("block %s: %v", msg.Content[0].Raw, err)
	}
	it := msg.Usage.Iterations
	if len(it) != 2 || it[0].Type != "compaction" || it[0].Model != "" || it[0].InputTokens < 50000 || it[1].Type != "message" ||
		it[1].InputTokens != msg.Usage.InputTokens || msg.Usage.InputTokens > 1000 || it[1].OutputTokens != msg.Usage.OutputTokens {
		t.Errorf("usage %+v", msg.Usage)
	}
	if string(msg.ContextManagement) != `{"applied_edits":[]}` {
		t.Errorf("context_management %s", msg.ContextManagement)
	}

	paused := decode(edit(`,"pause_after_compaction":true,"instructions":"Keep the dates."`))
	if len(paused.Content) != 1 || paused.Content[0].Type != wire.BlockCompaction || *paused.StopReason != wire.StopCompaction ||
		paused.Usage.InputTokens != 0 || paused.Usage.OutputTokens != 0 || len(paused.Usage.Iterations) != 1 ||
		paused.Usage.OutputTokensDetails == nil || paused.Usage.OutputTokensDetails.ThinkingTokens != 0 {
		t.Errorf("paused: %+v", paused)
	}
	if !bytes.Contains(paused.Content[0].Raw, []byte("as instructed: Keep the dates.")) {
		t.Errorf("paused block %s", paused.Content[0].Raw)
	}

	under := decode(strings.Replace(edit(""), `"value":50000`, `"value":90000`, 1))
	if len(under.Content) != 1 || under.Content[0].Type != wire.BlockText || len(under.Usage.Iterations) != 0 {
		t.Errorf("under the trigger: %+v", under)
	}

	stream := postBeta(t, srv, strings.Replace(edit(`,"pause_after_compaction":true`), `"max_tokens":100,`, `"max_tokens":100,"stream":true,`, 1), editBetas)
	sb, _ := io.ReadAll(stream.Body)
	if !bytes.Contains(sb, []byte(`"content_block":{"type":"compaction","content":"","encrypted_content":"","signature":"`)) || bytes.Count(sb, []byte(`"type":"compaction_delta"`)) != 1 ||
		!bytes.Contains(sb, []byte(`"stop_reason":"compaction"`)) || !bytes.Contains(sb, []byte(`"iterations":[{"type":"compaction"`)) ||
		!bytes.Contains(sb, []byte(`"context_management":{"applied_edits":[]}`)) {
		t.Errorf("stream %s", sb)
	}

	next := `{"model":"claude-opus-4-7","max_tokens":100,"messages":[{"role":"assistant","content":[` + string(paused.Content[0].Raw) + `]},{"role":"user","content":"Which city?"}]}`
	for _, c := range []struct {
		name, body, betas, want string
	}{
		{"block sent back", next, wire.CompactEditBeta, ""},
		{"without the beta", edit(""), wire.ContextManagementBeta, "Input tag 'compact_20260112'"},
		{"model without compaction", strings.Replace(edit(""), "claude-opus-4-7", "claude-sonnet-4-5", 1), editBetas, "not supported"},
		{"trigger too low", strings.Replace(edit(""), `"value":50000`, `"value":1000`, 1), editBetas, "greater than or equal to 50000"},
		{"unknown field", edit(`,"keep":1`), editBetas, "keep: Extra inputs are not permitted"},
	} {
		r := postBeta(t, srv, c.body, c.betas)
		b, _ := io.ReadAll(r.Body)
		if c.want == "" && r.StatusCode != 200 || c.want != "" && (r.StatusCode != 400 || !bytes.Contains(b, []byte(c.want))) {
			t.Errorf("%s: %d %s", c.name, r.StatusCode, b)
		}
	}
}

// TestSimClearEdits: the clearing edits are reported in
// context_management.applied_edits when they apply, by the simulator's
// rules (docs/simulator.md).
func TestSimClearEdits(t *testing.T) {
	srv := compactionServer(t)
	var turns []string
	for i := range 4 {
		thought := fmt.Sprintf("I should look up file %d.", i)
		turns = append(turns, fmt.Sprintf(`{"role":"user","content":"step %d"}`, i),
			fmt.Sprintf(`{"role":"assistant","content":[{"type":"thinking","thinking":%q,"signature":%q},{"type":"tool_use","id":"toolu_%d","name":"read","input":{}}]}`, thought, sign(wire.BlockThinking, thought), i),
			fmt.Sprintf(`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_%d","content":"contents of file %d"}]}`, i, i))
	}
	body := `{"model":"claude-opus-4-7","max_tokens":2000,"thinking":{"type":"adaptive"},` +
		`"tools":[{"name":"read","input_schema":{"type":"object"}}],` +
		`"context_management":{"edits":[{"type":"clear_thinking_20251015","keep":{"type":"thinking_turns","value":1}},` +
		`{"type":"clear_tool_uses_20250919","trigger":{"type":"tool_uses","value":2},"keep":{"type":"tool_uses","value":1}}]},` +
		`"messages":[` + strings.Join(turns, ",") + `]}`
	resp := postBeta(t, srv, body, wire.ContextManagementBeta)
	b, _ := io.ReadAll(resp.Body)
	var msg wire.MessagesResponse
	if resp.StatusCode != 200 || json.Unmarshal(b, &msg) != nil {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var cm struct {
		Applied []map[string]any `json:"applied_edits"`
	}
	json.Unmarshal(msg.ContextManagement, &cm)
	if len(cm.Applied) != 2 || cm.Applied[0]["type"] != "clear_tool_uses_20250919" || cm.Applied[0]["cleared_tool_uses"] != 3.0 ||
		cm.Applied[0]["cleared_input_tokens"].(float64) == 0 || cm.Applied[1]["type"] != "clear_thinking_20251015" || cm.Applied[1]["cleared_thinking_turns"] != 3.0 {
		t.Errorf("context_management %s", msg.ContextManagement)
	}
}

// TestSimClearThinkingNeedsThinking: a clear_thinking_20251015 edit in a
// request that does not think is refused as the API refuses it; with
// thinking, or on a model that thinks unasked, it is taken.
func TestSimClearThinkingNeedsThinking(t *testing.T) {
	srv := compactionServer(t)
	const edit = `"context_management":{"edits":[{"type":"clear_thinking_20251015"}]},"messages":[{"role":"user","content":"hi"}]}`
	for _, c := range []struct {
		model, thinking string
		ok              bool
	}{
		{"claude-opus-4-7", ``, false},
		{"claude-opus-4-7", `"thinking":{"type":"disabled"},`, false},
		{"claude-opus-4-7", `"thinking":{"type":"adaptive"},`, true},
	} {
		body := `{"model":"` + c.model + `","max_tokens":2000,` + c.thinking + edit
		resp := postBeta(t, srv, body, wire.ContextManagementBeta)
		b, _ := io.ReadAll(resp.Body)
		if c.ok != (resp.StatusCode == 200) || !c.ok && !strings.Contains(string(b), "`clear_thinking_20251015` strategy requires `thinking` to be enabled or adaptive") {
			t.Errorf("%s %s: %d %s", c.model, c.thinking, resp.StatusCode, b)
		}
	}
}
