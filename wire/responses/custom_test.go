package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

const grammarTool = `{"type":"custom","name":"apply_patch","description":"Patch files.","format":{"type":"grammar","syntax":"lark","definition":"start: \"*** Begin Patch\" /(.|\\n)*/"}}`

func TestDecodeCustomTools(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":[
		{"role":"user","content":"fix it"},
		{"type":"custom_tool_call","id":"ctc_1","call_id":"call_1","name":"apply_patch","input":"*** Begin Patch\nx","status":"completed"},
		{"type":"custom_tool_call_output","call_id":"call_1","output":"done"}],
		"tools":[`+grammarTool+`,{"type":"custom","name":"free"}],"tool_choice":{"type":"custom","name":"apply_patch"}}`)
	req := r.Chat
	if len(req.Tools) != 2 || !req.Tools[0].IsCustom() || req.Tools[0].Description != "Patch files." || req.Tools[1].Format != nil {
		t.Fatalf("tools %+v", req.Tools)
	}
	var f map[string]string
	if err := json.Unmarshal(req.Tools[0].Format, &f); err != nil || f["syntax"] != "lark" || !strings.HasPrefix(f["definition"], "start:") {
		t.Errorf("format %s: %v", req.Tools[0].Format, err)
	}
	if req.ToolChoice == nil || req.ToolChoice.Mode != llm.ToolChoiceFunction || req.ToolChoice.Name != "apply_patch" {
		t.Errorf("tool_choice %+v", req.ToolChoice)
	}
	calls := req.Messages[1].ToolCalls()
	if len(calls) != 1 || calls[0].Type != llm.ToolCustom || calls[0].Arguments != "*** Begin Patch\nx" || calls[0].ID != "call_1" {
		t.Fatalf("calls %+v", calls)
	}
	if req.Messages[2].Role != llm.RoleTool || req.Messages[2].ToolCallID() != "call_1" || req.Messages[2].Text() != "done" {
		t.Errorf("output %+v", req.Messages[2])
	}
	b := string(AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: "m"}, &Output{Status: StatusCompleted}))
	if !strings.Contains(b, `"tool_choice":{"type":"custom","name":"apply_patch"}`) || !strings.Contains(b, `{"type":"custom","name":"free","format":{"type":"text"}}`) {
		t.Errorf("echo: %s", b)
	}
}

func TestDecodeCustomToolErrors(t *testing.T) {
	for _, c := range []struct{ body, param string }{
		{`{"model":"m","input":"hi","tools":[{"type":"custom"}]}`, "tools[0].name"},
		{`{"model":"m","input":"hi","tools":[{"type":"custom","name":"t","format":{"type":"grammar","syntax":"pcre","definition":"x"}}]}`, "tools[0].format.syntax"},
		{`{"model":"m","input":"hi","tools":[{"type":"custom","name":"t","format":{"type":"grammar","syntax":"lark"}}]}`, "tools[0].format.definition"},
		{`{"model":"m","input":"hi","tools":[{"type":"custom","name":"t","format":{"type":"xml"}}]}`, "tools[0].format.type"},
		{`{"model":"m","input":"hi","tools":[{"type":"custom","name":"t","format":"text"}]}`, "tools[0].format"},
		{`{"model":"m","input":"hi","tools":[{"type":"custom","name":"t","bogus":1}]}`, "tools[0].bogus"},
		{`{"model":"m","input":[{"type":"custom_tool_call","call_id":"c","name":"t"}]}`, "input[0].input"},
		{`{"model":"m","input":[{"type":"custom_tool_call_output","call_id":"c","output":"x"}]}`, "input[0].call_id"},
		{`{"model":"m","input":"hi","tools":[{"type":"custom","name":"t"}],"tool_choice":{"type":"custom","name":"u"}}`, "tool_choice.name"},
	} {
		_, err := DecodeRequest([]byte(c.body))
		e, ok := err.(*llm.Error)
		if !ok || e.Kind != llm.KindInvalidRequest || e.Param != c.param {
			t.Errorf("%s: %v (param %v), want %s", c.body, err, e, c.param)
		}
	}
}

func TestCustomCallOutput(t *testing.T) {
	resp := &llm.Response{Choices: []llm.Choice{{FinishReason: llm.FinishToolCalls}}}
	resp.Choices[0].Message.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: llm.ToolCustom, Name: "apply_patch", Arguments: "a\"b"}})
	out := FromResponse(resp, IDs{Base: "b"})
	if len(out.Items) != 1 || out.Items[0].Type != ItemCustomToolCall || out.Items[0].ID != "ctc_b_0" {
		t.Fatalf("items %+v", out.Items)
	}
	want := `[{"id":"ctc_b_0","type":"custom_tool_call","status":"completed","call_id":"call_1","input":"a\"b","name":"apply_patch"}]`
	if got := string(StoredOutput(&out)); got != want {
		t.Errorf("stored\n got %s\nwant %s", got, want)
	}
	// The stored item decodes back as the call it was.
	msgs, err := decodeInput(StoredOutput(&out), nil, nil, nil)
	if err != nil || len(msgs) != 1 || msgs[0].ToolCalls()[0].Type != llm.ToolCustom || msgs[0].ToolCalls()[0].Arguments != "a\"b" {
		t.Errorf("decoded back: %+v %v", msgs, err)
	}
}

func TestStreamCustomCall(t *testing.T) {
	start := &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, ID: "call_1", Type: llm.ToolCustom, Name: "apply_patch", Arguments: "*** Begin"}}}}}}
	evs := run(t, start, callChunk(0, "", "", " Patch"), finishChunk(llm.FinishToolCalls))
	want := "created in_progress output_item.added custom_tool_call_input.delta custom_tool_call_input.delta custom_tool_call_input.done output_item.done completed"
	if got := names(evs); got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}
	added := evs[2].data["item"].(map[string]any)
	if added["type"] != "custom_tool_call" || added["input"] != "" || added["call_id"] != "call_1" || added["id"] != "ctc_b_0" {
		t.Errorf("added %v", added)
	}
	if d := evs[3].data; d["delta"] != "*** Begin" || d["item_id"] != "ctc_b_0" || d["output_index"] != 0.0 {
		t.Errorf("delta %v", d)
	}
	if evs[5].data["input"] != "*** Begin Patch" {
		t.Errorf("done %v", evs[5].data)
	}
	done := evs[6].data["item"].(map[string]any)
	if done["input"] != "*** Begin Patch" || done["status"] != "completed" || done["name"] != "apply_patch" {
		t.Errorf("item done %v", done)
	}
}
