package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"switchyard/llm"
	openai "switchyard/wire/openai"
)

// FuzzDecodeRequest feeds the inbound decoder outside bytes. It must never
// panic; it fails only with an invalid_request *llm.Error; and what it
// accepts is a request every deployment can be sent: FromLLM (what an
// Anthropic deployment gets) takes it and writes a request that passes
// the same validation.
func FuzzDecodeRequest(f *testing.F) {
	for _, seed := range []string{
		`{"model":"auto","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`,
		`{"model":"claude-opus-5-5","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":"s","output_config":{"effort":"medium"}},{"role":"system","output_config":{"effort":"low"}},{"role":"user","content":"y"}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x","output_config":{"effort":null}},{"role":"system","output_config":{"format":{},"effort":7}}]}`,
		`{"model":"m","max_tokens":5,"thread":{"type":"create"},"messages":[{"role":"user","content":"Hi"}]}`,
		`{"model":"m","max_tokens":5,"thread":{"type":"continue","previous_message_id":"msg_1"},"messages":[{"role":"user","content":"Hi"}]}`,
		`{"model":"m","max_tokens":5,"thread":{"type":"fork","x":1},"messages":[]}`,
		`{"model":"m","max_tokens":5,"system":[{"type":"text","text":"s"}],"stream":true,"top_k":3,"metadata":{"user_id":"u"},"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]}`,
		`{"model":"m","max_tokens":5,"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"f"},"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"r"}]}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":" "}]}`,
		`{"model":"m","max_tokens":5,"output_config":{"format":{"type":"json_schema","schema":{}}},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t"}]}]}`,
		`{"model":1,"max_tokens":null,"messages":{}}`,
		`{"model":"m","max_tokens":5,"cache_control":{"type":"ephemeral","scope":"global"},"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","scope":"global"}}],"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral","ttl":"1h","scope":7}}]}]}`,
		`{"model":"m","max_tokens":5,"tools":[{"name":"f","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral","scope":""}}],"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral","scope":"org"}}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"s"},{"role":"user","content":"x"},{"role":"assistant","content":"a"},{"role":"system","content":[{"type":"text","text":"n","cache_control":{"type":"ephemeral"}}]},{"role":"user","content":"y"}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":""}]}]}`,
		`{"model":"m","max_tokens":5,"cache_control":{"type":"ephemeral","ttl":"1h"},"tools":[{"name":"f","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral","ttl":"1h"}}],"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{},"cache_control":{"type":"ephemeral","ttl":"1h"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","cache_control":{"type":"ephemeral"},"content":[{"type":"text","text":"r","cache_control":{"type":"ephemeral"}},{"type":"image","source":{"type":"url","url":"https://x/y.png"},"cache_control":{"type":"ephemeral"}}]}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"tool_result","tool_use_id":"t","cache_control":{"type":"ephemeral"}}]}]}`,
		`{"model":"m","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2048},"top_p":0.97,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"redacted_thinking","data":"d"},{"type":"text","text":"a"}]},{"role":"user","content":"y"}]}`,
		`{"model":"claude-opus-4-7","max_tokens":1100,"thinking":{"type":"adaptive","display":"omitted"},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":1025,"thinking":{"type":"adaptive"},"temperature":1,"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"thinking":{"type":"disabled"},"top_k":2,"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"claude-sonnet-5-5","max_tokens":5,"thinking":{"type":"between_tools"},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"thinking":{"type":"between_tools","display":"omitted"},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"},"title":"t","context":"c","citations":{"enabled":true},"cache_control":{"type":"ephemeral"}},{"type":"text","text":"x"}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"url","url":"https://x/a.pdf"}},{"type":"document","source":{"type":"text","media_type":"text/plain","data":"d"}}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"content","content":[{"type":"text","text":"a"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}},{"type":"document","source":{"type":"content","content":"s"}}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"content","content":[{"type":"text","text":""}]},"title":null,"context":null,"citations":null}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"search_result","source":"s","title":"t","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral"}}],"citations":{"enabled":true}},{"type":"text","text":"x"}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}},{"type":"tool_use","id":"u","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"document","title":"r","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"},"cache_control":{"type":"ephemeral"}}]},{"type":"text","text":"a"}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"u","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},{"type":"text","text":"b"}]}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"search_result","source":"s","title":"t","content":[{"type":"text","text":"a"}]},{"type":"document","source":{"type":"text","media_type":"text/plain","data":"d"}}]}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"file","file_id":"file-a"},"cache_control":{"type":"ephemeral"}},{"type":"image","source":{"type":"file","file_id":"file-b"}},{"type":"text","text":"x"}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"file","file_id":""}}]}]}`,
		`{"model":"m","max_tokens":5,"tools":[{"type":"bash_20250124","name":"bash"},{"type":"text_editor_20250728","name":"str_replace_based_edit_tool","max_characters":9,"strict":true},{"type":"web_search_20250305","name":"web_search","max_uses":1}],"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"tools":[{"type":7},{"type":"memory_20250818","name":[]}],"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"claude-opus-4-6","max_tokens":5,"inference_geo":"us","messages":[{"role":"user","content":"x"}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":5,"inference_geo":"global","messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"inference_geo":"eu","messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"inference_geo":null,"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"inference_geo":1,"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"claude-opus-5-5","max_tokens":5,"speed":"fast","messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"speed":"standard","messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"speed":"turbo","messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"speed":null,"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"speed":2,"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"container":"c_1","tools":[{"type":"tool_search_tool_regex_20251119","name":"tool_search_tool_regex"},{"name":"f","input_schema":{"type":"object"},"defer_loading":true}],"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"server_tool_use","id":"srvtoolu_1","name":"tool_search_tool_regex","input":{"query":"f"}},{"type":"tool_search_tool_result","tool_use_id":"srvtoolu_1","content":{"type":"tool_search_tool_search_result","tool_references":[{"type":"tool_reference","tool_name":"f"}]}},{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},{"type":"code_execution_tool_result"}]}]}`,
		`{"model":"m","max_tokens":5,"tools":[{"type":"web_fetch_20250910","name":"web_fetch","cache_control":{"type":"ephemeral"},"bogus":[1]}],"messages":[{"role":"user","content":[{"type":"container_upload","file_id":"f"}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"tool_reference","tool_name":"g"},{"type":"text","text":"a"},{"type":"tool_reference","tool_name":"h"}]}]}]}`,
		`{"model":"m","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2048},"tools":[{"type":"web_search_20250305","name":"web_search"},{"name":"f","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}},{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},{"type":"redacted_thinking","data":"d"},{"type":"text","text":"a","citations":[{"type":"web_search_result_location","url":"u"}]},{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"}]}]}`,
		`{"model":"m","max_tokens":5,"billing_policy":{"type":"billing_policy","bill_to":"self"},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"billing_policy":{"type":"billing_policy","bill_to":"user_profile"},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"billing_policy":{"type":"billing_policy"},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"tools":[{"type":"advisor_20260301","name":"advisor","model":"claude-opus-4-8"},{"type":"browser_toolset_20260801"},{"type":"computer_toolset_20260801","configs":{}}],"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"advisor","input":{}},{"type":"advisor_tool_result","tool_use_id":"srvtoolu_1","content":{"type":"advisor_redacted_result","encrypted_content":"e"}},{"type":"mcp_tool_listing","mcp_server_name":"s","tools":[]}]},{"role":"user","content":"y"}]}`,
		`{"model":"m","max_tokens":5,"tools":[{"name":"a","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"x"},{"role":"system","content":[{"type":"tool_removal","tool":{"type":"tool_reference","name":"a"}}]}]}`,
		`null`, `[]`, `{}`, "\xff",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeRequest(data)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %T %v is not an invalid_request *llm.Error with a message", err, err)
			}
			return
		}
		// A body that is not JSON is refused whole, never half-read.
		if !json.Valid(data) {
			t.Fatalf("%q is not JSON, yet decoded", data)
		}
		if namesFileByID(req) {
			return // the router inlines the file or refuses the request before any deployment (api/anthropic)
		}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatalf("accepted %s but FromLLM refuses it: %v", data, err)
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatalf("FromLLM's request does not encode: %v", err)
		}
		again, err := DecodeMessagesRequest(b, false)
		if err == nil {
			err = Validate(again)
		}
		if err != nil {
			t.Fatalf("accepted %s, but what an Anthropic deployment is sent (%s) is invalid: %v", data, b, err)
		}
	})
}

