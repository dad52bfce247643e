package responses

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestEncodeUpstreamRoundTrip: what EncodeUpstream sends decodes, by the
// router's own strict Responses decoder, into the conversation it was
// made from, with OpenAI's reasoning back on its assistant turn (opened
// by a codec that knows it), and any other provider's thinking left out.
func TestEncodeUpstreamRoundTrip(t *testing.T) {
	strict := true
	call := llm.ToolCall{ID: "call_1", Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`}
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{call, {ID: "call_2", Type: llm.ToolCustom, Name: "patch", Arguments: "*** x"}})
	asst.SetThinking([]llm.Thinking{{Text: "claude's", Signature: "sig"}, llm.OpenAIReasoning("rs_1", "gAAAAABblob")})
	res1 := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "18C"}}}
	res1.SetToolCallID("call_1")
	res2 := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "done"}}}
	res2.SetToolCallID("call_2")
	req := &llm.Request{Model: "gpt-5.5-pro", Messages: []llm.Message{
		llm.TextMessage(llm.RoleSystem, "Be brief."),
		{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "Weather?"}, llm.ImagePart("https://x/a.png", "")}},
		asst, res1, res2, llm.TextMessage(llm.RoleDeveloper, "Now answer."),
	}, Tools: []llm.Tool{{Type: "function", Name: "get_weather", Parameters: json.RawMessage(`{"type":"object"}`)}, {Type: llm.ToolCustom, Name: "patch"}},
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, MaxTokens: new(int), Reasoning: &llm.Reasoning{BudgetTokens: 20000},
		ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "s", Schema: json.RawMessage(`{"type":"object"}`), Strict: &strict},
		Stop:           []string{"x"}, Seed: new(int64), ServiceTier: llm.TierPriority, Metadata: map[string]string{"a": "b"},
		Extra: map[string]json.RawMessage{"verbosity": json.RawMessage(`"low"`), "logit_bias": json.RawMessage(`{}`)}}
	body, err := EncodeUpstream(req, UpstreamOptions{ServiceTier: true, Reasoning: true})
	if err != nil {
		t.Fatal(err)
	}
	var opened []string
	open := NewCodecSealer(nil, func(blob string) ([]llm.Thinking, bool) {
		opened = append(opened, blob)
		return []llm.Thinking{llm.OpenAIReasoning("rs_1", blob)}, true
	})
	got, err := DecodeRequestStored(body, Stored{Sealer: open})
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	r := got.Chat
	if got.Instructions == nil || *got.Instructions != "Be brief." || !got.IncludeEncrypted || got.Store || !r.Stream {
		t.Errorf("instructions %v include %v store %v stream %v", got.Instructions, got.IncludeEncrypted, got.Store, r.Stream)
	}
	if len(opened) != 1 || opened[0] != "gAAAAABblob" {
		t.Errorf("reasoning sent back: %v", opened)
	}
	roles := ""
	for _, m := range r.Messages {
		roles += string(m.Role) + " "
	}
	if roles != "system user assistant tool tool developer " {
		t.Fatalf("roles %q\n%s", roles, body)
	}
	a := r.Messages[2]
	if th := a.Thinking(); len(th) != 1 || !th[0].IsOpenAIReasoning() || len(a.ToolCalls()) != 2 || a.ToolCalls()[1].Type != llm.ToolCustom {
		t.Errorf("assistant turn thinking %+v calls %+v", a.Thinking(), a.ToolCalls())
	}
	if r.Messages[1].Content[1].ImageURL() != "https://x/a.png" || *r.MaxTokens != minOutputTokens || r.Reasoning.Effort != llm.EffortHigh ||
		r.ResponseFormat == nil || r.ResponseFormat.Name != "s" || r.ServiceTier != llm.TierPriority || r.Metadata["a"] != "b" ||
		r.ToolChoice == nil || r.ToolChoice.Mode != llm.ToolChoiceRequired || len(r.Tools) != 2 || got.Verbosity != "low" {
		t.Errorf("request %+v\n%s", r, body)
	}
	for _, field := range []string{`"stop"`, `"seed"`, `"logit_bias"`, "claude's"} {
		if strings.Contains(string(body), field) {
			t.Errorf("%s sent: %s", field, body)
		}
	}
}

func TestEncodeUpstreamUnsupportedPart(t *testing.T) {
	req := &llm.Request{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "a"}, llm.OtherPart(json.RawMessage(`{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}`))}}}}
	_, err := EncodeUpstream(req, UpstreamOptions{})
	if e := llm.AsError(err); e == nil || e.Kind != llm.KindInvalidRequest || e.Param != "messages[0].content[1]" {
		t.Errorf("error %v", err)
	}
}

// upstreamStream is a stream of a reasoning model's answer that calls a
// tool, as OpenAI sends it (trimmed of fields the decoder skips).
var upstreamStream = []string{
	`{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","model":"gpt-5.5-pro","status":"in_progress","output":[]}}`,
	`{"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","model":"gpt-5.5-pro","status":"in_progress"}}`,
	`{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}`,
	`{"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[],"encrypted_content":"gAAAAABx"}}`,
	`{"type":"response.output_item.added","sequence_number":4,"output_index":1,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}`,
	`{"type":"response.content_part.added","sequence_number":5,"item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}`,
	`{"type":"response.output_text.delta","sequence_number":6,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"Let me check.","logprobs":[]}`,
	`{"type":"response.output_text.done","sequence_number":7,"item_id":"msg_1","output_index":1,"content_index":0,"text":"Let me check.","logprobs":[]}`,
	`{"type":"response.output_item.added","sequence_number":8,"output_index":2,"item":{"id":"fc_1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_1","name":"get_weather"}}`,
	`{"type":"response.function_call_arguments.delta","sequence_number":9,"item_id":"fc_1","output_index":2,"delta":"{\"city\":"}`,
	`{"type":"response.function_call_arguments.delta","sequence_number":10,"item_id":"fc_1","output_index":2,"delta":"\"Paris\"}"}`,
	`{"type":"response.output_item.done","sequence_number":11,"output_index":2,"item":{"id":"fc_1","type":"function_call","status":"completed","arguments":"{\"city\":\"Paris\"}","call_id":"call_1","name":"get_weather"}}`,
	`{"type":"response.output_item.added","sequence_number":12,"output_index":3,"item":{"id":"fc_2","type":"function_call","status":"in_progress","arguments":"","call_id":"call_2","name":"get_time"}}`,
	`{"type":"response.output_item.done","sequence_number":13,"output_index":3,"item":{"id":"fc_2","type":"function_call","status":"completed","arguments":"{}","call_id":"call_2","name":"get_time"}}`,
	`{"type":"response.completed","sequence_number":14,"response":{"id":"resp_1","model":"gpt-5.5-pro-2026-01-01","status":"completed","service_tier":"default","usage":{"input_tokens":100,"input_tokens_details":{"cached_tokens":40},"output_tokens":70,"output_tokens_details":{"reasoning_tokens":50},"total_tokens":170}}}`,
}

func TestUpstreamDecoder(t *testing.T) {
	var d UpstreamDecoder
	var chunks []*llm.Chunk
	for i, ev := range upstreamStream {
		var end bool
		var err error
		if chunks, end, err = d.Event([]byte(ev), chunks); err != nil || end != (i == len(upstreamStream)-1) {
			t.Fatalf("event %d: end %v, %v", i, end, err)
		}
	}
	var acc llm.Accumulator
	for _, ch := range chunks {
		acc.Add(ch)
	}
	resp := acc.Response()
	m := resp.Choices[0].Message
	calls := m.ToolCalls()
	if m.Text() != "Let me check." || len(calls) != 2 || calls[0].Arguments != `{"city":"Paris"}` || calls[1].Arguments != "{}" || calls[1].ID != "call_2" ||
		resp.Choices[0].FinishReason != llm.FinishToolCalls {
		t.Errorf("answer %+v calls %+v", resp.Choices[0], calls)
	}
	if th := m.Thinking(); len(th) != 1 {
		t.Errorf("thinking %+v", th)
	} else if id, enc, ok := th[0].OpenAIReasoning(); !ok || id != "rs_1" || enc != "gAAAAABx" {
		t.Errorf("reasoning %+v", th[0])
	}
	u := resp.Usage
	if u == nil || u.PromptTokens != 100 || u.CachedPromptTokens != 40 || u.CompletionTokens != 70 || u.ReasoningTokens != 50 || u.TotalTokens != 170 || u.ServiceTier != llm.TierDefault {
		t.Errorf("usage %+v", u)
	}
	if resp.Model != "gpt-5.5-pro" || resp.ID != "resp_1" {
		t.Errorf("model %q id %q", resp.Model, resp.ID)
	}
}

func TestUpstreamDecoderEnds(t *testing.T) {
	for name, tc := range map[string]struct {
		event  string
		finish llm.FinishReason
		kind   llm.ErrorKind
	}{
		"length":         {`{"type":"response.incomplete","response":{"id":"r","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}}`, llm.FinishLength, ""},
		"content filter": {`{"type":"response.incomplete","response":{"id":"r","status":"incomplete","incomplete_details":{"reason":"content_filter"}}}`, llm.FinishContentFilter, ""},
		"stop":           {`{"type":"response.completed","response":{"id":"r","status":"completed"}}`, llm.FinishStop, ""},
		"failed":         {`{"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"server_error","message":"boom"}}}`, "", llm.KindUpstream},
		"rate limit":     {`{"type":"error","code":"rate_limit_exceeded","message":"slow down","param":null}`, "", llm.KindRateLimit},
		"nested":         {`{"type":"error","sequence_number":3,"error":{"type":"tokens","code":"rate_limit_exceeded","message":"slow down","param":null}}`, "", llm.KindRateLimit},
	} {
		var d UpstreamDecoder
		out, end, err := d.Event([]byte(tc.event), nil)
		if tc.kind != "" {
			if e := llm.AsError(err); e == nil || e.Kind != tc.kind || !e.Retryable {
				t.Errorf("%s: error %v", name, err)
			}
			continue
		}
		if err != nil || !end || len(out) != 1 || out[0].Choices[0].FinishReason != tc.finish {
			t.Errorf("%s: %v %v %+v", name, end, err, out)
		}
	}
	var d UpstreamDecoder
	for _, bad := range []string{`{`, `{"type":""}`, `{"type":"response.output_text.delta","delta":7}`, `{"type":"response.function_call_arguments.delta","output_index":9,"delta":"x"}`} {
		if _, _, err := d.Event([]byte(bad), nil); !errors.Is(err, ErrUpstreamEvent) {
			t.Errorf("%s: error %v", bad, err)
		}
	}
}

// FuzzUpstreamDecoder: whatever events an upstream sends, the decoder
// neither panics nor yields a chunk without a choice or a usage, and an
// error it returns is a malformed event or an *llm.Error.
func FuzzUpstreamDecoder(f *testing.F) {
	f.Add(strings.Join(upstreamStream, "\n"))
	f.Add(strings.Join(webSearchStream, "\n"))
	f.Add(strings.Join(upstreamShellStream, "\n"))
	f.Add(strings.Join(upstreamSummaryStream, "\n"))
	f.Add(strings.Join(upstreamLogprobsStream, "\n"))
	f.Add(strings.Join(multiAgentStream, "\n"))
	f.Add(`{"type":"response.output_item.added","output_index":0,"item":{"type":"reasoning","agent":{"agent_name":"a"}}}` + "\n" +
		`{"type":"response.reasoning_summary_text.delta","output_index":0,"summary_index":0,"delta":"x"}` + "\n" + `{"type":"response.completed","response":{"moderation":"x"}}`)
	f.Add(`{"type":"response.output_item.done","output_index":0,"item":{"type":"custom_tool_call","call_id":"c","name":"t","input":"x"}}` + "\n" +
		`{"type":"response.custom_tool_call_input.delta","output_index":0,"delta":"y"}`)
	f.Add(`{"type":"error","code":null,"message":null}` + "\n" + `{"type":"response.failed","response":null}`)
	f.Add(`{"type":"response.incomplete","response":{}}` + "\n" + `{"type":"response.output_text.delta","delta":"\u00e9"}`)
	f.Add(`{"type":"response.failed","response":{"status":"failed","error":{"code":"invalid_prompt","message":"flagged"}}}` + "\n" +
		`{"type":"error","code":"image_content_policy_violation","message":"no","param":"input"}` + "\n" +
		`{"type":"error","error":{"code":"vector_store_timeout","message":null}}`)
	f.Add(`{"type":"response.output_item.done","output_index":0,"item":{"type":"code_interpreter_call","id":"ci_1","container_id":"cntr_1"}}` + "\n" +
		`{"type":"response.output_item.done","output_index":1,"item":{"type":"file_search_call","id":"fs_1"}}` + "\n" +
		`{"type":"response.completed","response":{"status":"completed","usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2}}}`)
	f.Add(failedWithUsage)
	f.Fuzz(func(t *testing.T, stream string) {
		var d UpstreamDecoder
		for _, ev := range strings.Split(stream, "\n") {
			out, _, err := d.Event([]byte(ev), nil)
			if err != nil {
				var le *llm.Error
				if !errors.Is(err, ErrUpstreamEvent) && !errors.As(err, &le) {
					t.Fatalf("error %T %v", err, err)
				}
			}
			for _, ch := range out {
				if len(ch.Choices) == 0 && ch.Usage == nil && ch.UsageSoFar == nil {
					t.Fatalf("empty chunk from %s", ev)
				}
			}
		}
	})
}

// failedWithUsage is a response.failed event whose response reports the
// usage of what it did before it failed (the Responses API's Response
// object carries usage whatever its status).
const failedWithUsage = `{"type":"response.failed","sequence_number":9,"response":{"id":"resp_1","object":"response","status":"failed","model":"gpt-5.5","error":{"code":"server_error","message":"The model failed to generate a response."},"service_tier":"default",` +
	`"usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024},"output_tokens":300,"output_tokens_details":{"reasoning_tokens":256},"total_tokens":1500}}}`

// TestUpstreamFailedUsage checks that a failed response's usage comes
// before its error, as the usage so far, with the hosted calls the stream
// made; and that a failed response without usage yields only the error.
func TestUpstreamFailedUsage(t *testing.T) {
	var d UpstreamDecoder
	out, _, err := d.Event([]byte(`{"type":"response.output_item.done","output_index":0,"item":{"type":"web_search_call","id":"ws_1","status":"completed"}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, end, err := d.Event([]byte(failedWithUsage), out[:0])
	if e := llm.AsError(err); e == nil || e.Kind != llm.KindUpstream || end {
		t.Fatalf("error %v, end %v: want the upstream failure", err, end)
	}
	want := llm.Usage{PromptTokens: 1200, CachedPromptTokens: 1024, CompletionTokens: 300, ReasoningTokens: 256, TotalTokens: 1500,
		ServiceTier: llm.TierDefault, WebSearchRequests: 1}
	if len(out) != 1 || out[0].UsageSoFar == nil || *out[0].UsageSoFar != want || out[0].Usage != nil {
		t.Fatalf("chunks %+v, want one with the usage so far %+v", out, want)
	}
	var bare UpstreamDecoder
	out, _, err = bare.Event([]byte(`{"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"server_error","message":"boom"}}}`), nil)
	if err == nil || len(out) != 0 {
		t.Errorf("without usage: chunks %+v, error %v", out, err)
	}
}

// The first chunk of an answer carries the assistant role, as a Chat
// Completions upstream's first chunk does: npm openai's stream helpers
// (chat.completions.stream, runTools streamed) throw "missing role for
// choice 0" at the end of a stream that never named it. Only the first
// does. Each upstream stream starts differently: reasoning first, text
// first, a call first.
func TestUpstreamDecoderRoleOnFirstChunk(t *testing.T) {
	for _, start := range []int{2, 4, 8} {
		var d UpstreamDecoder
		var chunks []*llm.Chunk
		for _, ev := range append(upstreamStream[:2:2], upstreamStream[start:]...) {
			var err error
			if chunks, _, err = d.Event([]byte(ev), chunks); err != nil {
				t.Fatal(err)
			}
		}
		for i, ch := range chunks {
			if len(ch.Choices) == 0 { // the usage
				continue
			}
			if role := ch.Choices[0].Delta.Role; (role == llm.RoleAssistant) != (i == 0) {
				t.Errorf("from event %d: chunk %d has role %q", start, i, role)
			}
		}
	}
}

// A tool message of several text parts is a function_call_output of
// those parts (input_text), apart as the client sent them, not their
// text run together; one of a single part keeps a string output.
func TestEncodeUpstreamToolTextParts(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "lookup", Arguments: "{}"}, {ID: "call_2", Type: "function", Name: "lookup", Arguments: "{}"}})
	two := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "Paris: 21C"}, {Type: llm.PartText, Text: "Lyon: 19C"}}}
	two.SetToolCallID("call_1")
	one := llm.TextMessage(llm.RoleTool, "Nice: 24C")
	one.SetToolCallID("call_2")
	body, err := EncodeUpstream(&llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Weather?"), asst, two, one}}, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"type":"function_call_output","call_id":"call_1","output":[{"type":"input_text","text":"Paris: 21C"},{"type":"input_text","text":"Lyon: 19C"}]}`,
		`{"type":"function_call_output","call_id":"call_2","output":"Nice: 24C"}`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body %s, want %s", body, want)
		}
	}
}
