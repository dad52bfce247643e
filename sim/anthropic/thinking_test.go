package anthropic

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	wire "switchyard/wire/anthropic"
)

func decodeMessage(t *testing.T, body io.Reader) wire.MessagesResponse {
	t.Helper()
	var m wire.MessagesResponse
	if err := json.NewDecoder(body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestThinkingAnswer: with thinking on, the answer starts with a signed
// thinking block, billed inside output_tokens, more for a larger budget;
// the magic string adds a redacted_thinking block.
func TestThinkingAnswer(t *testing.T) {
	srv, _ := newServer(t)
	ask := func(thinking, prompt string) wire.MessagesResponse {
		resp := post(t, srv, "/v1/messages", `{"model":"`+model+`","max_tokens":8000,`+thinking+`"messages":[{"role":"user","content":"`+prompt+`"}]}`)
		if resp.StatusCode != 200 {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s: %d %s", thinking, resp.StatusCode, b)
		}
		return decodeMessage(t, resp.Body)
	}
	plain := ask("", "Why is the sky blue?")
	small := ask(`"thinking":{"type":"enabled","budget_tokens":1024},`, "Why is the sky blue?")
	big := ask(`"thinking":{"type":"enabled","budget_tokens":6000},`, "Why is the sky blue?")
	if len(plain.Content) != 1 || plain.Content[0].Type != wire.BlockText {
		t.Fatalf("no thinking asked, got %+v", plain.Content)
	}
	for _, m := range []wire.MessagesResponse{small, big} {
		if len(m.Content) != 2 || m.Content[0].Type != wire.BlockThinking || m.Content[0].Thinking == "" ||
			m.Content[0].Signature != sign(wire.BlockThinking, m.Content[0].Thinking) || m.Content[1].Text != plain.Content[0].Text {
			t.Errorf("content %+v", m.Content)
		}
	}
	if !(plain.Usage.OutputTokens < small.Usage.OutputTokens && small.Usage.OutputTokens < big.Usage.OutputTokens) {
		t.Errorf("output tokens: none %d, 1024 %d, 6000 %d", plain.Usage.OutputTokens, small.Usage.OutputTokens, big.Usage.OutputTokens)
	}
	omitted := ask(`"thinking":{"type":"enabled","budget_tokens":6000,"display":"omitted"},`, "Why is the sky blue?")
	if omitted.Content[0].Thinking != "" || omitted.Content[0].Signature == "" || omitted.Usage.OutputTokens != big.Usage.OutputTokens {
		t.Errorf("display omitted: %+v, usage %+v", omitted.Content[0], omitted.Usage)
	}
	red := ask(`"thinking":{"type":"enabled","budget_tokens":2048},`, RedactedThinkingTrigger)
	if len(red.Content) != 3 || red.Content[1].Type != wire.BlockRedactedThinking || !checkRedacted(red.Content[1].Data) {
		t.Errorf("redacted: %+v", red.Content)
	}
}

// TestThinkingHistory: a thinking block sent back unaltered is accepted;
// an altered one, or a signature the sim did not issue, is refused as the
// API refuses it.
func TestThinkingHistory(t *testing.T) {
	srv, _ := newServer(t)
	text := thinkingText("q", 2048)
	turn := func(block string) string {
		return `{"model":"` + model + `","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[` +
			`{"role":"user","content":"q"},{"role":"assistant","content":[` + block + `,{"type":"text","text":"a"}]},{"role":"user","content":"more"}]}`
	}
	th := func(thinking, sig string) string {
		b, _ := json.Marshal(wire.ContentBlock{Type: wire.BlockThinking, Thinking: thinking, Signature: sig})
		return string(b)
	}
	red := func(data string) string { return `{"type":"redacted_thinking","data":"` + data + `"}` }
	for _, c := range []struct {
		block, err string
	}{
		{th(text, sign(wire.BlockThinking, text)), ""},
		{red(redactedData("x")), ""},
		{th(text+" (edited)", sign(wire.BlockThinking, text)), "messages.1.content.0: Invalid `signature` in `thinking` block"},
		{th(text, "EqQBforged"), "messages.1.content.0: Invalid `signature` in `thinking` block"},
		{red("Zm9v.EqQBforged"), "messages.1.content.0: Invalid `data` in `redacted_thinking` block"},
	} {
		resp := post(t, srv, "/v1/messages", turn(c.block))
		b, _ := io.ReadAll(resp.Body)
		if c.err == "" && resp.StatusCode != 200 || c.err != "" && (resp.StatusCode != 400 || !strings.Contains(string(b), c.err) || !strings.Contains(string(b), `"invalid_request_error"`)) {
			t.Errorf("%s: %d %s", c.block, resp.StatusCode, b)
		}
	}
}

// TestThinkingModels: thinking on a model without it, adaptive on one
// before 4.6, are refused.
func TestThinkingModels(t *testing.T) {
	srv, _ := newServer(t)
	for _, c := range []struct{ model, thinking, err string }{
		{"claude-sim-haiku-3-5", `{"type":"enabled","budget_tokens":1024}`, "does not support extended thinking"},
		{model, `{"type":"adaptive"}`, "'adaptive' is not supported"},
	} {
		resp := post(t, srv, "/v1/messages", `{"model":"`+c.model+`","max_tokens":4000,"thinking":`+c.thinking+`,"messages":[{"role":"user","content":"q"}]}`)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 || !strings.Contains(string(b), c.err) {
			t.Errorf("%s %s: %d %s", c.model, c.thinking, resp.StatusCode, b)
		}
	}
}

// TestThinkingToolLoop: in the middle of a tool loop, a thinking request
// whose last assistant turn does not start with its thinking is refused
// as the API refuses it; with the thinking sent back, without thinking,
// or after a new user message, it is answered.
func TestThinkingToolLoop(t *testing.T) {
	srv, _ := newServer(t)
	text := thinkingText("q", 2048)
	thought, _ := json.Marshal(wire.ContentBlock{Type: wire.BlockThinking, Thinking: text, Signature: sign(wire.BlockThinking, text)})
	const use = `{"type":"tool_use","id":"toolu_01","name":"get","input":{}}`
	const result = `{"type":"tool_result","tool_use_id":"toolu_01","content":"42"}`
	body := func(thinking, assistant, last string) string {
		return `{"model":"` + model + `","max_tokens":4000,` + thinking + `"tools":[{"name":"get","input_schema":{"type":"object"}}],"messages":[` +
			`{"role":"user","content":"q"},{"role":"assistant","content":[` + assistant + `]},{"role":"user","content":[` + last + `]}]}`
	}
	const on = `"thinking":{"type":"enabled","budget_tokens":2048},`
	for _, c := range []struct {
		name, body, err string
	}{
		{"no thinking block", body(on, use, result), "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled"},
		{"text first", body(on, `{"type":"text","text":"Let me look."},`+use, result), "but found `text`"},
		{"thinking sent back", body(on, string(thought)+","+use, result), ""},
		{"thinking off", body("", use, result), ""},
		{"a new user turn", body(on, use, result+`]},{"role":"assistant","content":[{"type":"text","text":"42"}]},{"role":"user","content":[{"type":"text","text":"thanks"}`), ""},
	} {
		resp := post(t, srv, "/v1/messages", c.body)
		b, _ := io.ReadAll(resp.Body)
		if c.err == "" && resp.StatusCode != 200 || c.err != "" && (resp.StatusCode != 400 || !strings.Contains(string(b), c.err)) {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, b)
		}
	}
}