// namesFileByID reports a part naming a file by id (a file source).
func namesFileByID(req *llm.Request) bool {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			if _, ok := openai.FileRefOf(&req.Messages[i].Content[j]); ok {
				return true
			}
		}
	}
	return false
}

// FuzzStreamEncoder writes chunk sequences drawn from the fuzzer's bytes
// and reads the events back with the outbound decoder: whatever the
// chunks, the stream is well formed and ends cleanly.
func FuzzStreamEncoder(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5})
	f.Add([]byte{2, 2, 3, 3, 1, 4, 0, 5})
	f.Add([]byte{3, 7, 3, 200, 1, 4})
	f.Add([]byte{0, 1, 6, 7, 15, 1, 14, 22, 2, 3, 5})
	f.Add([]byte{0, 6, 23, 1, 31, 13})
	f.Fuzz(func(t *testing.T, ops []byte) {
		enc := StreamEncoder{RequestID: "req_f", Model: "m"}
		var out []byte
		for i, op := range ops {
			out = enc.Chunk(out, fuzzChunk(op, i))
		}
		out = enc.End(out, nil)
		d := NewStreamDecoder(bytes.NewReader(out), 0)
		for {
			_, err := d.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("ops %v: %v\n%s", ops, err, out)
			}
		}
	})
}

