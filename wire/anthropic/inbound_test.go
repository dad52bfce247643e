package anthropic

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

func decodeOK(t *testing.T, body string) *llm.Request {
	t.Helper()
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatalf("DecodeRequest(%s): %v", body, err)
	}
	return req
}

func TestDecodeRequestMapsEveryField(t *testing.T) {
	req := decodeOK(t, `{
		"model": "auto", "max_tokens": 300, "temperature": 0.5, "top_p": 0.9, "top_k": 40,
		"stop_sequences": ["END"], "metadata": {"user_id": "u-42"}, "stream": true,
		"system": [{"type": "text", "text": "Be terse."}, {"type": "text", "text": "Use metric units.", "cache_control": {"type": "ephemeral"}}],
		"tools": [{"name": "get_weather", "description": "Weather now", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
		"tool_choice": {"type": "tool", "name": "get_weather", "disable_parallel_tool_use": true},
		"messages": [
			{"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}, {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]},
			{"role": "assistant", "content": [{"type": "thinking", "thinking": "hmm", "signature": "s"}, {"type": "text", "text": "Checking."}, {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]},
			{"role": "user", "content": [{"type": "text", "text": "Thanks"}, {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"}]}
		]}`)
	if req.Model != "auto" || *req.MaxTokens != 300 || *req.Temperature != 0.5 || *req.TopP != 0.9 || *req.TopK != 40 {
		t.Errorf("sampling: %+v", req)
	}
	if !reflect.DeepEqual(req.Stop, []string{"END"}) || req.User != "u-42" || !req.Stream || !req.IncludeUsage {
		t.Errorf("stop %v user %q stream %v usage %v", req.Stop, req.User, req.Stream, req.IncludeUsage)
	}
	if len(req.Tools) != 1 || req.Tools[0].Name != "get_weather" || req.Tools[0].Type != "function" || !strings.Contains(string(req.Tools[0].Parameters), `"city"`) {
		t.Errorf("tools %+v", req.Tools)
	}
	if tc := req.ToolChoice; tc == nil || tc.Mode != llm.ToolChoiceFunction || tc.Name != "get_weather" || req.ParallelToolCalls == nil || *req.ParallelToolCalls {
		t.Errorf("tool choice %+v parallel %v", tc, req.ParallelToolCalls)
	}
	m := req.Messages
	if len(m) != 5 {
		t.Fatalf("%d messages, want system, user, assistant, tool, user: %+v", len(m), m)
	}
	if m[0].Role != llm.RoleSystem || len(m[0].Content) != 2 || m[0].Content[1].Text != "Use metric units." {
		t.Errorf("system %+v", m[0])
	}
	if m[1].Role != llm.RoleUser || len(m[1].Content) != 2 || m[1].Content[1].ImageURL() != "data:image/png;base64,iVBORw0KGgo=" {
		t.Errorf("user %+v", m[1])
	}
	calls := m[2].ToolCalls()
	if m[2].Role != llm.RoleAssistant || m[2].Text() != "Checking." || len(calls) != 1 || calls[0].ID != "toolu_1" || calls[0].Arguments != `{"city": "Paris"}` {
		t.Errorf("assistant %+v calls %+v", m[2], calls)
	}
	if m[3].Role != llm.RoleTool || m[3].ToolCallID() != "toolu_1" || m[3].Text() != "18C" {
		t.Errorf("tool message %+v", m[3])
	}
	if m[4].Role != llm.RoleUser || m[4].Text() != "Thanks" || m[4].StringContent {
		t.Errorf("last user %+v", m[4])
	}
}

