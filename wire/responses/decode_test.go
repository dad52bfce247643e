package responses

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

func decodeOK(t *testing.T, body string) *Request {
	t.Helper()
	r, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return r
}

func TestDecodeFullRequest(t *testing.T) {
	r := decodeOK(t, `{
		"model": "auto", "instructions": "Be terse.", "temperature": 0.3, "top_p": 0.9, "max_output_tokens": 100,
		"input": [
			{"role": "user", "content": [{"type": "input_text", "text": "What is this?"}, {"type": "input_image", "image_url": "https://x/cat.png", "detail": "low"}]},
			{"type": "message", "id": "msg_1", "status": "completed", "role": "assistant", "content": [{"type": "output_text", "text": "Let me check.", "annotations": [], "logprobs": []}]},
			{"type": "function_call", "id": "fc_1", "call_id": "call_a", "name": "lookup", "arguments": "{\"q\":1}", "status": "completed"},
			{"type": "function_call", "call_id": "call_b", "name": "lookup", "arguments": "{}"},
			{"type": "function_call_output", "call_id": "call_a", "output": "one"},
			{"type": "function_call_output", "call_id": "call_b", "output": [{"type": "input_text", "text": "two"}]},
			{"role": "developer", "content": "Answer in French."}
		],
		"tools": [{"type": "function", "name": "lookup", "description": "Looks up", "parameters": {"type": "object"}, "strict": true}],
		"tool_choice": {"type": "function", "name": "lookup"}, "parallel_tool_calls": false,
		"text": {"format": {"type": "json_schema", "name": "out", "schema": {"type": "object"}, "strict": true}, "verbosity": "low"},
		"reasoning": {"effort": "low", "summary": "auto"}, "user": "u1", "metadata": {"k": "v"}, "store": false,
		"stream": true, "stream_options": {"include_obfuscation": false}, "include": ["reasoning.encrypted_content"],
		"service_tier": "auto", "safety_identifier": "s1", "prompt_cache_key": "pk", "truncation": "disabled", "max_tool_calls": 3
	}`)
	req := r.Chat
	if req.Model != "auto" || *req.Temperature != 0.3 || *req.TopP != 0.9 || *req.MaxTokens != 100 || !req.Stream || req.User != "u1" || req.Metadata["k"] != "v" {
		t.Errorf("scalars: %+v", req)
	}
	roles := []llm.Role{llm.RoleSystem, llm.RoleUser, llm.RoleAssistant, llm.RoleTool, llm.RoleTool, llm.RoleDeveloper}
	if len(req.Messages) != len(roles) {
		t.Fatalf("%d messages, want %d: %+v", len(req.Messages), len(roles), req.Messages)
	}
	for i, want := range roles {
		if req.Messages[i].Role != want {
			t.Errorf("message %d: role %q, want %q", i, req.Messages[i].Role, want)
		}
	}
	user, asst := req.Messages[1], req.Messages[2]
	if len(user.Content) != 2 || user.Content[1].ImageURL() != "https://x/cat.png" || user.Content[1].ImageDetail() != "low" {
		t.Errorf("user content %+v", user.Content)
	}
	if asst.Text() != "Let me check." || len(asst.ToolCalls()) != 2 || asst.ToolCalls()[1].ID != "call_b" {
		t.Errorf("the calls are not the assistant's: %+v %+v", asst, asst.ToolCalls())
	}
	if req.Messages[3].ToolCallID() != "call_a" || req.Messages[4].Text() != "two" {
		t.Errorf("tool messages %+v %+v", req.Messages[3], req.Messages[4])
	}
	if len(req.Tools) != 1 || !*req.Tools[0].Strict || req.ToolChoice.Name != "lookup" || *req.ParallelToolCalls {
		t.Errorf("tools %+v choice %+v", req.Tools, req.ToolChoice)
	}
	if rf := req.ResponseFormat; rf.Type != llm.FormatJSONSchema || rf.Name != "out" || string(rf.Schema) != `{"type": "object"}` {
		t.Errorf("format %+v", rf)
	}
	if req.ServiceTier != llm.TierAuto || req.Extra["service_tier"] != nil {
		t.Errorf("service tier %q, Extra %s", req.ServiceTier, req.Extra["service_tier"])
	}
	for k, want := range map[string]string{"verbosity": `"low"`, "safety_identifier": `"s1"`, "prompt_cache_key": `"pk"`} {
		if string(req.Extra[k]) != want {
			t.Errorf("Extra[%s] = %s, want %s", k, req.Extra[k], want)
		}
	}
	if req.Reasoning == nil || req.Reasoning.Effort != llm.EffortLow || req.Extra["reasoning_effort"] != nil {
		t.Errorf("reasoning %+v, Extra %s", req.Reasoning, req.Extra["reasoning_effort"])
	}
	if r.Store || *r.Instructions != "Be terse." || r.ReasoningSummary != "auto" || *r.MaxToolCalls != 3 {
		t.Errorf("echo fields %+v", r)
	}
}

