package anthropic

import (
	"os"
	"strings"
	"testing"

	"switchyard/llm"
)

// sseEvents splits an SSE transcript into its events' names and data.
func sseEvents(t *testing.T, text string) (names, datas []string) {
	t.Helper()
	for _, ev := range strings.Split(strings.TrimSpace(text), "\n\n") {
		var name, data string
		for _, line := range strings.Split(ev, "\n") {
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				name = v
			} else if v, ok := strings.CutPrefix(line, "data: "); ok {
				data = v
			}
		}
		names, datas = append(names, name), append(datas, data)
	}
	return names, datas
}

// translate feeds the documented thinking stream to a translator and
// accumulates what it yields.
func translate(t *testing.T, thinking bool, file string) (*llm.Response, []*llm.Chunk) {
	t.Helper()
	in, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	names, datas := sseEvents(t, string(in))
	tr := StreamTranslator{Thinking: thinking}
	var acc llm.Accumulator
	var all []*llm.Chunk
	for i := range names {
		chunks, err := tr.Translate(names[i], []byte(datas[i]))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range chunks {
			acc.Add(c)
		}
		all = append(all, chunks...)
	}
	return acc.Response(), all
}

const gcdThinking = "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\n\nSo GCD(1071, 462) = 21"

// TestTranslatorThinking: the documented thinking stream yields thinking
// deltas that accumulate into the block, signature included, only when
// asked; without Thinking, none.
func TestTranslatorThinking(t *testing.T) {
	resp, _ := translate(t, true, "testdata/stream_thinking.sse")
	th := resp.Choices[0].Message.Thinking()
	if len(th) != 1 || th[0].Text != gcdThinking || th[0].Signature != "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..." || th[0].Redacted != "" {
		t.Errorf("thinking %+v", th)
	}
	if resp.Choices[0].Message.Text() != "The greatest common divisor of 1071 and 462 is **21**." {
		t.Errorf("text %q", resp.Choices[0].Message.Text())
	}
	resp, chunks := translate(t, false, "testdata/stream_thinking.sse")
	if th := resp.Choices[0].Message.Thinking(); th != nil {
		t.Errorf("thinking not asked for, got %+v", th)
	}
	for _, c := range chunks {
		for _, ch := range c.Choices {
			if ch.Delta.Thinking != nil {
				t.Errorf("a thinking delta when not asked: %+v", ch.Delta.Thinking)
			}
		}
	}
}

// TestStreamEncoderThinking: thinking deltas are written back as the API
// writes them — content_block_start (thinking), thinking_delta,
// signature_delta, content_block_stop, then the text block — and a
// redacted block whole at its start; the complete answer has the blocks
// first.
func TestStreamEncoderThinking(t *testing.T) {
	_, chunks := translate(t, true, "testdata/stream_thinking.sse")
	redacted := &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Thinking: &llm.ThinkingDelta{Index: 1, Redacted: "EmwKAhgB"}}}}}
	for i, c := range chunks { // a redacted block (index 1) after the signed one
		if len(c.Choices) > 0 && c.Choices[0].Delta.Thinking != nil && c.Choices[0].Delta.Thinking.Signature != "" {
			chunks = append(chunks[:i+1], append([]*llm.Chunk{redacted}, chunks[i+1:]...)...)
			break
		}
	}
	e := StreamEncoder{RequestID: "req_1", Model: "m"}
	var out []byte
	for _, c := range chunks {
		out = e.Chunk(out, c)
	}
	out = e.End(out, nil)
	names, datas := sseEvents(t, string(out))
	var seq []string
	for i, n := range names {
		switch n {
		case EventContentBlockStart, EventContentBlockDelta:
			for _, k := range []string{`"type":"thinking"`, `"type":"redacted_thinking","data":"EmwKAhgB"`, `"type":"text"`, "thinking_delta", "signature_delta", "text_delta"} {
				if strings.Contains(datas[i], k) {
					n += " " + k
					break
				}
			}
		}
		if len(seq) == 0 || seq[len(seq)-1] != n {
			seq = append(seq, n)
		}
	}
	want := []string{"message_start", `content_block_start "type":"thinking"`, "ping", "content_block_delta thinking_delta",
		"content_block_delta signature_delta", "content_block_stop", `content_block_start "type":"redacted_thinking","data":"EmwKAhgB"`,
		"content_block_stop", `content_block_start "type":"text"`, "content_block_delta text_delta", "content_block_stop", "message_delta", "message_stop"}
	if strings.Join(seq, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(seq, "\n"), strings.Join(want, "\n"))
	}
	var acc llm.Accumulator
	for _, c := range chunks {
		acc.Add(c)
	}
	body := string(AppendResponse(nil, acc.Response(), "msg_1"))
	thinkingAt, redactedAt, textAt := strings.Index(body, `{"type":"thinking","thinking":"I need`), strings.Index(body, `{"type":"redacted_thinking","data":"EmwKAhgB"}`), strings.Index(body, `{"type":"text"`)
	if thinkingAt < 0 || !strings.Contains(body, `"signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..."`) || !(thinkingAt < redactedAt && redactedAt < textAt) {
		t.Errorf("complete answer %s", body)
	}
}

// TestThinkingHistoryRoundTrip: an Anthropic client's assistant turn keeps
// its thinking blocks, in order, and FromLLM sends them back unchanged
// before the turn's other blocks when the request thinks, and drops them
// when it does not.
func TestThinkingHistoryRoundTrip(t *testing.T) {
	body := `{"model":"claude-sonnet-4-5","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2048},"tools":[{"name":"f","input_schema":{"type":"object"}}],"messages":[` +
		`{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"thinking","thinking":"t1","signature":"s1"},{"type":"redacted_thinking","data":"d2"},{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"r"}]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.Thinking{{Text: "t1", Signature: "s1"}, {Redacted: "d2"}}
	if got := req.Messages[1].Thinking(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("thinking %+v", got)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	blocks := out.Messages[1].Content
	if len(blocks) != 3 || blocks[0].Type != BlockThinking || blocks[0].Thinking != "t1" || blocks[0].Signature != "s1" ||
		blocks[1].Type != BlockRedactedThinking || blocks[1].Data != "d2" || blocks[2].Type != BlockToolUse {
		t.Errorf("blocks %+v", blocks)
	}
	req.Reasoning = nil
	out, err = FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if blocks := out.Messages[1].Content; len(blocks) != 1 || blocks[0].Type != BlockToolUse {
		t.Errorf("without thinking: blocks %+v", blocks)
	}
}

// Another provider's thought summaries (unsigned) are never sent to
// Claude, which would refuse them, and do not count as the thinking a tool
// loop needs.
func TestUnsignedThinkingLeftOut(t *testing.T) {
	th := []llm.Thinking{{Text: "gemini's summary"}, {Text: "t", Signature: "sig"}, {Redacted: "r"}}
	if b := thinkingBlocks(th); len(b) != 2 || b[0].Signature != "sig" || b[1].Type != BlockRedactedThinking {
		t.Errorf("blocks %+v", b)
	}
	call := llm.Message{Role: llm.RoleAssistant}
	call.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: "f", Arguments: "{}"}})
	call.SetThinking([]llm.Thinking{{Text: "gemini's summary"}})
	res := llm.TextMessage(llm.RoleTool, "r")
	res.SetToolCallID("c1")
	if !UnthoughtToolLoop([]llm.Message{llm.TextMessage(llm.RoleUser, "q"), call, res}) {
		t.Error("a turn with only unsigned thinking counted as thought")
	}
}