func TestDecodeRequestSmallCases(t *testing.T) {
	base := `"model":"m","max_tokens":10,`
	tests := []struct {
		name  string
		body  string
		check func(*llm.Request) bool
	}{
		{"system string", `{` + base + `"system":"Be kind.","messages":[{"role":"user","content":"Hi"}]}`,
			func(r *llm.Request) bool {
				return r.Messages[0].Role == llm.RoleSystem && r.Messages[0].StringContent && r.Messages[0].Text() == "Be kind."
			}},
		{"image url", `{` + base + `"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}`,
			func(r *llm.Request) bool { return r.Messages[0].Content[0].ImageURL() == "https://example.com/a.png" }},
		{"tool_choice any", `{` + base + `"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"},"messages":[{"role":"user","content":"Hi"}]}`,
			func(r *llm.Request) bool {
				return r.ToolChoice.Mode == llm.ToolChoiceRequired && r.ParallelToolCalls == nil
			}},
		{"tool_choice none", `{` + base + `"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"none"},"messages":[{"role":"user","content":"Hi"}]}`,
			func(r *llm.Request) bool { return r.ToolChoice.Mode == llm.ToolChoiceNone }},
		{"tool_choice auto", `{` + base + `"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"auto"},"messages":[{"role":"user","content":"Hi"}]}`,
			func(r *llm.Request) bool { return r.ToolChoice.Mode == llm.ToolChoiceAuto }},
		{"prefill stays last", `{` + base + `"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"{"}]}`,
			func(r *llm.Request) bool {
				return len(r.Messages) == 2 && r.Messages[1].Role == llm.RoleAssistant && r.Messages[1].Text() == "{"
			}},
		{"image in a tool result", `{` + base + `"messages":[{"role":"user","content":"Look"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"shot","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}]}`,
			func(r *llm.Request) bool {
				return len(r.Messages) == 3 && r.Messages[2].Role == llm.RoleTool && len(r.Messages[2].Content) == 1 && r.Messages[2].Content[0].ImageURL() == "https://x/y.png"
			}},
		{"document in a tool result", `{` + base + `"messages":[{"role":"user","content":"Read it"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"fetch","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"fetched"},{"type":"document","title":"Q3","source":{"type":"text","media_type":"text/plain","data":"Revenue rose."}}]},{"type":"text","text":"Summarize"}]}]}`,
			func(r *llm.Request) bool {
				if len(r.Messages) != 4 || r.Messages[2].Role != llm.RoleTool || r.Messages[2].Text() != "fetched" || len(r.Messages[2].Content) != 2 ||
					r.Messages[3].Role != llm.RoleUser || len(r.Messages[3].Content) != 1 {
					return false
				}
				d := r.Messages[2].Content[1].Document()
				return d != nil && d.Title == "Q3" && d.Text == "Revenue rose." && r.Messages[3].Content[0].Text == "Summarize"
			}},
		{"output_config json_schema", `{` + base + `"output_config":{"format":{"type":"json_schema","schema":{"type":"object","additionalProperties":false}}},"messages":[{"role":"user","content":"Hi"}]}`,
			func(r *llm.Request) bool {
				return r.ResponseFormat != nil && r.ResponseFormat.Type == llm.FormatJSONSchema && string(r.ResponseFormat.Schema) == `{"type":"object","additionalProperties":false}`
			}},
		{"output_format, the beta's spelling", `{` + base + `"output_format":{"type":"json_schema","schema":{"type":"string"}},"messages":[{"role":"user","content":"Hi"}]}`,
			func(r *llm.Request) bool {
				return r.ResponseFormat != nil && r.ResponseFormat.Type == llm.FormatJSONSchema && string(r.ResponseFormat.Schema) == `{"type":"string"}`
			}},
		{"strict tool", `{` + base + `"tools":[{"name":"f","input_schema":{"type":"object","additionalProperties":false},"strict":true}],"messages":[{"role":"user","content":"Hi"}]}`,
			func(r *llm.Request) bool { return r.Tools[0].Strict != nil && *r.Tools[0].Strict }},
		{"empty final assistant turn dropped", `{` + base + `"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[]}]}`,
			func(r *llm.Request) bool { return len(r.Messages) == 1 }},
		{"count of turns merged", `{` + base + `"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]}`,
			func(r *llm.Request) bool { return len(r.Messages) == 2 && r.Messages[1].Text() == "b" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := decodeOK(t, tt.body); !tt.check(r) {
				t.Errorf("got %+v", r)
			}
		})
	}
}