func TestDecodeStringInput(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi"}`)
	if len(r.Chat.Messages) != 1 || r.Chat.Messages[0].Role != llm.RoleUser || r.Chat.Messages[0].Text() != "hi" || !r.Store {
		t.Fatalf("%+v", r.Chat.Messages)
	}
	if r.Chat.Stream || r.Chat.Extra != nil || r.Chat.ResponseFormat != nil {
		t.Errorf("defaults: %+v", r.Chat)
	}
}

// tool_choice "auto" or "none" without tools asks nothing of the model
// and is taken, as OpenAI's API (whose default is "auto") and the Chat
// decoder take it; parallel_tool_calls is kept for the response object.
func TestDecodeToolOptionsWithoutTools(t *testing.T) {
	for _, choice := range []string{`"auto"`, `"none"`} {
		r := decodeOK(t, `{"model":"m","input":"hi","parallel_tool_calls":false,"tool_choice":`+choice+`}`)
		if r.Chat.ToolChoice == nil || r.Chat.ParallelToolCalls == nil || len(r.Chat.Tools) != 0 {
			t.Errorf("%s: %+v", choice, r.Chat)
		}
	}
}

// Every refusal names the field at fault and says what to do.
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		body, param, says string
	}{
		{`[1]`, "", "must be a JSON object"},
		{`{"model":"m","input":"hi"`, "", "could not parse"},
		{`{"model":"m","input":"hi"} {}`, "", "could not parse"},
		{`{"input":"hi"}`, "model", "Missing required parameter"},
		{`{"model":"m"}`, "input", "Missing required parameter: 'input'"},
		{`{"model":"m","input":[]}`, "input", "at least one item"},
		{`{"model":"m","input":7}`, "input", "a number"},
		{`{"model":"m","input":"hi","foo":1}`, "foo", "Unknown parameter: 'foo'"},
		{`{"model":"m","input":"hi","temperature":"hot"}`, "temperature", "expected a number, but got a string"},
		{`{"model":"m","input":"hi","temperature":3}`, "temperature", "between 0 and 2"},
		{`{"model":"m","input":"hi","top_p":1.5}`, "top_p", "between 0 and 1"},
		{`{"model":"m","input":"hi","max_output_tokens":8}`, "max_output_tokens", ">= 16"},
		{`{"model":"m","input":"hi","max_output_tokens":20.5}`, "max_output_tokens", "expected an integer"},
		{`{"model":"m","input":"hi","temperature":1e999}`, "temperature", "number out of range. Expected a number that fits in 64 bits, but got 1e999 instead."},
		{`{"model":"m","input":"hi","max_output_tokens":99999999999999999999999}`, "max_output_tokens", "out of range. Expected an integer that fits in 64 bits, but got 99999999999999999999999 instead."},
		{`{"model":"m","input":"hi","max_output_tokens":` + strings.Repeat("9", 100000) + `}`, "max_output_tokens", "got " + strings.Repeat("9", 40) + "… (100000 characters) instead."},
		{`{"model":"m","input":"hi","previous_response_id":"resp_1"}`, "previous_response_id", "keeps no responses"},
		{`{"model":"m","input":"hi","conversation":"conv_1"}`, "conversation", "keeps no conversations"},
		{`{"model":"m","input":"hi","prompt":"pmpt_1"}`, "prompt", "expected an object, but got a string"},
		{`{"model":"m","input":"hi","prompt":{"version":"2"}}`, "prompt.id", "Missing required parameter"},
		{`{"model":"m","input":"hi","prompt":{"id":"p","vars":{}}}`, "prompt.vars", "Unknown parameter"},
		{`{"model":"m","input":"hi","prompt":{"id":"p","variables":[]}}`, "prompt.variables", "expected an object"},
		{`{"model":"m","input":"hi","context_management":[]}`, "context_management", "minimum length 1"},
		{`{"model":"m","input":"hi","context_management":{"type":"compaction"}}`, "context_management", "expected an array"},
		{`{"model":"m","input":"hi","context_management":[{"type":"trim"}]}`, "context_management[0].type", "'compaction'"},
		{`{"model":"m","input":"hi","context_management":[{"type":"compaction","compact_threshold":999}]}`, "context_management[0].compact_threshold", "greater than or equal to 1000"},
		{`{"model":"m","prompt":{"id":"p"},"input":null,"tools":[],"context_management":[{"type":"compaction","x":1}]}`, "context_management[0].x", "Unknown parameter"},
		{`{"model":"m","input":"hi","top_logprobs":21}`, "top_logprobs", "between 0 and 20, but got 21"},
		{`{"model":"m","input":"hi","top_logprobs":-1}`, "top_logprobs", "between 0 and 20, but got -1"},
		{`{"model":"m","input":"hi","truncation":"auto"}`, "truncation", "does not shorten"},
		{`{"model":"m","input":"hi","service_tier":"turbo"}`, "service_tier", "Invalid value for 'service_tier': 'turbo'. Supported values are: 'auto', 'default', 'flex', 'scale', 'priority', 'fast' and 'ultrafast'."},
		{`{"model":"m","input":"hi","stream_options":{}}`, "stream_options", "when 'stream' is true"},
		{`{"model":"m","input":"hi","stream":true,"stream_options":{"x":1}}`, "stream_options.x", "Unknown parameter"},
		{`{"model":"m","input":"hi","metadata":{"k":1}}`, "metadata.k", "expected a string, but got a number"},
		{`{"model":"m","input":"hi","metadata":{"k":"` + strings.Repeat("v", 513) + `"}}`, "metadata.k", "maximum length 512"},
		{`{"model":"m","input":[1]}`, "input[0]", "input item object"},
		{`{"model":"m","input":[{"role":"boss","content":"hi"}]}`, "input[0].role", "'user', 'assistant'"},
		{`{"model":"m","input":[{"content":"hi"}]}`, "input[0].role", "Missing required parameter"},
		{`{"model":"m","input":[{"role":"user","content":"hi","extra":1}]}`, "input[0].extra", "Unknown parameter: 'input[0].extra'"},
		{`{"model":"m","input":[{"role":"user","content":[]}]}`, "input[0].content", "at least one content part"},
		{`{"model":"m","input":[{"role":"user","content":[{"type":"input_text"}]}]}`, "input[0].content[0].text", "Missing required parameter"},
		{`{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a","image_url":"u"}]}]}`, "input[0].content[0].image_url", "Unknown parameter"},
		{`{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file_1","image_url":"https://x/a.png"}]}]}`, "input[0].content[0]", "only one of 'image_url' or 'file_id'"},
		{`{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":""}]}]}`, "input[0].content[0].image_url", "Missing required parameter"},
		{`{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"u","detail":"max"}]}]}`, "input[0].content[0].detail", "'auto' and 'original'"},
		{`{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_url":"https://x/r.pdf","detail":"original"}]}]}`, "input[0].content[0].detail", "'auto', 'low' and 'high'"},
		{`{"model":"m","input":[{"role":"user","content":[{"type":"input_audio"}]}]}`, "input[0].content[0].type", "not supported"},
		{`{"model":"m","input":[{"role":"user","content":[{"type":"refusal","refusal":"no"}]}]}`, "input[0].content[0].type", "assistant messages only"},
		{`{"model":"m","input":[{"type":"function_call","name":"f","arguments":"{}"}]}`, "input[0].call_id", "Missing required parameter"},
		{`{"model":"m","input":[{"type":"function_call_output","call_id":"c9","output":"x"}]}`, "input[0].call_id", "No function call found"},
		{`{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_file","file_url":"ftp://x/a.pdf"}]}]}`, "input[1].output[0].file_url", "http(s) URL"},
		{`{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}`, "input[0].type", "send the item itself"},
		{`{"model":"m","input":[{"type":"program","id":"p_1"}]}`, "input[0].type", "programmatic tool calling, which runs on OpenAI's side"},
		{`{"model":"m","input":[{"type":"program_output","id":"p_1"}]}`, "input[0].type", "'configuration_update', 'additional_tools', 'compaction_trigger' (the last item), the calls"},
		{`{"model":"m","input":[{"type":"nope","id":"x"}]}`, "input[0].type", "'apply_patch_call_output'), and the items of OpenAI's hosted tools"},
		{`{"model":"m","input":[{"type":"bogus_item"}]}`, "input[0].type", "Input items of type 'bogus_item' are not supported by this router; it supports 'message'"},
		{`{"model":"m","input":[{"type":"reasoning","id":"rs_1","summary":[{"type":"reasoning_text","text":"x"}]}]}`, "input[0].summary[0].type", "'summary_text'"},
		{`{"model":"m","input":[{"type":"reasoning","summary":[],"encrypted_content":7}]}`, "input[0].encrypted_content", "string"},
		{`{"model":"m","input":[{"type":"reasoning","summary":[{"type":"summary_text"}]}]}`, "input[0].summary[0].text", "Missing required"},
		{`{"model":"m","input":[{"type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"x","extra":1}]}]}`, "input[0].content[0].extra", "Unknown parameter"},
		{`{"model":"m","input":[{"type":"reasoning","summary":[],"status":"done"}]}`, "input[0].status", "'in_progress'"},
		{`{"model":"m","input":[{"type":"reasoning","summary":[],"data":"x"}]}`, "input[0].data", "Unknown parameter"},
		{`{"model":"m","input":"hi","reasoning":{"effort":"low","summary":"brief"}}`, "reasoning.summary", "'auto', 'concise' and 'detailed'"},
		{`{"model":"m","input":"hi","reasoning":{"generate_summary":"long"}}`, "reasoning.generate_summary", "'auto', 'concise' and 'detailed'"},
		{`{"model":"m","input":"hi","reasoning":{"context":"every_turn"}}`, "reasoning.context", "'auto', 'current_turn' and 'all_turns'"},
		{`{"model":"m","input":"hi","reasoning":{"effort":"ultra"}}`, "reasoning.effort", "'xhigh' and 'max'"},
		{`{"model":"m","input":[{"type":"reasoning","summary":[]}]}`, "input", "holds no message"},
		{`{"model":"m","input":"hi","prompt_cache_options":{"ttl":"1h"}}`, "prompt_cache_options.ttl", "'30m' and '12h'"},
		{`{"model":"m","input":"hi","prompt_cache_options":{"mode":"auto"}}`, "prompt_cache_options.mode", "'implicit' and 'explicit'"},
		{`{"model":"m","input":"hi","prompt_cache_options":{"size":1}}`, "prompt_cache_options.size", "Unknown parameter"},
		{`{"model":"m","input":[{"type":"bogus_call","id":"ws_1"}]}`, "input[0].type", "'message', 'function_call'"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"web_search"}}`, "tool_choice", "hosted tool 'web_search' is not in 'tools'"},
		{`{"model":"m","input":"hi","tools":["web_search"]}`, "tools[0]", "expected a tool object"},
		{`{"model":"m","input":"hi","tools":[{"type":"bogus","name":"x"}]}`, "tools[0].type", "only function, custom, namespace, local_shell, shell and apply_patch tools"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"bad name"}]}`, "tools[0].name", "1 to 64 letters"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f","parameters":[]}]}`, "tools[0].parameters", "JSON Schema object"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f","defer_loading":true}]}`, "tools[0].defer_loading", "Unknown parameter"},
		{`{"model":"m","input":"hi","tool_choice":"required"}`, "tool_choice", "needs at least one tool"},
		{`{"model":"m","input":"hi","tool_choice":"sometimes"}`, "tool_choice", "'none', 'auto', 'required'"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}`, "tool_choice.name", "no function named 'g'"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[]}}`, "tool_choice.tools", "empty array"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto"}}`, "tool_choice.tools", "Missing required parameter"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","tools":[{"type":"function","name":"f"}]}}`, "tool_choice.mode", "Missing required parameter"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"none","tools":[{"type":"function","name":"f"}]}}`, "tool_choice.mode", "'auto' and 'required'"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"f"},{"type":"function","name":"g"}]}}`, "tool_choice.tools[1].name", "no tool named 'g' in 'tools'"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function"}]}}`, "tool_choice.tools[0].name", "Missing required parameter"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"name":"f"}]}}`, "tool_choice.tools[0].type", "Missing required parameter"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":["f"]}}`, "tool_choice.tools[0]", "expected an object"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"bogus","name":"f"}]}}`, "tool_choice.tools[0].type", "'function', 'custom'"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"}]}}`, "tool_choice.tools[0].type", "hosted tool 'web_search' is not in 'tools'"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"shell"}]}}`, "tool_choice.tools[0].type", "no 'shell' tool"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"f","extra":1}]}}`, "tool_choice.tools[0].extra", "Unknown parameter"},
		{`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"f"}],"extra":1}}`, "tool_choice.extra", "Unknown parameter"},
		{`{"model":"m","input":"hi","text":{"format":{"type":"yaml"}}}`, "text.format.type", "'text', 'json_object'"},
		{`{"model":"m","input":"hi","text":{"format":{"type":"json_schema","schema":{}}}}`, "text.format.name", "Missing required parameter"},
		{`{"model":"m","input":"hi","text":{"format":{"type":"json_schema","name":"x"}}}`, "text.format.schema", "Missing required parameter"},
		{`{"model":"m","input":"hi","text":{"format":{"type":"text","name":"x"}}}`, "text.format", "no other field"},
		{`{"model":"m","input":"hi","text":{"verbosity":"loud"}}`, "text.verbosity", "'low', 'medium'"},
		{`{"model":"m","input":"hi","reasoning":{"effort":"extreme"}}`, "reasoning.effort", "'none', 'minimal'"},
	} {
		_, err := DecodeRequest([]byte(tc.body))
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest {
			t.Errorf("%s: error %v, want invalid_request", tc.body, err)
			continue
		}
		if e.Param != tc.param || !strings.Contains(e.Message, tc.says) {
			t.Errorf("%s:\n got param %q message %q\nwant param %q message containing %q", tc.body, e.Param, e.Message, tc.param, tc.says)
		}
	}
}

// The items of an answer's output, sent back as input, are the same
// conversation turn: the assistant's text and calls.
func TestOutputItemsDecodeBack(t *testing.T) {
	m := llm.TextMessage(llm.RoleAssistant, "Checking.")
	m.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "f", Arguments: `{"a":"\"q\""}`}})
	out := FromResponse(&llm.Response{Choices: []llm.Choice{{Message: m, FinishReason: llm.FinishToolCalls}}}, IDs{Base: "x"})
	var items []json.RawMessage
	for i := range out.Items {
		items = append(items, appendItem(nil, &out.Items[i], StatusCompleted, true))
	}
	items = append(items, json.RawMessage(`{"type":"function_call_output","call_id":"call_1","output":"ok"}`))
	input, _ := json.Marshal(items)
	r := decodeOK(t, `{"model":"m","input":`+string(input)+`}`)
	msgs := r.Chat.Messages
	if len(msgs) != 2 || msgs[0].Text() != "Checking." || len(msgs[0].ToolCalls()) != 1 || msgs[0].ToolCalls()[0] != m.ToolCalls()[0] || msgs[1].ToolCallID() != "call_1" {
		t.Fatalf("decoded back: %+v", msgs)
	}
}

// Every reasoning option of the API is read: effort up to max, the
// summary's values, context and mode (which no provider behind the router
// takes: accepted and left out), nulls.
func TestDecodeReasoningOptions(t *testing.T) {
	for _, body := range []string{
		`{"model":"m","input":"hi","reasoning":{"effort":"max","summary":"detailed","context":"all_turns","mode":"standard"}}`,
		`{"model":"m","input":"hi","reasoning":{"effort":null,"summary":null,"context":null,"mode":null,"generate_summary":"concise"}}`,
		`{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"hi","prompt_cache_breakpoint":{"mode":"explicit"}}]}],"prompt_cache_options":{"ttl":"30m","mode":"explicit"}}`,
	} {
		r, err := DecodeRequest([]byte(body))
		if err != nil {
			t.Errorf("%s: %v", body, err)
			continue
		}
		if strings.Contains(body, `"max"`) && (r.Chat.Reasoning == nil || r.Chat.Reasoning.Effort != llm.EffortMax || r.ReasoningSummary != "detailed") {
			t.Errorf("%s: reasoning %+v, summary %q", body, r.Chat.Reasoning, r.ReasoningSummary)
		}
	}
}
