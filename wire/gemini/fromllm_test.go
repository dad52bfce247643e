package gemini

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"switchyard/llm"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ptr[T any](v T) *T { return &v }

func user(s string) llm.Message      { return llm.TextMessage(llm.RoleUser, s) }
func assistant(s string) llm.Message { return llm.TextMessage(llm.RoleAssistant, s) }

// jsonEq compares two JSON texts by value.
func jsonEq(t *testing.T, got any, want string) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var gv, wv any
	if err := json.Unmarshal(g, &gv); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &wv); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	gb, _ := json.Marshal(gv)
	wb, _ := json.Marshal(wv)
	if !bytes.Equal(gb, wb) {
		t.Errorf("got  %s\nwant %s", gb, wb)
	}
}

func TestFromLLM(t *testing.T) {
	weather := llm.Tool{Type: "function", Name: "get_weather", Description: "Weather of a city",
		Parameters: json.RawMessage(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}`)}
	call := llm.Message{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "call_1", Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`}}}}
	tests := []struct {
		name string
		req  llm.Request
		want string
	}{
		{"system and developer join systemInstruction",
			llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleSystem, "Be brief."), llm.TextMessage(llm.RoleDeveloper, "Use French."), user("Hi")}},
			`{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"systemInstruction":{"parts":[{"text":"Be brief."},{"text":"Use French."}]}}`},
		{"assistant is model, same roles merge",
			llm.Request{Messages: []llm.Message{user("a"), user("b"), assistant("c"), assistant("d"), user("e")}},
			`{"contents":[{"role":"user","parts":[{"text":"a"},{"text":"b"}]},{"role":"model","parts":[{"text":"c"},{"text":"d"}]},{"role":"user","parts":[{"text":"e"}]}]}`},
		{"tool round trip recovers the function name",
			llm.Request{Messages: []llm.Message{user("Weather in Paris?"), call,
				{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"temp":21}`}}, Extra: &llm.MessageExtra{ToolCallID: "call_1"}}}},
			`{"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},
			  {"role":"model","parts":[{"functionCall":{"id":"call_1","name":"get_weather","args":{"city":"Paris"}}}]},
			  {"role":"user","parts":[{"functionResponse":{"id":"call_1","name":"get_weather","response":{"temp":21}}}]}]}`},
		{"tool results wrap non-objects, parallel results merge",
			llm.Request{Messages: []llm.Message{user("q"),
				{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "a", Name: "f", Arguments: ""}, {ID: "b", Name: "g", Arguments: "{}"}}}},
				llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "[1,2]"}}, Extra: &llm.MessageExtra{ToolCallID: "a"}},
				llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "sunny"}}, Extra: &llm.MessageExtra{ToolCallID: "b"}}}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]},
			  {"role":"model","parts":[{"functionCall":{"id":"a","name":"f","args":{}}},{"functionCall":{"id":"b","name":"g","args":{}}}]},
			  {"role":"user","parts":[{"functionResponse":{"id":"a","name":"f","response":{"result":[1,2]}}},{"functionResponse":{"id":"b","name":"g","response":{"content":"sunny"}}}]}]}`},
		// Gemini reads a "$ref" in a function response as a reference to
		// one of its parts and refuses any other (vercel/ai#14369): a
		// result holding one (a JSON Schema, say) goes as text.
		{"a tool result with $ref goes as text",
			llm.Request{Messages: []llm.Message{user("q"),
				{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "a", Name: "f", Arguments: "{}"}, {ID: "b", Name: "f", Arguments: "{}"}}}},
				llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"properties":{"c":{"$ref":"#/$defs/C"}}}`}}, Extra: &llm.MessageExtra{ToolCallID: "a"}},
				llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `[{"$ref":"x"}]`}}, Extra: &llm.MessageExtra{ToolCallID: "b"}}}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]},
			  {"role":"model","parts":[{"functionCall":{"id":"a","name":"f","args":{}}},{"functionCall":{"id":"b","name":"f","args":{}}}]},
			  {"role":"user","parts":[{"functionResponse":{"id":"a","name":"f","response":{"content":"{\"properties\":{\"c\":{\"$ref\":\"#/$defs/C\"}}}"}}},
			    {"functionResponse":{"id":"b","name":"f","response":{"content":"[{\"$ref\":\"x\"}]"}}}]}]}`},
		{"a $ref only in a string stays structured",
			llm.Request{Messages: []llm.Message{user("Weather in Paris?"), call,
				{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"note":"use \"$ref\" keys"}`}}, Extra: &llm.MessageExtra{ToolCallID: "call_1"}}}},
			`{"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},
			  {"role":"model","parts":[{"functionCall":{"id":"call_1","name":"get_weather","args":{"city":"Paris"}}}]},
			  {"role":"user","parts":[{"functionResponse":{"id":"call_1","name":"get_weather","response":{"note":"use \"$ref\" keys"}}}]}]}`},
		{"gemini 3 replays get the skip signature on the first call",
			llm.Request{Model: "gemini-3-pro-preview", Messages: []llm.Message{user("q"),
				{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "a", Name: "f"}, {ID: "b", Name: "f"}}}}}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]},
			  {"role":"model","parts":[{"functionCall":{"id":"a","name":"f","args":{}},"thoughtSignature":"skip_thought_signature_validator"},{"functionCall":{"id":"b","name":"f","args":{}}}]}]}`},
		{"tools and tool choice function",
			llm.Request{Messages: []llm.Message{user("q")}, Tools: []llm.Tool{weather},
				ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "get_weather"}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],
			  "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Weather of a city",
			    "parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}]}],
			  "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}}`},
		{"tool choice required is ANY",
			llm.Request{Messages: []llm.Message{user("q")}, Tools: []llm.Tool{{Name: "f"}}, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}],"toolConfig":{"functionCallingConfig":{"mode":"ANY"}}}`},
		{"allowed tools required are ANY with their names",
			llm.Request{Messages: []llm.Message{user("q")}, Tools: []llm.Tool{{Name: "f"}, {Name: "g"}, {Name: "h"}}, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired, Allowed: []string{"f", "h"}}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],"tools":[{"functionDeclarations":[{"name":"f"},{"name":"g"},{"name":"h"}]}],"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f","h"]}}}`},
		{"allowed tools auto are VALIDATED with their names",
			llm.Request{Messages: []llm.Message{user("q")}, Tools: []llm.Tool{{Name: "f"}, {Name: "g"}}, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceAuto, Allowed: []string{"g"}}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],"tools":[{"functionDeclarations":[{"name":"f"},{"name":"g"}]}],"toolConfig":{"functionCallingConfig":{"mode":"VALIDATED","allowedFunctionNames":["g"]}}}`},
		{"tool choice none is NONE",
			llm.Request{Messages: []llm.Message{user("q")}, Tools: []llm.Tool{{Name: "f"}}, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceNone}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}],"toolConfig":{"functionCallingConfig":{"mode":"NONE"}}}`},
		{"sampling and limits",
			llm.Request{Messages: []llm.Message{user("q")}, Temperature: ptr(1.5), TopP: ptr(0.9), MaxTokens: ptr(100),
				Stop: []string{"END"}, Seed: ptr(int64(42)), PresencePenalty: ptr(0.5), FrequencyPenalty: ptr(-0.5), N: ptr(2)},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],"generationConfig":{"temperature":1.5,"topP":0.9,"maxOutputTokens":100,
			  "stopSequences":["END"],"candidateCount":2,"seed":42,"presencePenalty":0.5,"frequencyPenalty":-0.5}}`},
		{"json object",
			llm.Request{Messages: []llm.Message{user("q")}, ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONObject}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],"generationConfig":{"responseMimeType":"application/json"}}`},
		{"json schema",
			llm.Request{Messages: []llm.Message{user("q")}, ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "x",
				Schema: json.RawMessage(`{"type":"object","properties":{"n":{"type":"integer"}},"additionalProperties":false}`)}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],"generationConfig":{"responseMimeType":"application/json",
			  "responseJsonSchema":{"type":"object","properties":{"n":{"type":"integer"}},"additionalProperties":false}}}`},
		{"images: data URI inline, URL as file",
			llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
				{Type: llm.PartText, Text: "what?"},
				llm.ImagePart("data:image/png;base64,iVBORw0KGgo=", ""),
				llm.ImagePart("https://example.com/cat.webp", "")}}}},
			`{"contents":[{"role":"user","parts":[{"text":"what?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
			  {"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/cat.webp"}}]}]}`},
		{"reasoning effort on 2.5 is a budget",
			llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{user("q")}, Reasoning: &llm.Reasoning{Effort: llm.EffortLow}},
			`{"contents":[{"role":"user","parts":[{"text":"q"}]}],"generationConfig":{"thinkingConfig":{"thinkingBudget":1024}}}`},
		{"empty assistant turns are dropped",
			llm.Request{Messages: []llm.Message{user("a"), assistant(""), user("b")}},
			`{"contents":[{"role":"user","parts":[{"text":"a"},{"text":"b"}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromLLM(&tt.req)
			if err != nil {
				t.Fatal(err)
			}
			jsonEq(t, got, tt.want)
		})
	}
}