func TestDecodeRequestRejects(t *testing.T) {
	msgs := `"messages":[{"role":"user","content":"Hi"}]`
	tests := []struct{ name, body, want string }{
		{"not JSON", `{"model":`, "not valid JSON"},
		{"an array", `[]`, "not valid JSON"},
		{"no max_tokens", `{"model":"m",` + msgs + `}`, "max_tokens: Field required"},
		{"no model", `{"max_tokens":5,` + msgs + `}`, "model: Field required"},
		{"unknown field", `{"model":"m","max_tokens":5,"n":2,` + msgs + `}`, "n: Extra inputs are not permitted"},
		{"max_tokens a string", `{"model":"m","max_tokens":"5",` + msgs + `}`, "max_tokens: Input should be a valid integer"},
		{"max_tokens 0", `{"model":"m","max_tokens":0,` + msgs + `}`, "max_tokens: Input should be greater than or equal to 1"},
		{"temperature 2", `{"model":"m","max_tokens":5,"temperature":2,` + msgs + `}`, "temperature: Input should be less than or equal to 1"},
		{"empty stop sequence", `{"model":"m","max_tokens":5,"stop_sequences":["END",""],` + msgs + `}`, "stop_sequences: each stop sequence must be non-empty"},
		{"whitespace stop sequence", `{"model":"m","max_tokens":5,"stop_sequences":["\n"],` + msgs + `}`, "stop_sequences: each stop sequence must contain non-whitespace"},
		{"no messages", `{"model":"m","max_tokens":5,"messages":[]}`, "at least one message"},
		{"system messages only", `{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"x"}]}`, `first message must use the "user" role`},
		{"image in a system message", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"system","content":[{"type":"image","source":{"type":"url","url":"https://x.example/a.png"}}]}]}`,
			"messages.1.content.0.type: system messages may only contain text blocks"},
		{"assistant first", `{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":"x"}]}`, `first message must use the "user" role`},
		{"empty text", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":""}]}`, "text content blocks must be non-empty"},
		{"blank text", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":" \n\t"}]}`, "messages: text content blocks must contain non-whitespace text"},
		{"blank system", `{"model":"m","max_tokens":5,"system":"  ","messages":[{"role":"user","content":"hi"}]}`, "system: text content blocks must contain non-whitespace text"},
		{"bad base64", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"!!"}}]}]}`, "not valid base64"},
		{"orphan tool_result", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t9","content":"x"}]}]}`, "unexpected `tool_use_id`"},
		{"tool_result twice", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"x"}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"y"}]}]}`,
			"messages.2.content.1: each tool_use must have a single result. Found multiple `tool_result` blocks with id: t1"},
		{"tool_choice without tools", `{"model":"m","max_tokens":5,"tool_choice":{"type":"any"},` + msgs + `}`, "tool_choice may only be specified while providing tools"},
		{"tool without schema", `{"model":"m","max_tokens":5,"tools":[{"name":"f"}],` + msgs + `}`, "tools.0.custom.input_schema: Field required"},
		{"tool with required null", `{"model":"m","max_tokens":5,"tools":[{"name":"f","input_schema":{"type":"object","properties":{"a":{"type":"string"}}}},{"name":"g","input_schema":{"type":"object","properties":{"a":{"type":"string"}},"required":null}}],` + msgs + `}`,
			"tools.1.custom.input_schema.required: Input should be a valid list"},
		{"container_upload block", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"container_upload","file_id":"file_1"},{"type":"text","text":"x"}]}]}`, "content blocks of type 'container_upload' are not supported by this router"},
		{"mcp servers", `{"model":"m","max_tokens":5,"mcp_servers":[{"type":"url","url":"https://x","name":"x"}],` + msgs + `}`, "this router does not support mcp_servers"},
		{"output_config text", `{"model":"m","max_tokens":5,"output_config":{"format":{"type":"text"}},` + msgs + `}`, "output_config.format.type"},
		{"output_config open object", `{"model":"m","max_tokens":5,"output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}},` + msgs + `}`,
			"output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false"},
		{"output_config minimum", `{"model":"m","max_tokens":5,"output_config":{"format":{"type":"json_schema","schema":{"type":"integer","minimum":1}}},` + msgs + `}`,
			"output_config.format.schema: For 'integer' type, property 'minimum' is not supported"},
		{"output_format additionalProperties true", `{"model":"m","max_tokens":5,"output_format":{"type":"json_schema","schema":{"type":"object","additionalProperties":true}},` + msgs + `}`,
			"output_format.schema: For 'object' type, 'additionalProperties: true' is not supported. Please set 'additionalProperties' to false"},
		{"output_config no schema", `{"model":"m","max_tokens":5,"output_config":{"format":{"type":"json_schema"}},` + msgs + `}`, "output_config.format.schema: Field required"},
		{"output_format and output_config", `{"model":"m","max_tokens":5,"output_format":{"type":"json_schema","schema":{"type":"string"}},"output_config":{"format":{"type":"json_schema","schema":{"type":"string"}}},` + msgs + `}`,
			"output_format: cannot be used together with output_config.format"},
		{"strict tool with an open object", `{"model":"m","max_tokens":5,"tools":[{"name":"f","input_schema":{"type":"object"},"strict":true}],` + msgs + `}`,
			"tools.0.custom.input_schema: For 'object' type, 'additionalProperties' must be explicitly set to false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeRequest([]byte(tt.body))
			e := llm.AsError(err)
			if err == nil || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, tt.want) {
				t.Errorf("DecodeRequest: %v, want invalid_request containing %q", err, tt.want)
			}
		})
	}
}

