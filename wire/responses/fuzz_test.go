package responses

import (
	"encoding/json"
	"errors"
	"testing"

	"switchyard/llm"
)

var fuzzSeeds = []string{
	`{"model":"m","input":"hi"}`,
	`{"model":"m","input":[{"role":"user","content":"a"},{"type":"compaction","encrypted_content":"gAAAAB"}]}`,
	`{"model":"m","prompt":{"id":"pmpt_1","version":"2","variables":{"a":"b"}},"context_management":[{"type":"compaction","compact_threshold":1000}]}`,
	`{"model":"m","input":"hi","multi_agent":{"enabled":true,"max_concurrent_subagents":3},"moderation":{"model":"omni-moderation-latest","policy":{"input":{"mode":"block"},"output":null}}}`,
	`{"model":"m","input":[{"type":"multi_agent_call","id":"mac_1","action":"spawn_agent","arguments":"{}","call_id":"c"},{"type":"message","role":"assistant","content":"x","agent":{"agent_name":"a"}},{"type":"agent_message","id":"am","author":"a","recipient":"b","content":[]}]}`,
	`{"model":"m","input":[{"role":"user","content":"x"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}","agent":{"agent_name":"a"}},{"type":"function_call_output","call_id":"c","output":"1"},{"type":"custom_tool_call_output","call_id":"c","output":"2"}]}`,
	`{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_image","image_url":"data:image/png;base64,AA==","detail":"auto"}]}],"instructions":"be \"brief\""}`,
	`{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"r"}]}]}`,
	`{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"r"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"},{"type":"input_image","file_id":"file_1"}]}]}`,
	`{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_file","filename":"r.pdf","file_data":"data:application/pdf;base64,JVBERi0="},{"type":"input_file","file_id":"file_1"},{"type":"input_file","file_url":"https://x/a.pdf"},{"type":"input_file","file_data":"data:text/csv;base64,YSxi"}]}]}`,
	`{"model":"m","input":[{"type":"message","role":"assistant","id":"msg_1","status":"completed","content":[{"type":"output_text","text":"x","annotations":[],"logprobs":[]},{"type":"refusal","refusal":"no"}]}]}`,
	`{"model":"m","input":"hi","tools":[{"type":"function","name":"f","parameters":{"type":"object"},"strict":null}],"tool_choice":{"type":"function","name":"f"}}`,
	`{"model":"m","input":"hi","text":{"format":{"type":"json_schema","name":"s","schema":{"type":"object"},"strict":true},"verbosity":"high"},"reasoning":{"effort":"high"}}`,
	`{"model":"m","input":"hi","metadata":{"a":"b","c":"d"},"user":"u","temperature":0,"top_p":1,"max_output_tokens":16,"stream":true,"stream_options":{"include_obfuscation":true}}`,
	`{"model":"m","input":"hi","tools":[{"type":"web_search"}]}`,
	`{"model":"m","input":[{"role":"user","content":"a"},{"type":"web_search_call","id":"ws","status":"completed","action":{"type":"search"}},{"type":"mcp_approval_response","approve":true,"approval_request_id":"a"}],"tools":[{"type":"mcp","server_label":"s"},{"type":"file_search","vector_store_ids":["v"]}],"tool_choice":{"type":"mcp","server_label":"s"},"include":["file_search_call.results"]}`,
	`{"model":"m","input":[{"type":"item_reference","id":"x"}]}`,
	`{"model":"m","input":"hi","previous_response_id":"resp_1"}`,
	`{"model":"m","input":"hi","conversation":{"id":"conv_1"}}`,
	`{"model":"m","input":"hi","conversation":"conv_1","previous_response_id":"resp_1"}`,
	`{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a","bogus":1}]}]}`,
	`{"model":"m","input":"hi","tools":[{"type":"custom","name":"apply_patch","description":"d","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}}],"tool_choice":{"type":"custom","name":"apply_patch"}}`,
	`{"model":"m","input":[{"type":"custom_tool_call","call_id":"c","name":"t","input":"x\ny","id":"ctc_1","status":"completed"},{"type":"custom_tool_call_output","call_id":"c","output":"ok"}],"tools":[{"type":"custom","name":"t","format":{"type":"text"}}]}`,
	`{"model":"m","input":"hi","tools":[{"type":"custom","name":"t","format":{"type":"grammar","syntax":"pcre"}}]}`,
	`{"model":1}`, `[]`, `{`, `null`, `{"model":"m","input":"\ud800"}`,
	`{"model":"m","input":"hi","include":["message.output_text.logprobs"],"top_logprobs":20}`,
	`{"model":"m","input":[{"role":"user","content":[{"type":"input_file","filename":"tiny.pdf","file_data":"data:application/pdf;base64,JVBERi0="},{"type":"input_file","file_id":"file-abc"},{"type":"input_file","file_url":"https://x/r.pdf","detail":"low"},{"type":"input_file","file_data":"data:text/csv;base64,YSxi"},{"type":"input_text","text":"Compare."}]}]}`,
	`{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_data":"data:application/pdf;base64,JVB"}]}]}`,
	`{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-img","detail":"low"},{"type":"input_image","file_id":"file-x","image_url":null}]}]}`,
	`{"model":"m","input":[{"role":"user","content":"w?"},{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"s"}],"content":[{"type":"reasoning_text","text":"t"}],"encrypted_content":"swy1.AQ","status":"completed"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"ok"}],"reasoning":{"effort":"low","summary":"auto"},"include":["reasoning.encrypted_content"],"store":false}`,
	`{"model":"m","input":[{"type":"reasoning","summary":{},"encrypted_content":null},{"type":"reasoning","summary":[1]}]}`,
	`{"model":"m","input":"hi","tools":[{"type":"shell","environment":{"type":"local","skills":[{"name":"s","description":"d","path":"/p"}]}},{"type":"apply_patch"},{"type":"local_shell"}],"tool_choice":{"type":"shell"}}`,
	`{"model":"m","input":"hi","tools":[{"type":"shell","environment":{"type":"container_auto"}}],"tool_choice":{"type":"apply_patch"}}`,
	`{"model":"m","input":[{"type":"shell_call","id":"sh_1","call_id":"c1","action":{"commands":["ls"],"timeout_ms":1,"max_output_length":null},"status":"completed","environment":null,"caller":{"type":"program","caller_id":"p"}},` +
		`{"type":"shell_call_output","call_id":"c1","output":[{"stdout":"a","stderr":"b","outcome":{"type":"exit","exit_code":2}},{"stdout":"","stderr":"","outcome":{"type":"timeout"}}],"max_output_length":9}]}`,
	`{"model":"m","input":[{"type":"apply_patch_call","call_id":"c2","status":"completed","operation":{"type":"update_file","path":"a","diff":"@@\n-a\n+b"}},{"type":"apply_patch_call_output","call_id":"c2","status":"completed","output":null}]}`,
	`{"model":"m","input":[{"type":"local_shell_call","id":"l","call_id":"c3","status":"completed","action":{"type":"exec","command":["ls"],"env":{"A":"1"},"user":null}},{"type":"local_shell_call_output","id":"c3","output":"x"}]}`,
	`{"model":"m","input":"hi","background":true,"background_options":{"completion_window":"8h","continuation_id":"j"},"image":{"context_compression":"enabled"},"access_programs":{"cyber":"standard"},"prompt_cache_options":{"ttl":"12h","comparison_response_id":"resp_1","prewarm":false}}`,
	`{"model":"m","input":"hi","background_options":{"completion_window":"2h"},"access_programs":{"cyber":"daybreak_blue"},"image":[]}`,
	`{"model":"m","input":"hi","client_metadata":{"session_id":"s","x-codex-turn-metadata":"{}"}}`,
	`{"model":"m","input":"hi","client_metadata":{"a":null,"b":[1]}}`,
	`{"model":"m","input":[{"type":"function_call","call_id":"c","name":"a","namespace":"ns","arguments":"{}"},{"type":"function_call_output","call_id":"c","namespace":"ns","name":"a","output":"ok"}],"tools":[{"type":"namespace","name":"ns","description":"d","tools":[{"type":"function","name":"a"},{"type":"custom","name":"b"}]}]}`,
	`{"model":"m","input":"hi","tools":[{"type":"namespace","name":"ns","description":null,"tools":[{"type":"namespace","name":"x","tools":[]},{"type":"shell"}]}]}`,
	`{"model":"m","input":[{"role":"user","content":"hi"},{"type":"configuration_update","id":"cu_1","reasoning":{"effort":"high"},"text":{"format":{"type":"json_schema","name":"a","schema":{"type":"object"},"strict":null}}},{"role":"user","content":"b"}],"reasoning":{"effort":"low"}}`,
	`{"model":"m","input":[{"type":"configuration_update","reasoning":{"effort":null}},{"type":"configuration_update","text":{"format":{"type":"json_object"}}}]}`,
	`{"model":"m","tools":[{"type":"function","name":"a"}],"input":[{"role":"user","content":"hi"},{"type":"additional_tools","id":"at_1","role":"developer","tools":[{"type":"function","name":"b","parameters":{"type":"object"}},{"type":"shell"},{"type":"custom","name":"c"}]},{"role":"user","content":"b"}]}`,
	`{"model":"m","tools":[{"type":"function","name":"a"}],"input":[{"role":"user","content":"hi"},{"type":"additional_tools","role":"user","tools":[{"type":"function","name":"a"}]},{"type":"additional_tools","tools":{}}]}`,
	`{"model":"m","input":[{"role":"user","content":"hi"},{"type":"compaction_trigger","id":null}],"stream":true}`,
	`{"model":"m","input":[{"id":"msg_1_i0"},{"type":"item_reference","id":"fc_1_0"},{"type":null,"id":"x"}]}`,
	`{"model":"m","input":[{"type":"compaction_trigger"},{"role":"user","content":"hi"}]}`,
	allowedRequest,
	`{"model":"m","input":"hi","tools":[{"type":"web_search"},{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"},{"type":"function","name":"f"}]}}`,
	`{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"none","tools":[{"type":"shell"},{"name":"f"},"f",null]}}`,
	`{"model":"m","input":[{"type":"mcp_call","id":"m"},{"type":"configuration_update","text":{"format":{"type":"text"},"verbosity":"low"}}]}`,
	`{"model":"m","input":[{"type":"shell_call","call_id":"c","action":{"commands":[1]}},{"type":"apply_patch_call","call_id":"d","status":"completed","operation":{"type":"delete_file","path":"a","diff":""}}]}`,
}

