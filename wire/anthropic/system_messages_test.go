package anthropic

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// System messages inside messages (the API's SystemMessageParam, which
// Claude Code sends): accepted, kept where they stand for a Claude
// deployment (a leading one is the system prompt), and canonical system
// messages in place for the other providers.
func TestSystemMessagesInConversation(t *testing.T) {
	req, err := DecodeRequest([]byte(`{"model":"claude-x","max_tokens":100,"system":"You are Claude Code.","messages":[
		{"role":"system","content":"Leading note."},
		{"role":"user","content":"hi"},
		{"role":"assistant","content":"Hello!"},
		{"role":"system","content":[{"type":"text","text":"Reminder: be concise.","cache_control":{"type":"ephemeral"}}]},
		{"role":"user","content":"What is 2+2?"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !req.SystemInPlace || len(req.Messages) != 6 || req.Messages[4].Role != llm.RoleSystem || req.Messages[4].Text() != "Reminder: be concise." {
		t.Fatalf("canonical: in place %v, %+v", req.SystemInPlace, req.Messages)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(struct {
		System   Blocks    `json:"system"`
		Messages []Message `json:"messages"`
	}{out.System, out.Messages})
	want := `{"system":[{"type":"text","text":"You are Claude Code."},{"type":"text","text":"Leading note."}],"messages":[` +
		`{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":[{"type":"text","text":"Hello!"}]},` +
		`{"role":"system","content":[{"type":"text","text":"Reminder: be concise.","cache_control":{"type":"ephemeral"}}]},` +
		`{"role":"user","content":[{"type":"text","text":"What is 2+2?"}]}]}`
	if string(got) != want {
		t.Errorf("upstream\n got %s\nwant %s", got, want)
	}
	req.SystemInPlace = false // an OpenAI client's system message mid-conversation: lifted, as before
	if out, err = FromLLM(req); err != nil || len(out.System) != 3 || len(out.Messages) != 3 {
		t.Errorf("lifted: %v, system %d blocks, %d turns", err, len(out.System), len(out.Messages))
	}
}