func fuzzChunk(op byte, i int) *llm.Chunk {
	c := &llm.Chunk{ID: "c", Model: "m"}
	d := llm.Delta{}
	switch op % 8 {
	case 0:
		d.Role = llm.RoleAssistant
	case 1:
		d.Content = string(rune('a'+i%26)) + "\"\n\u2028"
	case 2:
		d.ToolCalls = []llm.ToolCallDelta{{Index: int(op>>3) % 4, ID: "call", Name: "f"}}
	case 3:
		d.ToolCalls = []llm.ToolCallDelta{{Index: int(op>>3) % 4, Arguments: `{"a":1}`}}
	case 4:
		c.Choices = []llm.ChunkChoice{{FinishReason: llm.FinishToolCalls}}
		return c
	case 5:
		c.Usage = &llm.Usage{PromptTokens: int(op), CompletionTokens: i, WebSearchRequests: int(op >> 6)}
		if op&8 != 0 { // Claude compacted the conversation
			c.Usage.Compaction = &llm.ModelUsage{PromptTokens: int(op) * 100, CompletionTokens: i}
		}
		return c
	case 6: // a server tool block starts
		d.Output = &llm.OutputDelta{Block: &llm.BlockDelta{Index: int(op>>3) % 3,
			Start: json.RawMessage(`{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}`)}}
	case 7: // its input, or a pause
		if op&8 != 0 {
			c.Choices = []llm.ChunkChoice{{FinishReason: llm.FinishStop, Stop: &llm.FinishDetails{Paused: op&16 == 0, Compacted: op&16 != 0,
				ContextManagement: `{"applied_edits":[]}`}}}
			return c
		}
		if op&16 != 0 { // a compaction block's delta
			d.Output = &llm.OutputDelta{Block: &llm.BlockDelta{Index: int(op>>5) % 3, Delta: json.RawMessage(`{"type":"compaction_delta","content":"s\n","encrypted_content":"e"}`)}}
			break
		}
		d.Output = &llm.OutputDelta{Block: &llm.BlockDelta{Index: int(op>>4) % 3, Input: `{"query":"a\n"}`}}
	}
	c.Choices = []llm.ChunkChoice{{Index: int(op>>7) % 2, Delta: d}}
	return c
}
