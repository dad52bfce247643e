package gemini

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestFunctionNamesGeminiRefuses: OpenAI and Anthropic allow a function
// name to start with a digit or a dash; Gemini refuses it ("Must start
// with a letter or an underscore"). Such a name goes to Gemini with a
// leading underscore — in the declarations, the history's calls and
// responses and allowedFunctionNames — and comes back as the client's.
func TestFunctionNamesGeminiRefuses(t *testing.T) {
	req := &llm.Request{
		Model: "gemini-2.5-flash",
		Tools: []llm.Tool{
			{Type: "function", Name: "1password_lookup", Parameters: json.RawMessage(`{"type":"object"}`)},
			{Type: "function", Name: "-dash", Parameters: json.RawMessage(`{"type":"object"}`)},
			{Type: "function", Name: "get_weather", Parameters: json.RawMessage(`{"type":"object"}`)},
		},
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "1password_lookup"},
		Messages: []llm.Message{
			llm.TextMessage(llm.RoleUser, "find my bank login"),
			{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "c1", Type: "function", Name: "1password_lookup", Arguments: `{}`}}}},
			{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"found":true}`}}, Extra: &llm.MessageExtra{ToolCallID: "c1"}},
		},
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	body := string(b)
	for _, want := range []string{`"name":"_1password_lookup"`, `"name":"_-dash"`, `"name":"get_weather"`, `"allowedFunctionNames":["_1password_lookup"]`} {
		if !strings.Contains(body, want) {
			t.Errorf("request lacks %s: %s", want, body)
		}
	}
	if n := strings.Count(body, `"_1password_lookup"`); n != 4 { // declaration, call, response, allowed
		t.Errorf("_1password_lookup %d times, want 4: %s", n, body)
	}

	tr := NewStreamTranslator(req.Model)
	tr.Names = FunctionNames(req)
	chunks, err := tr.Translate([]byte(`{"candidates":[{"content":{"role":"model","parts":[
		{"functionCall":{"name":"_1password_lookup","args":{}}},{"functionCall":{"name":"get_weather","args":{}}}]},
		"finishReason":"STOP","index":0}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range chunks {
		for _, ch := range c.Choices {
			for _, tc := range ch.Delta.ToolCalls {
				names = append(names, tc.Name)
			}
		}
	}
	if strings.Join(names, ",") != "1password_lookup,get_weather" {
		t.Errorf("calls came back as %v", names)
	}

	clash := &llm.Request{Model: "gemini-2.5-flash", Messages: req.Messages[:1], Tools: []llm.Tool{
		{Type: "function", Name: "1x", Parameters: json.RawMessage(`{"type":"object"}`)},
		{Type: "function", Name: "_1x", Parameters: json.RawMessage(`{"type":"object"}`)},
	}}
	var e *llm.Error
	if _, err := FromLLM(clash); !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, "_1x") {
		t.Errorf("1x beside _1x: %v, want an invalid request naming the clash", err)
	}
}
