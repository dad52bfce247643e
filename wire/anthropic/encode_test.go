package anthropic

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

func TestEventWriterBytes(t *testing.T) {
	var buf bytes.Buffer
	flushes := 0
	w := &EventWriter{W: &buf, Flush: func() { flushes++ }}
	in, out := 25, 15
	steps := []func() error{
		func() error {
			return w.MessageStart(&MessagesResponse{ID: "msg_1", Model: "claude-x", Usage: Usage{InputTokens: in, OutputTokens: 1}})
		},
		func() error { return w.ContentBlockStart(0, ContentBlock{Type: BlockText}) },
		w.Ping,
		func() error { return w.TextDelta(0, "Hello") },
		func() error { return w.ContentBlockStop(0) },
		func() error {
			return w.ContentBlockStart(1, ContentBlock{Type: BlockToolUse, ID: "toolu_1", Name: "f"})
		},
		func() error { return w.InputJSONDelta(1, "") },
		func() error { return w.ContentBlockStop(1) },
		func() error { return w.MessageDelta(StopToolUse, nil, nil, nil, DeltaUsage{OutputTokens: out}, nil) },
		w.MessageStop,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	want := `event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"stop_details":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"server_tool_use":null}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type":"ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null,"stop_details":null},"usage":{"output_tokens":15,"server_tool_use":null}}

event: message_stop
data: {"type":"message_stop"}

`
	if buf.String() != want {
		t.Errorf("stream bytes:\n%s\nwant:\n%s", buf.String(), want)
	}
	if flushes != len(steps) {
		t.Errorf("flushed %d times, want %d", flushes, len(steps))
	}
	// And what we write, we read.
	views, err := decodeAll(t, bytes.NewReader(buf.Bytes()))
	if err != io.EOF || len(views) != 7 || views[1].Content != "Hello" || views[3].ToolCalls[0].Arguments != "{}" {
		t.Errorf("round trip: %+v, %v", views, err)
	}
}

func TestEncodeResponseAndError(t *testing.T) {
	stop := StopEndTurn
	b, err := EncodeResponse(&MessagesResponse{ID: "msg_1", Model: "m", StopReason: &stop,
		Content: []ContentBlock{{Type: BlockText, Text: "Hi"}, {Type: BlockToolUse, ID: "toolu_1", Name: "f", Input: json.RawMessage(`{"a":1}`)}},
		Usage:   Usage{InputTokens: 3, OutputTokens: 2, ServiceTier: "standard"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Hi"},{"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}],"stop_reason":"end_turn","stop_sequence":null,"stop_details":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2,"server_tool_use":null,"service_tier":"standard"}}`
	if string(b) != want {
		t.Errorf("EncodeResponse:\n got %s\nwant %s", b, want)
	}
	e := EncodeError(NotFoundError, "model: nope", "req_1")
	if string(e) != `{"type":"error","error":{"type":"not_found_error","message":"model: nope"},"request_id":"req_1"}` {
		t.Errorf("EncodeError = %s", e)
	}
}

func TestBlocksDecode(t *testing.T) {
	var m Message
	if err := json.Unmarshal([]byte(`{"role":"user","content":"Hello, Claude"}`), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Content) != 1 || m.Content[0].Type != BlockText || m.Content[0].Text != "Hello, Claude" {
		t.Errorf("string content = %+v", m.Content)
	}
	raw := `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"15 degrees","is_error":true,"cache_control":{"type":"ephemeral"}},` +
		`{"type":"search_result","source":"s","title":"t","content":[{"type":"text","text":"x"}]},{"type":"text","text":"hi","cache_control":{"type":"ephemeral","ttl":"1h"}}]}`
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	tr := m.Content[0]
	if !tr.HasContent || tr.Content.Text() != "15 degrees" || !tr.IsError || tr.CacheControl == nil {
		t.Errorf("tool_result = %+v", tr)
	}
	if m.Content[1].Type != "search_result" || len(m.Content[1].Raw) == 0 {
		t.Errorf("unknown block = %+v", m.Content[1])
	}
	if m.Content[2].CacheControl.TTL != "1h" {
		t.Errorf("cache_control = %+v", m.Content[2].CacheControl)
	}
	again, _ := json.Marshal(m)
	jsonEqual(t, again, `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"15 degrees"}],"is_error":true,"cache_control":{"type":"ephemeral"}},`+
		`{"type":"search_result","source":"s","title":"t","content":[{"type":"text","text":"x"}]},{"type":"text","text":"hi","cache_control":{"type":"ephemeral","ttl":"1h"}}]}`)
	if err := json.Unmarshal([]byte(`{"role":"user","content":[{"text":"no type"}]}`), &m); err == nil {
		t.Error("a block without a type decoded")
	}
}