func TestFromLLMErrors(t *testing.T) {
	tests := []struct {
		name  string
		req   llm.Request
		param string
	}{
		{"no contents", llm.Request{Messages: []llm.Message{{Role: llm.RoleSystem}}}, "messages"},
		{"unknown tool call id", llm.Request{Messages: []llm.Message{user("q"),
			{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "x"}}, Extra: &llm.MessageExtra{ToolCallID: "nope"}}}}, "messages[1].tool_call_id"},
		{"temperature above 2", llm.Request{Messages: []llm.Message{user("q")}, Temperature: ptr(2.5)}, "temperature"},
		{"image in system", llm.Request{Messages: []llm.Message{{Role: llm.RoleSystem, Content: []llm.Part{llm.ImagePart("https://x/y.png", "")}}, user("q")}}, "messages[0].content"},
		{"bad data URI", llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.ImagePart("data:image/png,notbase64", "")}}}}, "messages[0].content"},
		{"schema not an object", llm.Request{Messages: []llm.Message{user("q")}, Tools: []llm.Tool{{Name: "f", Parameters: json.RawMessage(`[]`)}}}, "tools[0].function.parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromLLM(&tt.req)
			var le *llm.Error
			if !errors.As(err, &le) || le.Kind != llm.KindInvalidRequest {
				t.Fatalf("err = %v, want invalid_request", err)
			}
			if le.Param != tt.param {
				t.Errorf("param = %q, want %q", le.Param, tt.param)
			}
		})
	}
}

