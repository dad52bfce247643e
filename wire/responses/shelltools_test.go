package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

const clientTools = `[{"type":"shell","environment":{"type":"local","skills":[{"name":"pdf","description":"Read PDFs.","path":"/skills/pdf"}]}},{"type":"apply_patch"},{"type":"local_shell"}]`

func TestDecodeClientTools(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","tools":`+clientTools+`,"tool_choice":{"type":"shell"}}`)
	tools := r.Chat.Tools
	if len(tools) != 3 {
		t.Fatalf("tools %+v", tools)
	}
	for i, want := range []string{ToolShell, ToolApplyPatch, ToolLocalShell} {
		tl := tools[i]
		if tl.Type != "function" || tl.Name != want || tl.OpenAIClient == nil || tl.OpenAIClient.Type != want || tl.Description == "" || !json.Valid(tl.Parameters) {
			t.Errorf("tool %d: %+v", i, tl)
		}
	}
	if !strings.Contains(tools[0].Description, "pdf (/skills/pdf): Read PDFs.") || string(tools[0].OpenAIClient.Environment) != `{"type":"local","skills":[{"name":"pdf","description":"Read PDFs.","path":"/skills/pdf"}]}` {
		t.Errorf("shell: %q %s", tools[0].Description, tools[0].OpenAIClient.Environment)
	}
	if !strings.Contains(tools[1].Description, "V4A") || !strings.Contains(string(tools[1].Parameters), `"enum":["create_file","update_file","delete_file"]`) {
		t.Errorf("apply_patch: %q %s", tools[1].Description, tools[1].Parameters)
	}
	if tc := r.Chat.ToolChoice; tc == nil || tc.Mode != llm.ToolChoiceFunction || tc.Name != "shell" {
		t.Errorf("tool_choice %+v", tc)
	}
	b := string(AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: "m"}, &Output{Status: StatusCompleted}))
	for _, want := range []string{`"tool_choice":{"type":"shell"}`, `{"type":"shell","environment":{"type":"local","skills":`, `{"type":"apply_patch"},{"type":"local_shell"}]`} {
		if !strings.Contains(b, want) {
			t.Errorf("echo lacks %s: %s", want, b)
		}
	}
	r = decodeOK(t, `{"model":"m","input":"hi","tools":[{"type":"shell"},{"type":"apply_patch"}],"tool_choice":{"type":"apply_patch"}}`)
	if r.Chat.Tools[0].OpenAIClient.Environment != nil || r.Chat.ToolChoice.Name != "apply_patch" {
		t.Errorf("no environment: %+v %+v", r.Chat.Tools[0], r.Chat.ToolChoice)
	}
	if b := string(AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}}, &Output{})); !strings.Contains(b, `{"type":"shell","environment":null}`) {
		t.Errorf("echo %s", b)
	}
}

func TestDecodeClientToolErrors(t *testing.T) {
	for _, c := range []struct{ body, param, code string }{
		{`{"model":"m","input":"hi","tools":[{"type":"shell","environment":{"type":"container_auto"}}]}`, "tools[0].environment.type", "unsupported_value"},
		{`{"model":"m","input":"hi","tools":[{"type":"shell","environment":{"type":"container_reference","container_id":"cntr_1"}}]}`, "tools[0].environment.type", "unsupported_value"},
		{`{"model":"m","input":"hi","tools":[{"type":"shell","environment":{"type":"moon"}}]}`, "tools[0].environment.type", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"shell","environment":"local"}]}`, "tools[0].environment", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"shell","environment":{"type":"local","skills":[{"name":"a","path":"/a"}]}}]}`, "tools[0].environment.skills[0].description", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"shell","environment":{"type":"local","bogus":1}}]}`, "tools[0].environment.bogus", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"apply_patch","allowed_callers":["direct"]}]}`, "tools[0].allowed_callers", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"local_shell","name":"x"}]}`, "tools[0].name", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"shell"},{"type":"function","name":"shell"}]}`, "tools", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"shell"}],"tool_choice":{"type":"apply_patch"}}`, "tool_choice.type", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"custom","name":"apply_patch"}],"tool_choice":{"type":"apply_patch"}}`, "tool_choice.type", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"local_shell"}],"tool_choice":{"type":"local_shell"}}`, "tool_choice.type", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"shell"}],"tool_choice":{"type":"shell","name":"shell"}}`, "tool_choice.name", ""},
		{`{"model":"m","input":"hi","tools":[{"type":"nope"}]}`, "tools[0].type", "unsupported_value"},
	} {
		_, err := DecodeRequest([]byte(c.body))
		e, ok := err.(*llm.Error)
		if !ok || e.Kind != llm.KindInvalidRequest || e.Param != c.param || c.code != "" && e.Code != c.code {
			t.Errorf("%s: %v (%+v), want %s %s", c.body, err, e, c.param, c.code)
		}
	}
}

// clientCallResponse is an answer calling shell, apply_patch and
// local_shell with args, in order.
func clientCallResponse(args ...string) *llm.Response {
	resp := &llm.Response{Choices: []llm.Choice{{FinishReason: llm.FinishToolCalls}}}
	var calls []llm.ToolCall
	for i, name := range []string{"shell", "apply_patch", "local_shell"}[:len(args)] {
		calls = append(calls, llm.ToolCall{ID: "call_" + name, Name: name, Arguments: args[i]})
	}
	resp.Choices[0].Message.SetToolCalls(calls)
	return resp
}