// FuzzDecodeRequest: decoding never panics; it either fails with an
// invalid_request error that says something, or yields a request whose
// response object and stream events are valid JSON.
func FuzzDecodeRequest(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeRequest(data)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %#v", err)
			}
			return
		}
		// A body that is not JSON is refused whole, never half-read.
		if !json.Valid(data) {
			t.Fatalf("%q is not JSON, yet decoded", data)
		}
		if r.Chat.Model == "" || len(r.Chat.Messages) == 0 && (r.Chat.OpenAIHosted == nil || len(r.Chat.OpenAIHosted.Params) == 0) {
			t.Fatalf("decoded without model or messages: %+v", r.Chat)
		}
		choice := llm.Choice{Message: llm.TextMessage(llm.RoleAssistant, "ok")}
		if r.Chat.Logprobs {
			choice.Logprobs = &llm.Logprobs{Content: []llm.TokenLogprob{{Token: "ok", Logprob: -0.1, TopLogprobs: []llm.TopLogprob{{Token: "\xff"}}}}}
		}
		out := FromResponse(&llm.Response{Choices: []llm.Choice{choice}}, IDs{Base: "b"})
		if b := AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: r.Chat.Model}, &out); !json.Valid(b) {
			t.Fatalf("response object is not JSON: %s", b)
		}
	})
}