// TestFromLLMGolden checks a whole agent conversation against a golden
// request body (go test -update rewrites it).
func TestFromLLMGolden(t *testing.T) {
	req := &llm.Request{
		Model: "gemini-2.5-flash",
		Messages: []llm.Message{
			llm.TextMessage(llm.RoleSystem, "You are a helpful weather bot."),
			user("What's the temperature in London and Paris?"),
			{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{
				{ID: "call_0", Type: "function", Name: "get_current_temperature", Arguments: `{"location":"London"}`},
				{ID: "call_1", Type: "function", Name: "get_current_temperature", Arguments: `{"location":"Paris"}`},
			}}},
			{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"temperature":15,"unit":"C"}`}}, Extra: &llm.MessageExtra{ToolCallID: "call_0"}},
			{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"temperature":18,"unit":"C"}`}}, Extra: &llm.MessageExtra{ToolCallID: "call_1"}},
		},
		Tools: []llm.Tool{{Type: "function", Name: "get_current_temperature", Description: "Gets the current temperature for a given location.",
			Parameters: json.RawMessage(`{"type":"object","properties":{"location":{"type":"string","description":"The city name, e.g. San Francisco"}},"required":["location"]}`)}},
		ToolChoice:  &llm.ToolChoice{Mode: llm.ToolChoiceAuto},
		Temperature: ptr(0.2),
		MaxTokens:   ptr(1024),
	}
	got, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "fromllm_tools.golden.json")
	if *update {
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(b, '\n'), want) {
		t.Errorf("FromLLM differs from %s:\n%s", path, b)
	}
}