func TestClientCallsOutput(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","tools":`+clientTools+`}`)
	out := OutputOf(r, clientCallResponse(`{"commands":["ls -la","cat <a> & b"],"timeout_ms":1000}`,
		`{"type":"update_file","path":"a.txt","diff":"@@\n-a\n+b"}`, `{"command":["ls"],"env":{"B":"2","A":"1"}}`), IDs{Base: "b"})
	want := `[{"id":"sh_b_0","type":"shell_call","status":"completed","call_id":"call_shell","action":{"commands":["ls -la","cat <a> & b"],"timeout_ms":1000,"max_output_length":null},"environment":{"type":"local"}},` +
		`{"id":"apc_b_1","type":"apply_patch_call","status":"completed","call_id":"call_apply_patch","operation":{"type":"update_file","path":"a.txt","diff":"@@\n-a\n+b"}},` +
		`{"id":"lsh_b_2","type":"local_shell_call","status":"completed","call_id":"call_local_shell","action":{"type":"exec","command":["ls"],"timeout_ms":null,"working_directory":null,"env":{"A":"1","B":"2"},"user":null}}]`
	got := StoredOutput(&out)
	if string(got) != want {
		t.Fatalf("items\n got %s\nwant %s", got, want)
	}
	// Kept for the next turn, they decode back as the calls they were.
	msgs, err := decodeInput(got, nil, nil, nil)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("decoded back: %+v %v", msgs, err)
	}
	calls := msgs[0].ToolCalls()
	if len(calls) != 3 || calls[0].Name != "shell" || calls[0].Arguments != `{"commands":["ls -la","cat <a> & b"],"timeout_ms":1000,"max_output_length":null}` ||
		calls[1].Name != "apply_patch" || calls[2].ID != "call_local_shell" {
		t.Errorf("calls %+v", calls)
	}
}

// A call whose arguments are not the tool's action stays a function call.
func TestClientCallBadArguments(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","tools":`+clientTools+`}`)
	for _, args := range [][]string{
		{`{"commands":[]}`, `{"type":"delete_file"}`, `{"command":[],"env":{}}`},
		{`{"commands":"ls"}`, `{"type":"create_file","path":"a"}`, `{"type":"spawn","command":["ls"]}`},
		{`not json`, `{"type":"move_file","path":"a","diff":""}`, `[]`},
	} {
		out := OutputOf(r, clientCallResponse(args...), IDs{Base: "b"})
		for i, it := range out.Items {
			if it.Type != ItemFunctionCall || !strings.HasPrefix(it.ID, "fc_") || it.Arguments != args[i] {
				t.Errorf("%s: %+v", args[i], it)
			}
		}
	}
	// A delete_file's diff is dropped.
	out := OutputOf(r, clientCallResponse(`{"commands":["x"]}`, `{"type":"delete_file","path":"a","diff":"x"}`), IDs{Base: "b"})
	if it := out.Items[1]; it.Type != ItemApplyPatchCall || it.Arguments != `{"type":"delete_file","path":"a"}` {
		t.Errorf("delete %+v", it)
	}
}

func TestStreamClientCalls(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","stream":true,"tools":[{"type":"shell"},{"type":"apply_patch"}]}`)
	s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, CreatedAt: 1, Model: "up"})
	b := s.Start(nil)
	for _, c := range []*llm.Chunk{textChunk("On it."), callChunk(0, "call_1", "shell", `{"commands":["ls",`), callChunk(0, "", "", `"pwd"]}`),
		callChunk(1, "call_2", "apply_patch", `{"type":"create_file"`), finishChunk(llm.FinishToolCalls)} {
		b = s.Chunk(b, c)
	}
	evs := parseEvents(t, s.Finish(b, ""))
	want := "created in_progress output_item.added content_part.added output_text.delta output_text.done content_part.done output_item.done " +
		"output_item.added shell_call_command.added shell_call_command.delta shell_call_command.done shell_call_command.added shell_call_command.delta shell_call_command.done output_item.done " +
		"output_item.added function_call_arguments.delta function_call_arguments.done output_item.done completed"
	if got := names(evs); got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}
	added := evs[8].data["item"].(map[string]any)
	action, _ := added["action"].(map[string]any)
	if added["type"] != "shell_call" || added["status"] != "in_progress" || added["id"] != "sh_b_0" || evs[8].data["output_index"] != 1.0 || action == nil || added["environment"] != nil {
		t.Errorf("added %v", evs[8].data)
	}
	if d := evs[13].data; d["command_index"] != 1.0 || d["output_index"] != 1.0 || d["delta"] != "pwd" {
		t.Errorf("delta %v", d)
	}
	if d := evs[12].data; d["command"] != "" || d["command_index"] != 1.0 {
		t.Errorf("command added %v", d)
	}
	// The bad apply_patch call (no path) stays a function call, whole.
	if fc := evs[16].data["item"].(map[string]any); fc["type"] != "function_call" || fc["name"] != "apply_patch" || evs[17].data["delta"] != `{"type":"create_file"` {
		t.Errorf("function call %v %v", fc, evs[17].data)
	}
	out := response(evs)["output"].([]any)
	if len(out) != 3 || out[1].(map[string]any)["type"] != "shell_call" || out[2].(map[string]any)["type"] != "function_call" {
		t.Errorf("output %v", out)
	}
}