// FuzzStreamEvents: whatever text, refusal and arguments stream, every
// event is valid JSON in sequence, and the terminal response holds what
// streamed.
func FuzzStreamEvents(f *testing.F) {
	f.Add("Hello", " world", "", `{"a":1}`, uint8(0))
	f.Add("\x00\"\\\u2028", "\xff", "no", "", uint8(1))
	f.Add("", "", "", "", uint8(2))
	f.Fuzz(func(t *testing.T, a, b, refusal, args string, finish uint8) {
		r, err := DecodeRequest([]byte(`{"model":"m","input":"hi","stream":true}`))
		if err != nil {
			t.Fatal(err)
		}
		s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m"})
		buf := s.Start(nil)
		withLogprobs := textChunk(a)
		withLogprobs.Choices[0].Logprobs = &llm.Logprobs{Content: []llm.TokenLogprob{{Token: a, Bytes: []byte(b), TopLogprobs: []llm.TopLogprob{{Token: b}}}}}
		buf = s.Chunk(buf, withLogprobs)
		buf = s.Chunk(buf, &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Refusal: refusal}}}})
		buf = s.Chunk(buf, callChunk(0, "c", "f", args))
		buf = s.Chunk(buf, textChunk(b))
		reason := []llm.FinishReason{llm.FinishStop, llm.FinishLength, llm.FinishContentFilter}[int(finish)%3]
		buf = s.Chunk(buf, finishChunk(reason))
		evs := parseEvents(t, s.Finish(buf, ""))
		if len(evs) < 3 {
			t.Fatalf("%d events", len(evs))
		}
	})
}