func TestCleanJSONSchema(t *testing.T) {
	got, err := CleanJSONSchema(json.RawMessage(`{"$schema":"x","type":"object","$defs":{"a":{"type":"string"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, got, `{"type":"object","$defs":{"a":{"type":"string"}}}`)
	if got, err := CleanJSONSchema(nil); got != nil || err != nil {
		t.Errorf("empty schema = %s, %v", got, err)
	}
	if _, err := CleanJSONSchema(json.RawMessage(`"s"`)); err == nil {
		t.Error("a string schema was accepted")
	}
}

func TestOpenAPIToJSONSchema(t *testing.T) {
	got := OpenAPIToJSONSchema(json.RawMessage(`{"type":"OBJECT","properties":{"tags":{"type":"ARRAY","items":{"type":"STRING"}},
		"n":{"type":"INTEGER","nullable":true}},"propertyOrdering":["tags","n"],"required":["tags"]}`))
	jsonEq(t, json.RawMessage(got), `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},
		"n":{"type":["integer","null"]}},"required":["tags"]}`)
}

// A system prompt alone, which OpenAI answers, becomes the user turn
// Gemini needs.
func TestFromLLMSystemPromptAlone(t *testing.T) {
	out, err := FromLLM(&llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleSystem, "Write a haiku."), llm.TextMessage(llm.RoleUser, "")}})
	if err != nil {
		t.Fatal(err)
	}
	if out.SystemInstruction != nil || len(out.Contents) != 1 || out.Contents[0].Role != "user" || len(out.Contents[0].Parts) != 1 || out.Contents[0].Parts[0].Text != "Write a haiku." {
		t.Errorf("system instruction %+v, contents %+v", out.SystemInstruction, out.Contents)
	}
}

// Gemini 2.5 and later refuse the penalties; FromLLM leaves them out for
// those models and DroppedPenalties names them; older models get them.
func TestPenaltiesByModel(t *testing.T) {
	half := 0.5
	for model, refuses := range map[string]bool{
		"gemini-2.5-flash": true, "models/gemini-2.5-pro": true, "gemini-3-pro-preview": true, "gemini-flash-latest": true,
		"gemini-2.0-flash": false, "gemini-1.5-pro": false, "gemini-pro": false, "gemma-3-27b-it": false,
	} {
		req := &llm.Request{Model: model, Messages: []llm.Message{user("q")}, PresencePenalty: &half, FrequencyPenalty: &half}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatal(err)
		}
		sent := out.GenerationConfig != nil && out.GenerationConfig.PresencePenalty != nil && out.GenerationConfig.FrequencyPenalty != nil
		dropped := DroppedPenalties(req)
		if RefusesPenalties(model) != refuses || sent == refuses || (len(dropped) == 2) != refuses {
			t.Errorf("%s: refuses %v, sent %v, dropped %v; want refuses %v", model, RefusesPenalties(model), sent, dropped, refuses)
		}
	}
}

// FuzzResponseObject: any tool result becomes a JSON object with no
// "$ref" key at any depth (Gemini would take one for a reference to a
// part).
func FuzzResponseObject(f *testing.F) {
	for _, s := range []string{`{"temp":21}`, "[1,2]", "sunny", `{"a":{"$ref":"#/$defs/A"}}`, `[{"$ref":"x"}]`,
		`{"\u0024ref":"x"}`, `{"$\u0072ef":"x"}`, `{"\u0024r\u0065f":"x"}`, `{"a":[{"$re\u0066":"#/$defs/A"}]}`, `{"note":"\"$ref\""}`, "", "null", `{"$ref":"x","n":1e999}`, `{"a":[[[{"b":{"$ref":"c"}}]]]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := responseObject(s)
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(out))
		d.UseNumber() // a valid 1e999 does not fit a float64
		if err := d.Decode(&m); err != nil || m == nil {
			t.Fatalf("responseObject(%q) = %s, not a JSON object", s, out)
		}
		if refKeyIn(m, 0) {
			t.Fatalf("responseObject(%q) = %s holds a $ref key", s, out)
		}
	})
}

// A failed tool's result (an Anthropic client's is_error) is the function
// response's "error": its JSON, else its text.
func TestToolErrorIsTheResponsesError(t *testing.T) {
	for text, want := range map[string]string{
		"permission denied":    `{"error":"permission denied"}`,
		`{"code":403}`:         `{"error":{"code":403}}`,
		`{"$ref":"#/$defs/x"}`: `{"error":"{\"$ref\":\"#/$defs/x\"}"}`,
	} {
		m := llm.TextMessage(llm.RoleTool, text)
		m.SetToolCallID("c1")
		m.SetToolError(true)
		calls := llm.Message{Role: llm.RoleAssistant}
		calls.SetToolCalls([]llm.ToolCall{{ID: "c1", Name: "f", Arguments: "{}"}})
		out, err := FromLLM(&llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "go"), calls, m}})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(out.Contents[2].Parts[0].FunctionResponse.Response); got != want {
			t.Errorf("%s: response %s, want %s", text, got, want)
		}
	}
}
