package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

const customChatRequest = `{"model":"m","messages":[{"role":"user","content":"patch it"},
	{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"custom","custom":{"name":"apply_patch","input":"*** Begin Patch\n*** End Patch"}}]},
	{"role":"tool","tool_call_id":"call_1","content":"applied"}],
	"tools":[{"type":"custom","custom":{"name":"apply_patch","description":"Patch files.","format":{"type":"grammar","grammar":{"definition":"start: /.+/","syntax":"lark"}}}},
	{"type":"custom","custom":{"name":"note","format":{"type":"text"}}},{"type":"custom","custom":{"name":"free"}}],
	"tool_choice":{"type":"custom","custom":{"name":"apply_patch"}}}`

// A chat request with custom tools decodes to canonical custom tools and
// calls, and encodes back (to an OpenAI upstream) in the chat shapes.
func TestCustomToolsRoundTrip(t *testing.T) {
	req, err := DecodeChatRequest([]byte(customChatRequest))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Tools) != 3 || !req.Tools[0].IsCustom() || string(req.Tools[0].Format) != `{"type":"grammar","syntax":"lark","definition":"start: /.+/"}` ||
		string(req.Tools[1].Format) != `{"type":"text"}` || req.Tools[2].Format != nil {
		t.Fatalf("tools %+v", req.Tools)
	}
	calls := req.Messages[1].ToolCalls()
	if len(calls) != 1 || calls[0].Type != llm.ToolCustom || calls[0].Name != "apply_patch" || calls[0].Arguments != "*** Begin Patch\n*** End Patch" {
		t.Fatalf("calls %+v", calls)
	}
	if req.ToolChoice.Mode != llm.ToolChoiceFunction || req.ToolChoice.Name != "apply_patch" {
		t.Errorf("tool_choice %+v", req.ToolChoice)
	}
	b, err := EncodeChatRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"tools":[{"type":"custom","custom":{"name":"apply_patch","description":"Patch files.","format":{"type":"grammar","grammar":{"definition":"start: /.+/","syntax":"lark"}}}},{"type":"custom","custom":{"name":"note","format":{"type":"text"}}},{"type":"custom","custom":{"name":"free"}}]`,
		`"tool_calls":[{"id":"call_1","type":"custom","custom":{"name":"apply_patch","input":"*** Begin Patch\n*** End Patch"}}]`,
		`"tool_choice":{"type":"custom","custom":{"name":"apply_patch"}}`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("encoded request lacks\n %s\nin\n %s", want, b)
		}
	}
	again, err := DecodeChatRequest(b)
	if err != nil || len(again.Tools) != 3 || string(again.Tools[0].Format) != string(req.Tools[0].Format) {
		t.Errorf("decoded again: %v %+v", err, again)
	}
}

// An upstream's custom call decodes, complete and streamed, and encodes
// to the client in the same shapes.
func TestCustomCallResponse(t *testing.T) {
	body := `{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"custom","custom":{"name":"apply_patch","input":"a\"b"}}]},"finish_reason":"tool_calls"}]}`
	r, err := DecodeChatResponse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	c := r.Choices[0].Message.ToolCalls()
	if len(c) != 1 || c[0].Type != llm.ToolCustom || c[0].Arguments != `a"b` {
		t.Fatalf("calls %+v", c)
	}
	if out := string(AppendChatResponse(nil, r)); !strings.Contains(out, `"tool_calls":[{"id":"call_1","type":"custom","custom":{"name":"apply_patch","input":"a\"b"}}]`) {
		t.Errorf("encoded %s", out)
	}
	var acc llm.Accumulator
	for _, chunk := range []string{
		`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"custom","custom":{"name":"apply_patch","input":"*** Begin"}}]}}]}`,
		`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"custom":{"input":" Patch"}}]}}]}`,
	} {
		ch, err := DecodeChunk([]byte(chunk))
		if err != nil {
			t.Fatal(err)
		}
		if d := ch.Choices[0].Delta.ToolCalls[0]; d.Type != llm.ToolCustom {
			t.Errorf("fragment without type: %+v", d)
		}
		out := AppendChunk(nil, ch)
		if !json.Valid(out) || !strings.Contains(string(out), `"type":"custom","custom":{`) {
			t.Errorf("encoded chunk %s", out)
		}
		acc.Add(ch)
	}
	got := acc.Response().Choices[0].Message.ToolCalls()
	if len(got) != 1 || got[0].Type != llm.ToolCustom || got[0].Arguments != "*** Begin Patch" || got[0].Name != "apply_patch" {
		t.Errorf("accumulated %+v", got)
	}
}
