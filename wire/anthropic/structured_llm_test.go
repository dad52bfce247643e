package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestFromLLMStructuredOutput: response_format json_schema becomes
// output_config.format on a model that takes it (by id, or by the
// deployment's structured_output), with additionalProperties false
// added; it stays the prompt instruction where native output would not
// be faithful or is not available; json_object always does.
func TestFromLLMStructuredOutput(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`)
	native := `{"type":"json_schema","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}`
	jsonSchema := &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "city", Schema: schema, Strict: ptr(true)}
	tests := []struct {
		name   string
		req    llm.Request
		native string // the output_config.format sent; "" for the instruction
	}{
		{"supporting model", llm.Request{Model: "claude-haiku-4-5", ResponseFormat: jsonSchema}, native},
		{"alias with a supporting base model", llm.Request{Model: "prod-claude", BaseModel: "claude-sonnet-4-5-20250929", ResponseFormat: jsonSchema}, native},
		{"older model", llm.Request{Model: "claude-sonnet-4-20250514", ResponseFormat: jsonSchema}, ""},
		{"older model set native", llm.Request{Model: "claude-sonnet-4-20250514", StructuredOutput: llm.StructuredNative, ResponseFormat: jsonSchema}, native},
		{"supporting model set prompt", llm.Request{Model: "claude-haiku-4-5", StructuredOutput: llm.StructuredPrompt, ResponseFormat: jsonSchema}, ""},
		{"schema with constraints the API refuses", llm.Request{Model: "claude-haiku-4-5", ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONSchema,
			Schema: json.RawMessage(`{"type":"object","properties":{"n":{"type":"integer","minimum":1}}}`)}}, ""},
		{"json_object", llm.Request{Model: "claude-haiku-4-5", ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONObject}}, ""},
		{"prefill (a resumed stream)", llm.Request{Model: "claude-haiku-4-5", ResponseFormat: jsonSchema,
			Messages: []llm.Message{user("Largest city?"), assistant(`{"city":`)}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.req.Messages == nil {
				tc.req.Messages = []llm.Message{user("Largest city in France?")}
			}
			out, err := FromLLM(&tc.req)
			if err != nil {
				t.Fatal(err)
			}
			instructed := false
			for _, b := range out.System {
				if ok, _ := ParseJSONInstruction(b.Text); ok {
					instructed = true
				}
			}
			if tc.native == "" {
				if out.OutputConfig != nil || !instructed {
					t.Errorf("output_config %+v, instruction %v; want the instruction only", out.OutputConfig, instructed)
				}
				return
			}
			if instructed || out.OutputConfig == nil || out.OutputConfig.Format == nil {
				t.Fatalf("output_config %+v, instruction %v; want output_config only", out.OutputConfig, instructed)
			}
			got, _ := json.Marshal(out.OutputConfig.Format)
			if string(got) != tc.native {
				t.Errorf("format\n got %s\nwant %s", got, tc.native)
			}
		})
	}
}

// TestFromLLMStrictTools: an OpenAI tool with strict true is a strict
// Anthropic tool on a model that takes it, its schema closed with
// additionalProperties false; elsewhere, or when its schema cannot be
// enforced, it goes without strict, as before.
func TestFromLLMStrictTools(t *testing.T) {
	params := json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}`)
	loose := json.RawMessage(`{"type":"object","properties":{"n":{"type":"integer","maximum":3}}}`)
	tools := []llm.Tool{
		{Type: "function", Name: "weather", Parameters: params, Strict: ptr(true)},
		{Type: "function", Name: "count", Parameters: loose, Strict: ptr(true)},
		{Type: "function", Name: "plain", Parameters: params},
	}
	for model, want := range map[string]string{
		"claude-haiku-4-5":         `[{"name":"weather","input_schema":` + string(params) + `,"strict":true},{"name":"count","input_schema":` + string(loose) + `},{"name":"plain","input_schema":` + string(params) + `}]`,
		"claude-sonnet-4-20250514": `[{"name":"weather","input_schema":` + string(params) + `},{"name":"count","input_schema":` + string(loose) + `},{"name":"plain","input_schema":` + string(params) + `}]`,
	} {
		out, err := FromLLM(&llm.Request{Model: model, Messages: []llm.Message{user("Weather?")}, Tools: tools})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(out.Tools)
		if !strings.EqualFold(string(got), want) {
			t.Errorf("%s tools\n got %s\nwant %s", model, got, want)
		}
	}
}
