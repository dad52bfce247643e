package responses

import (
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

// upstreamShellStream is a streamed answer calling shell and
// apply_patch natively, as OpenAI writes it: the shell call's command
// events carry nothing the done item does not.
var upstreamShellStream = []string{
	`{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","model":"gpt-5.3-codex","status":"in_progress"}}`,
	`{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"sh_1","type":"shell_call","status":"in_progress","call_id":"call_a","action":{"commands":["ls -la"],"timeout_ms":null,"max_output_length":null},"environment":{"type":"local"}}}`,
	`{"type":"response.shell_call_command.added","sequence_number":2,"output_index":0,"command_index":0,"command":""}`,
	`{"type":"response.shell_call_command.delta","sequence_number":3,"output_index":0,"command_index":0,"delta":"ls -la"}`,
	`{"type":"response.shell_call_command.done","sequence_number":4,"output_index":0,"command_index":0,"command":"ls -la"}`,
	`{"type":"response.output_item.done","sequence_number":5,"output_index":0,"item":{"id":"sh_1","type":"shell_call","status":"completed","call_id":"call_a","action":{"commands":["ls -la"], "timeout_ms":null,"max_output_length":null},"environment":{"type":"local"}}}`,
	`{"type":"response.output_item.added","sequence_number":6,"output_index":1,"item":{"id":"apc_1","type":"apply_patch_call","status":"in_progress","call_id":"call_b","operation":{"type":"create_file","path":"a.txt","diff":""}}}`,
	`{"type":"response.output_item.done","sequence_number":7,"output_index":1,"item":{"id":"apc_1","type":"apply_patch_call","status":"completed","call_id":"call_b","operation":{"type":"create_file","path":"a.txt","diff":"+hi\n"}}}`,
	`{"type":"response.completed","sequence_number":8,"response":{"id":"resp_1","model":"gpt-5.3-codex","status":"completed","usage":{"input_tokens":10,"output_tokens":5,"total_tokens":15}}}`,
}

// TestUpstreamClientCalls: native shell and apply_patch calls are the
// calls of the functions of their names, arguments the action and the
// operation, finish tool_calls, streamed and whole.
func TestUpstreamClientCalls(t *testing.T) {
	var d UpstreamDecoder
	var chunks []*llm.Chunk
	for _, ev := range upstreamShellStream {
		var err error
		if chunks, _, err = d.Event([]byte(ev), chunks); err != nil {
			t.Fatalf("%s: %v", ev, err)
		}
	}
	var acc llm.Accumulator
	for _, ch := range chunks {
		acc.Add(ch)
	}
	checkClientCalls(t, acc.Response())

	whole := `{"id":"resp_1","model":"gpt-5.3-codex","status":"completed","output":[` +
		`{"id":"sh_1","type":"shell_call","status":"completed","call_id":"call_a","action":{"commands":["ls -la"],"timeout_ms":null,"max_output_length":null},"environment":{"type":"local"}},` +
		`{"id":"apc_1","type":"apply_patch_call","status":"completed","call_id":"call_b","operation":{"type":"create_file","path":"a.txt","diff":"+hi\n"}}],` +
		`"usage":{"input_tokens":10,"output_tokens":5,"total_tokens":15}}`
	resp, err := DecodeUpstreamResponse([]byte(whole))
	if err != nil {
		t.Fatal(err)
	}
	checkClientCalls(t, resp)

	for _, bad := range []string{
		`{"type":"response.output_item.done","output_index":0,"item":{"type":"shell_call","call_id":"c","action":null}}`,
		`{"type":"response.output_item.done","output_index":0,"item":{"type":"apply_patch_call","call_id":"","operation":{"type":"delete_file","path":"a"}}}`,
	} {
		var d UpstreamDecoder
		if _, _, err := d.Event([]byte(bad), nil); !errors.Is(err, ErrUpstreamEvent) {
			t.Errorf("%s: error %v", bad, err)
		}
	}
}

func checkClientCalls(t *testing.T, resp *llm.Response) {
	t.Helper()
	c := resp.Choices[0]
	calls := c.Message.ToolCalls()
	if c.FinishReason != llm.FinishToolCalls || len(calls) != 2 ||
		calls[0] != (llm.ToolCall{ID: "call_a", Type: "function", Name: "shell", Arguments: `{"commands":["ls -la"],"timeout_ms":null,"max_output_length":null}`}) ||
		calls[1] != (llm.ToolCall{ID: "call_b", Type: "function", Name: "apply_patch", Arguments: `{"type":"create_file","path":"a.txt","diff":"+hi\n"}`}) {
		t.Errorf("finish %s calls %+v", c.FinishReason, calls)
	}
}

// TestEncodeUpstreamClientCalls: a Responses client's loop with shell,
// apply_patch and local_shell goes upstream as the tools, their call
// items and their output items, which the router's strict decoder reads
// back; a call answered by a function_call_output goes as a function
// call.
func TestEncodeUpstreamClientCalls(t *testing.T) {
	in := `{"model":"gpt-5.3-codex","tools":[{"type":"shell","environment":{"type":"local"}},{"type":"apply_patch"},{"type":"local_shell"}],"input":[` +
		`{"role":"user","content":"go"},` +
		`{"type":"shell_call","call_id":"c1","action":{"commands":["ls"]}},` +
		`{"type":"shell_call_output","call_id":"c1","max_output_length":100,"output":[{"stdout":"a\n","stderr":"","outcome":{"type":"exit","exit_code":0}}]},` +
		`{"type":"apply_patch_call","call_id":"c2","status":"completed","operation":{"type":"delete_file","path":"a"}},` +
		`{"type":"apply_patch_call_output","call_id":"c2","status":"failed","output":"no such file"},` +
		`{"type":"local_shell_call","id":"lsh_x","call_id":"c3","status":"completed","action":{"type":"exec","command":["date"],"env":{}}},` +
		`{"type":"local_shell_call_output","id":"c3","output":"Sun"},` +
		`{"type":"shell_call","call_id":"c4","action":{"commands":["pwd"]}},` +
		`{"type":"function_call_output","call_id":"c4","output":"/"}]}`
	r, err := DecodeRequest([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	body, err := EncodeUpstream(r.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"tools":[{"type":"shell","environment":{"type":"local"}},{"type":"apply_patch"},{"type":"local_shell"}]`,
		`{"type":"shell_call","call_id":"c1","action":{"commands":["ls"],"timeout_ms":null,"max_output_length":null}},` +
			`{"type":"shell_call_output","call_id":"c1","output":[{"stdout":"a\n","stderr":"","outcome":{"type":"exit","exit_code":0}}],"max_output_length":100},` +
			`{"type":"apply_patch_call","call_id":"c2","status":"completed","operation":{"type":"delete_file","path":"a"}},` +
			`{"type":"apply_patch_call_output","call_id":"c2","status":"failed","output":"no such file"},` +
			`{"type":"local_shell_call","id":"lsh_c3","call_id":"c3","status":"completed","action":{"type":"exec","command":["date"],"timeout_ms":null,"working_directory":null,"env":{},"user":null}},` +
			`{"type":"local_shell_call_output","id":"c3","output":"Sun"},` +
			`{"type":"function_call","call_id":"c4","name":"shell","arguments":"{\"commands\":[\"pwd\"],\"timeout_ms\":null,\"max_output_length\":null}"},` +
			`{"type":"function_call_output","call_id":"c4","output":"/"}`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("sent %s\nwant it to hold %s", body, want)
		}
	}
	back, err := DecodeRequest(body)
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if n := len(back.Chat.Messages); n != len(r.Chat.Messages) {
		t.Fatalf("%d messages back, want %d", n, len(r.Chat.Messages))
	}
	for i, m := range back.Chat.Messages {
		if m.Text() != r.Chat.Messages[i].Text() || len(m.ToolCalls()) != len(r.Chat.Messages[i].ToolCalls()) {
			t.Errorf("message %d: %+v, sent %+v", i, m, r.Chat.Messages[i])
		}
	}
}
