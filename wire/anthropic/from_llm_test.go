package anthropic

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

func ptr[T any](v T) *T { return &v }

func user(s string) llm.Message      { return llm.TextMessage(llm.RoleUser, s) }
func assistant(s string) llm.Message { return llm.TextMessage(llm.RoleAssistant, s) }
func system(s string) llm.Message    { return llm.TextMessage(llm.RoleSystem, s) }

// jsonEqual compares two JSON texts semantically.
func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got invalid JSON %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON mismatch\n got: %s\nwant: %s", got, want)
	}
}

func TestFromLLM(t *testing.T) {
	toolResult := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "15 degrees"}}, Extra: &llm.MessageExtra{ToolCallID: "toolu_1"}}
	weather := llm.Tool{Type: "function", Name: "get_weather", Description: "Get the weather",
		Parameters: json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}`)}
	tests := []struct {
		name string
		req  llm.Request
		want string
	}{
		{"minimal gets default max_tokens", llm.Request{Model: "claude-x", Messages: []llm.Message{user("Hello")}},
			`{"model":"claude-x","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}]}`},
		{"system and developer lifted in order", llm.Request{Model: "m", MaxTokens: ptr(100), Messages: []llm.Message{
			system("Be brief."), user("Hi"), llm.TextMessage(llm.RoleDeveloper, "Use French."), assistant("Salut"), user("Ça va?")}},
			`{"model":"m","max_tokens":100,"system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Use French."}],
			 "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]},{"role":"assistant","content":[{"type":"text","text":"Salut"}]},{"role":"user","content":[{"type":"text","text":"Ça va?"}]}]}`},
		{"consecutive same-role turns merged", llm.Request{Model: "m", Messages: []llm.Message{user("a"), user("b"), assistant("c"), assistant("d")}},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
			 {"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]}]}`},
		{"conversation starting with assistant gets a user turn first; prefill trimmed", llm.Request{Model: "m", Messages: []llm.Message{assistant("Hi, I'm Claude."), user("Pick (A) or (B)"), assistant("The answer is (  \n")}},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"."}]},{"role":"assistant","content":[{"type":"text","text":"Hi, I'm Claude."}]},
			 {"role":"user","content":[{"type":"text","text":"Pick (A) or (B)"}]},{"role":"assistant","content":[{"type":"text","text":"The answer is ("}]}]}`},
		{"tool calls and results", llm.Request{Model: "m", Tools: []llm.Tool{weather}, Messages: []llm.Message{
			user("Weather in Paris?"),
			{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "toolu_1", Type: "function", Name: "get_weather", Arguments: `{"location":"Paris"}`}, {ID: "toolu_2", Type: "function", Name: "get_weather", Arguments: ""}}}},
			toolResult,
			{Role: llm.RoleTool, Extra: &llm.MessageExtra{ToolCallID: "toolu_2"}},
			user("Thanks")}},
			`{"model":"m","max_tokens":4096,
			 "messages":[{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
			  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"Paris"}},{"type":"tool_use","id":"toolu_2","name":"get_weather","input":{}}]},
			  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"15 degrees"}]},{"type":"tool_result","tool_use_id":"toolu_2"},{"type":"text","text":"Thanks"}]}],
			 "tools":[{"name":"get_weather","description":"Get the weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}]}`},
		{"tool results moved before user text", llm.Request{Model: "m", Messages: []llm.Message{
			user("q"), {Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "toolu_1", Name: "f", Arguments: "{}"}}}}, user("also this"), toolResult}},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"q"}]},
			 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},
			 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"15 degrees"}]},{"type":"text","text":"also this"}]}]}`},
		{"tool without parameters; choice required; no parallel", llm.Request{Model: "m", Messages: []llm.Message{user("x")},
			Tools:      []llm.Tool{{Type: "function", Name: "now"}, {Name: "loose", Parameters: json.RawMessage(`{"properties":{}}`)}},
			ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, ParallelToolCalls: ptr(false)},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
			 "tools":[{"name":"now","input_schema":{"type":"object"}},{"name":"loose","input_schema":{"properties":{},"type":"object"}}],
			 "tool_choice":{"type":"any","disable_parallel_tool_use":true}}`},
		{"tool choice function", llm.Request{Model: "m", Messages: []llm.Message{user("x")}, Tools: []llm.Tool{weather},
			ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "get_weather"}},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
			 "tools":[{"name":"get_weather","description":"Get the weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}],
			 "tool_choice":{"type":"tool","name":"get_weather"}}`},
		{"tool choice none", llm.Request{Model: "m", Messages: []llm.Message{user("x")}, Tools: []llm.Tool{{Name: "f"}},
			ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceNone}},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
			 "tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"none"}}`},
		{"parallel off without choice", llm.Request{Model: "m", Messages: []llm.Message{user("x")}, Tools: []llm.Tool{{Name: "f"}}, ParallelToolCalls: ptr(false)},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
			 "tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"auto","disable_parallel_tool_use":true}}`},
		{"images", llm.Request{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
			{Type: llm.PartText, Text: "What is this?"},
			llm.ImagePart("data:image/png;base64,iVBORw0KGgo=", ""),
			llm.ImagePart("https://upload.wikimedia.org/a.jpg", "high"),
			llm.ImagePart("data:image/jpg;base64,/9j/", "")}}}},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
			 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
			 {"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/a.jpg"}},
			 {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}}]}]}`},
		{"sampling, stop, user, stream, extras", llm.Request{Model: "m", Messages: []llm.Message{user("x")}, Temperature: ptr(0.5), TopP: ptr(0.9),
			Stop: []string{"END"}, User: "u-42", Stream: true, Seed: ptr(int64(7)), PresencePenalty: ptr(0.1),
			Extra: map[string]json.RawMessage{"thinking": json.RawMessage(`{"type":"enabled","budget_tokens":2048}`), "top_k": json.RawMessage(`5`), "logit_bias": json.RawMessage(`{}`)}},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],"stop_sequences":["END"],
			 "temperature":0.5,"top_p":0.9,"top_k":5,"metadata":{"user_id":"u-42"},"stream":true,"thinking":{"type":"enabled","budget_tokens":2048}}`},
		{"refusal-only assistant and empty turns", llm.Request{Model: "m", Messages: []llm.Message{user("x"), {Role: llm.RoleAssistant, Extra: &llm.MessageExtra{Refusal: "I can't help with that."}}, {Role: llm.RoleAssistant}, user("")}},
			`{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]},{"role":"assistant","content":[{"type":"text","text":"I can't help with that."}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromLLM(&tt.req)
			if err != nil {
				t.Fatalf("FromLLM: %v", err)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			jsonEqual(t, b, tt.want)
		})
	}
}

func TestFromLLMJSONMode(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`)
	tests := []struct {
		name       string
		rf         llm.ResponseFormat
		wantSchema string
	}{
		{"json_object", llm.ResponseFormat{Type: llm.FormatJSONObject}, ""},
		{"json_schema", llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "place", Description: "A place", Schema: schema}, string(schema)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := llm.Request{Model: "m", Messages: []llm.Message{system("You are a geographer."), user("Where is the Louvre?")}, ResponseFormat: &tt.rf}
			out, err := FromLLM(&req)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.System) != 2 || out.System[0].Text != "You are a geographer." {
				t.Fatalf("system = %+v, want the caller's block then the JSON instruction", out.System)
			}
			isJSON, got := ParseJSONInstruction(out.System[1].Text)
			if !isJSON || string(got) != tt.wantSchema {
				t.Errorf("ParseJSONInstruction = %v, %s; want true, %s", isJSON, got, tt.wantSchema)
			}
			if tt.rf.Name != "" && !strings.Contains(out.System[1].Text, "Schema name: place") {
				t.Errorf("instruction does not name the schema: %q", out.System[1].Text)
			}
		})
	}
	if ok, _ := ParseJSONInstruction("Be helpful."); ok {
		t.Error("ParseJSONInstruction accepted an ordinary system prompt")
	}
}

