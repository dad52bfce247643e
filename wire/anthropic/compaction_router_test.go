package anthropic

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

var routerCompaction = &RouterCompaction{Content: "Summary <of> the trip", EncryptedContent: "swy1.sealed",
	Usage: llm.ModelUsage{PromptTokens: 60000, CompletionTokens: 300}}

// TestRouterCompactionComplete: an answer after the router's compaction
// begins with the block (signature null), then the answer's text; its
// usage.iterations are the compaction's then the message's, the
// top-level counts the message's alone. The response given is not
// written to.
func TestRouterCompactionComplete(t *testing.T) {
	resp := &llm.Response{Model: "gpt-4o-mini", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "Booked."), FinishReason: llm.FinishStop}},
		Usage: &llm.Usage{PromptTokens: 400, CompletionTokens: 20, TotalTokens: 420}}
	body := AppendResponse(nil, WithCompaction(resp, routerCompaction), "req_1")
	var m struct {
		Content []json.RawMessage `json:"content"`
		Usage   struct {
			InputTokens int `json:"input_tokens"`
			Iterations  []struct {
				Type        string `json:"type"`
				InputTokens int    `json:"input_tokens"`
			} `json:"iterations"`
		} `json:"usage"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if len(m.Content) != 2 || string(m.Content[0]) != `{"type":"compaction","content":"Summary <of> the trip","encrypted_content":"swy1.sealed","signature":null}` ||
		!strings.Contains(string(m.Content[1]), "Booked.") {
		t.Errorf("content %s", body)
	}
	it := m.Usage.Iterations
	if m.Usage.InputTokens != 400 || len(it) != 2 || it[0].Type != "compaction" || it[0].InputTokens != 60000 || it[1].Type != "message" || it[1].InputTokens != 400 {
		t.Errorf("usage %s", body)
	}
	if resp.Usage.Compaction != nil || len(resp.Choices[0].Message.Blocks()) != 0 {
		t.Error("the gateway's response was written to")
	}
}

// TestRouterCompactionStreamed: streamed, the block comes first after
// message_start (content_block_start empty, one compaction_delta, stop),
// the answer's text block after it, and message_delta's iterations hold
// the compaction's then the message's.
func TestRouterCompactionStreamed(t *testing.T) {
	enc := StreamEncoder{RequestID: "req_1", Model: "gpt-4o-mini", Compaction: routerCompaction}
	out := enc.Chunk(nil, &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Booked."}}}})
	out = enc.Chunk(out, &llm.Chunk{Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}, Usage: &llm.Usage{PromptTokens: 400, CompletionTokens: 20}})
	out = enc.End(out, nil)
	s := string(out)
	for _, want := range []string{
		`"index":0,"content_block":{"type":"compaction","content":"","encrypted_content":"","signature":null}`,
		`"index":0,"delta":{"type":"compaction_delta","content":"Summary <of> the trip","encrypted_content":"swy1.sealed"}`,
		`"index":1,"content_block":{"type":"text"`,
		`"stop_reason":"end_turn"`,
		`"iterations":[{"type":"compaction","input_tokens":60000`,
		`{"type":"message","model":"gpt-4o-mini","input_tokens":400`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("no %s in\n%s", want, s)
		}
	}
	if bytes.Index(out, []byte("compaction_delta")) > bytes.Index(out, []byte("text_delta")) {
		t.Errorf("the block after the text:\n%s", s)
	}
}