// Inbound then outbound: a Messages request read into the canonical form
// and written back by FromLLM (what an Anthropic deployment is sent) keeps
// its system prompt, turns, blocks, tools and settings.
func TestRequestRoundTrip(t *testing.T) {
	body := `{"model":"claude","max_tokens":300,"temperature":0.2,"top_k":5,"stop_sequences":["X"],"metadata":{"user_id":"u"},
		"system":[{"type":"text","text":"One."},{"type":"text","text":"Two."}],
		"tools":[{"name":"f","description":"d","input_schema":{"type":"object","properties":{"a":{"type":"integer"}}}}],
		"tool_choice":{"type":"any","disable_parallel_tool_use":true},
		"messages":[
			{"role":"user","content":[{"type":"text","text":"Hi"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]},
			{"role":"assistant","content":[{"type":"text","text":"Calling."},{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]},
			{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"2"},{"type":"text","text":"And?"}]}]}`
	in, err := DecodeMessagesRequest([]byte(body), false)
	if err != nil {
		t.Fatal(err)
	}
	req := decodeOK(t, body)
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(out); err != nil {
		t.Fatalf("FromLLM wrote an invalid request: %v", err)
	}
	canon := func(v any) string {
		b, _ := json.Marshal(v)
		var x any
		json.Unmarshal(b, &x)
		b, _ = json.Marshal(x)
		return string(b)
	}
	for _, f := range []struct {
		name    string
		in, out any
	}{
		{"system", in.System, out.System}, {"messages", in.Messages, out.Messages}, {"tools", in.Tools, out.Tools},
		{"tool_choice", in.ToolChoice, out.ToolChoice}, {"max_tokens", in.MaxTokens, out.MaxTokens},
		{"temperature", in.Temperature, out.Temperature}, {"top_k", in.TopK, out.TopK},
		{"stop_sequences", in.StopSequences, out.StopSequences}, {"metadata", in.Metadata, out.Metadata},
	} {
		if a, b := canon(f.in), canon(f.out); a != b {
			t.Errorf("%s:\n in  %s\n out %s", f.name, a, b)
		}
	}
}