func TestFromLLMErrors(t *testing.T) {
	msgs := []llm.Message{user("x")}
	tests := []struct {
		name  string
		req   llm.Request
		param string
	}{
		{"temperature above 1", llm.Request{Messages: msgs, Temperature: ptr(1.5)}, "temperature"},
		{"negative temperature", llm.Request{Messages: msgs, Temperature: ptr(-0.1)}, "temperature"},
		{"top_p above 1", llm.Request{Messages: msgs, TopP: ptr(1.1)}, "top_p"},
		{"n above 1", llm.Request{Messages: msgs, N: ptr(2)}, "n"},
		{"max_tokens zero", llm.Request{Messages: msgs, MaxTokens: ptr(0)}, "max_tokens"},
		{"no message", llm.Request{Messages: []llm.Message{system("")}}, "messages"},
		{"audio part", llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.OtherPart(json.RawMessage(`{"type":"input_audio"}`))}}}}, "messages[0].content[0]"},
		{"ftp image", llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.ImagePart("ftp://x/y.png", "")}}}}, "messages[0].content[0].image_url"},
		{"bmp image", llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.ImagePart("data:image/bmp;base64,Qk0=", "")}}}}, "messages[0].content[0].image_url"},
		{"tool message without id", llm.Request{Messages: []llm.Message{user("x"), {Role: llm.RoleTool}}}, "messages[1].tool_call_id"},
		{"unknown tool type", llm.Request{Messages: msgs, Tools: []llm.Tool{{Type: "code_interpreter", Name: "c"}}}, "tools[0].type"},
		{"bad schema", llm.Request{Messages: msgs, Tools: []llm.Tool{{Name: "f", Parameters: json.RawMessage(`"str"`)}}}, "tools[0].function.parameters"},
		{"choice names unknown tool", llm.Request{Messages: msgs, Tools: []llm.Tool{{Name: "f"}}, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "g"}}, "tool_choice"},
		{"required without tools", llm.Request{Messages: msgs, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}}, "tool_choice"},
		{"bad thinking", llm.Request{Messages: msgs, Extra: map[string]json.RawMessage{"thinking": json.RawMessage(`true`)}}, "thinking"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromLLM(&tt.req)
			var le *llm.Error
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want *llm.Error", err)
			}
			if le.Kind != llm.KindInvalidRequest || le.Param != tt.param || le.Retryable {
				t.Errorf("got kind %s param %q retryable %v (%s); want invalid_request %q", le.Kind, le.Param, le.Retryable, le.Message, tt.param)
			}
		})
	}
}

// TestFromLLMPartTypeInError checks that a part Anthropic cannot take is
// named by the type the client sent, not the canonical "other".
func TestFromLLMPartTypeInError(t *testing.T) {
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.OtherPart(json.RawMessage(`{"type":"input_audio","input_audio":{"data":"AA","format":"wav"}}`))}}}}
	_, err := FromLLM(&req)
	var le *llm.Error
	if !errors.As(err, &le) || !strings.Contains(le.Message, `"input_audio"`) || strings.Contains(le.Message, `"other"`) {
		t.Fatalf("err = %v, want the part named input_audio", err)
	}
}

// A system prompt alone, which OpenAI answers, becomes the user turn
// Anthropic needs.
func TestFromLLMSystemPromptAlone(t *testing.T) {
	out, err := FromLLM(&llm.Request{Messages: []llm.Message{system("Write a haiku.")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.System) != 0 || len(out.Messages) != 1 || out.Messages[0].Role != "user" || len(out.Messages[0].Content) != 1 || out.Messages[0].Content[0].Text != "Write a haiku." {
		t.Errorf("system %+v, messages %+v", out.System, out.Messages)
	}
}

// user becomes metadata.user_id up to the API's 512 characters (counted
// as characters, not bytes); a longer one is left out, which the API
// would refuse.
func TestFromLLMUserID(t *testing.T) {
	for id, want := range map[string]bool{
		"u-1": true, strings.Repeat("u", 512): true, strings.Repeat("é", 512): true, strings.Repeat("u", 513): false,
	} {
		out, err := FromLLM(&llm.Request{User: id, Messages: []llm.Message{user("Hi")}})
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Metadata != nil && out.Metadata.UserID == id; got != want {
			t.Errorf("user of %d characters sent: %v, want %v", len([]rune(id)), got, want)
		}
		if err := Validate(out); err != nil {
			t.Errorf("user of %d characters: %v", len([]rune(id)), err)
		}
	}
}
