package openai

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

func ptr[T any](v T) *T { return &v }

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeSpecExamples decodes the request examples of the spec's
// /chat/completions operation and checks what each one says.
func TestDecodeSpecExamples(t *testing.T) {
	weather := `{
          "type": "object",
          "properties": {
            "location": {
              "type": "string",
              "description": "The city and state, e.g. San Francisco, CA"
            },
            "unit": {
              "type": "string",
              "enum": ["celsius", "fahrenheit"]
            }
          },
          "required": ["location"]
        }`
	tests := []struct {
		file string
		want llm.Request
	}{
		{"chat_default_request.json", llm.Request{Model: "VAR_chat_model_id", Messages: []llm.Message{
			llm.TextMessage(llm.RoleDeveloper, "You are a helpful assistant."),
			llm.TextMessage(llm.RoleUser, "Hello!"),
		}}},
		{"chat_streaming_request.json", llm.Request{Model: "VAR_chat_model_id", Stream: true, Messages: []llm.Message{
			llm.TextMessage(llm.RoleDeveloper, "You are a helpful assistant."),
			llm.TextMessage(llm.RoleUser, "Hello!"),
		}}},
		{"chat_image_input_request.json", llm.Request{Model: "gpt-5.4", MaxTokens: ptr(300), Messages: []llm.Message{{
			Role: llm.RoleUser,
			Content: []llm.Part{
				{Type: llm.PartText, Text: "What is in this image?"},
				llm.ImagePart("https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg", ""),
			},
		}}}},
		{"chat_functions_request.json", llm.Request{
			Model:      "gpt-5.4",
			Messages:   []llm.Message{llm.TextMessage(llm.RoleUser, "What is the weather like in Boston today?")},
			Tools:      []llm.Tool{{Type: "function", Name: "get_current_weather", Description: "Get the current weather in a given location", Parameters: json.RawMessage(weather)}},
			ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceAuto},
		}},
		{"chat_logprobs_request.json", llm.Request{
			Model:    "VAR_chat_model_id",
			Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Hello!")},
			Logprobs: true, TopLogprobs: 2,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := DecodeChatRequest(readFixture(t, "spec/"+tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

// fullRequest exercises every field DecodeChatRequest models.
const fullRequest = `{
  "model": "auto",
  "messages": [
    {"role": "system", "content": "Be brief.", "name": "sys"},
    {"role": "developer", "content": [{"type": "text", "text": "Use tools."}]},
    {"role": "user", "content": [
      {"type": "text", "text": "Look:", "prompt_cache_breakpoint": {}},
      {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}},
      {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
      {"type": "file", "file": {"file_id": "file-1"}}
    ], "name": "ann", "x-unknown": [1, {"a": null}]},
    {"role": "assistant", "content": null, "tool_calls": [
      {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}
    ]},
    {"role": "tool", "tool_call_id": "call_1", "content": "{\"temp\": -3}"},
    {"role": "assistant", "content": "", "refusal": "I can't."}
  ],
  "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather.", "parameters": {"type":"object"}, "strict": true}}],
  "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
  "parallel_tool_calls": false,
  "response_format": {"type": "json_schema", "json_schema": {"name": "w", "description": "d", "schema": {"type":"object"}, "strict": true}},
  "temperature": 0.7, "top_p": 1, "max_completion_tokens": 512, "stop": ["\n\n", "END"], "seed": -42,
  "user": "u-1", "metadata": {"team": "a\u00e9"}, "n": 2, "presence_penalty": -0.5, "frequency_penalty": 2,
  "stream": true, "stream_options": {"include_usage": true, "include_obfuscation": false},
  "logit_bias": {"50256": -100}, "reasoning_effort": "low", "service_tier": "flex", "store": false
}`

func TestDecodeFullRequest(t *testing.T) {
	got, err := DecodeChatRequest([]byte(fullRequest))
	if err != nil {
		t.Fatal(err)
	}
	want := &llm.Request{
		Model: "auto",
		Messages: []llm.Message{
			{Role: llm.RoleSystem, Content: []llm.Part{{Type: llm.PartText, Text: "Be brief."}}, StringContent: true, Extra: &llm.MessageExtra{Name: "sys"}},
			{Role: llm.RoleDeveloper, Content: []llm.Part{{Type: llm.PartText, Text: "Use tools."}}},
			{Role: llm.RoleUser, Extra: &llm.MessageExtra{Name: "ann"}, Content: []llm.Part{
				{Type: llm.PartText, Text: "Look:", Extra: &llm.PartExtra{Cache: llm.Cache5m}}, // its prompt_cache_breakpoint
				llm.ImagePart("data:image/png;base64,AAAA", "low"),
				llm.OtherPart(json.RawMessage(`{"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}`)),
				llm.OtherPart(json.RawMessage(`{"type": "file", "file": {"file_id": "file-1"}}`)),
			}},
			{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "call_1", Type: "function", Name: "get_weather", Arguments: `{"city":"Oslo"}`}}}},
			{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"temp": -3}`}}, StringContent: true, Extra: &llm.MessageExtra{ToolCallID: "call_1"}},
			{Role: llm.RoleAssistant, Content: []llm.Part{{Type: llm.PartText}}, StringContent: true, Extra: &llm.MessageExtra{Refusal: "I can't."}},
		},
		Tools:             []llm.Tool{{Type: "function", Name: "get_weather", Description: "Weather.", Parameters: json.RawMessage(`{"type":"object"}`), Strict: ptr(true)}},
		ToolChoice:        &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "get_weather"},
		ParallelToolCalls: ptr(false),
		ResponseFormat:    &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "w", Description: "d", Schema: json.RawMessage(`{"type":"object"}`), Strict: ptr(true)},
		Temperature:       ptr(0.7), TopP: ptr(1.0), MaxTokens: ptr(512), Stop: []string{"\n\n", "END"}, Seed: ptr(int64(-42)),
		User: "u-1", Metadata: map[string]string{"team": "aé"}, N: ptr(2), PresencePenalty: ptr(-0.5), FrequencyPenalty: ptr(2.0),
		Stream: true, IncludeUsage: true, Reasoning: &llm.Reasoning{Effort: llm.EffortLow}, ServiceTier: llm.TierFlex,
		Extra: map[string]json.RawMessage{
			"logit_bias":             json.RawMessage(`{"50256": -100}`),
			"store":                  json.RawMessage(`false`),
			ExtraMaxCompletionTokens: json.RawMessage(`512`),
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// allowedTools is a request's tools member for the allowed_tools cases.
const allowedTools = `"tools":[{"type":"function","function":{"name":"f"}},{"type":"custom","custom":{"name":"c"}}],`

func TestDecodeRequestVariants(t *testing.T) {
	const msgs = `"messages":[{"role":"user","content":"hi"}]`
	tests := []struct {
		name, body string
		check      func(*llm.Request) bool
	}{
		{"stop string", `{"model":"m",` + msgs + `,"stop":"END"}`, func(r *llm.Request) bool { return reflect.DeepEqual(r.Stop, []string{"END"}) }},
		{"nulls are unset", `{"model":"m",` + msgs + `,"temperature":null,"stop":null,"tools":null,"tool_choice":null,"metadata":null,"stream":null,"stream_options":null,"n":null,"seed":null,"response_format":null,"functions":null,"function_call":null}`,
			func(r *llm.Request) bool {
				return r.Temperature == nil && r.Stop == nil && r.Tools == nil && r.ToolChoice == nil && r.Metadata == nil && r.N == nil && r.Seed == nil && r.ResponseFormat == nil && r.Extra == nil
			}},
		{"tool_choice auto and none without tools", `{"model":"m",` + msgs + `,"tool_choice":"none"}`, func(r *llm.Request) bool { return r.ToolChoice.Mode == llm.ToolChoiceNone }},
		{"allowed tools", `{"model":"m",` + msgs + `,` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"custom","custom":{"name":"c"}},{"type":"function","function":{"name":"f"}}]}}}`,
			func(r *llm.Request) bool {
				return r.ToolChoice.Mode == llm.ToolChoiceRequired && slices.Equal(r.ToolChoice.Allowed, []string{"c", "f"}) && len(r.Tools) == 2
			}},
		{"forced function among tools", `{"model":"m",` + msgs + `,"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"f"}}}`,
			func(r *llm.Request) bool { return r.ToolChoice.Name == "f" }},
		{"empty optional arrays are unset", `{"model":"m",` + msgs + `,"tools":[],"stop":[],"metadata":{}}`,
			func(r *llm.Request) bool { return r.Tools == nil && r.Stop == nil && r.Metadata == nil }},
		{"max_tokens", `{"model":"m",` + msgs + `,"max_tokens":7}`, func(r *llm.Request) bool { return *r.MaxTokens == 7 && r.Extra == nil }},
		{"both limits equal", `{"model":"m",` + msgs + `,"max_tokens":7,"max_completion_tokens":7}`,
			func(r *llm.Request) bool {
				return *r.MaxTokens == 7 && string(r.Extra[ExtraMaxCompletionTokens]) == "7"
			}},
		{"json_object", `{"model":"m",` + msgs + `,"response_format":{"type":"json_object"}}`,
			func(r *llm.Request) bool { return r.ResponseFormat.Type == llm.FormatJSONObject }},
		{"escaped keys", `{"mod\u0065l":"m",` + msgs + `}`, func(r *llm.Request) bool { return r.Model == "m" }},
		{"logit_bias kept as sent", `{"model":"m",` + msgs + `,"logit_bias":{"50256": -100, "1":100.0}}`,
			func(r *llm.Request) bool { return string(r.Extra[ExtraLogitBias]) == `{"50256": -100, "1":100.0}` }},
		{"logit_bias null", `{"model":"m",` + msgs + `,"logit_bias":null}`, func(r *llm.Request) bool { return string(r.Extra[ExtraLogitBias]) == "null" }},
		{"duplicate key, last wins", `{"model":"a","model":"b",` + msgs + `}`, func(r *llm.Request) bool { return r.Model == "b" }},
		{"bare image url", `{"model":"m","messages":[{"role":"user","content":[{"image_url":"http://x/y.png","type":"image_url"}]}]}`,
			func(r *llm.Request) bool { return r.Messages[0].Content[0].ImageURL() == "http://x/y.png" }},
		{"assistant content parts with refusal part", `{"model":"m","messages":[{"role":"assistant","content":[{"type":"refusal","refusal":"no"}]}]}`,
			func(r *llm.Request) bool { return r.Messages[0].Content[0].Type == llm.PartOther }},
		{"escapes and surrogates", `{"model":"m","messages":[{"role":"user","content":"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x"}]}`,
			func(r *llm.Request) bool { return r.Messages[0].Text() == "a\"\\/\b\f\n\r\té😀\uFFFDx" }},
		{"invalid utf-8 replaced", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\xffb\"}]}",
			func(r *llm.Request) bool { return r.Messages[0].Text() == "a\uFFFDb" }},
		{"tool call type defaults to function", `{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":""}}]}]}`,
			func(r *llm.Request) bool { return r.Messages[0].ToolCalls()[0].Type == "function" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeChatRequest([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(r) {
				t.Errorf("unexpected decode: %+v", r)
			}
		})
	}
}

const m = `"model":"m",`

// requestErrorCases are bodies DecodeChatRequest rejects, with the param
// and a part of the message it must report; they seed the fuzzer too.
var requestErrorCases = []struct{ body, param, msg string }{
	{`{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"extreme"}`, "reasoning_effort", "Invalid value for 'reasoning_effort': 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh' and 'max'."},
	{`{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":3}`, "reasoning_effort", "Invalid type for 'reasoning_effort': expected a string"},
	{`{"model":"m","messages":[{"role":"user","content":"x"}],"top_logprobs":2}`, "top_logprobs", "The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled."},
	{`{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":false,"top_logprobs":0}`, "top_logprobs", "only allowed when 'logprobs' is enabled"},
	{`{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":21}`, "top_logprobs", "Invalid value for 'top_logprobs': must be less than or equal to 20."},
	{`{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":-1}`, "top_logprobs", "Invalid 'top_logprobs': integer below minimum value. Expected a value >= 0, but got -1 instead."},
	{`{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":1.5}`, "top_logprobs", "expected an integer, but got a decimal number"},
	{`{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":1}`, "logprobs", "Invalid type for 'logprobs': expected a boolean"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"logit_bias":[1]}`, "logit_bias", "Invalid type for 'logit_bias': expected an object, but got an array instead."},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"logit_bias":{"AI":10}}`, "logit_bias", "Invalid key in 'logit_bias': AI. You should only be submitting non-negative integers."},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"logit_bias":{"-1":10}}`, "logit_bias", "Invalid key in 'logit_bias': -1."},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"logit_bias":{"":10}}`, "logit_bias", "Invalid key in 'logit_bias': ."},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"logit_bias":{"50256":500}}`, "logit_bias.50256", "Invalid 'logit_bias.50256': decimal above maximum value. Expected a value <= 100, but got 500 instead."},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"logit_bias":{"50256":-101}}`, "logit_bias.50256", "below minimum value"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"logit_bias":{"50256":"x"}}`, "logit_bias.50256", "Invalid type for 'logit_bias.50256': expected a number, but got a string instead."},
	{``, "", "We could not parse the JSON body of your request: unexpected end of JSON input (at byte offset 0)"},
	{`{"model":"m",}`, "", "invalid character '}' looking for beginning of object key string (at byte offset 13)"},
	{`{"model":"m"} x`, "", "after top-level value"},
	{`[]`, "", "expected a JSON object, but got an array"},
	{`{"model":5,"messages":[}`, "", "We could not parse"}, // syntax beats the type error before it
	{`{"messages":[{"role":"user","content":"x"}]}`, "model", "Missing required parameter: 'model'."},
	{`{"model":"","messages":[{"role":"user","content":"x"}]}`, "model", "Missing required parameter"},
	{`{"model":5}`, "model", "Invalid type for 'model': expected a string, but got an integer instead."},
	{`{"model":"m"}`, "messages", "Missing required parameter: 'messages'."},
	{`{"model":"m","messages":[]}`, "messages", "empty array"},
	{`{"model":"m","messages":{}}`, "messages", "expected an array, but got an object"},
	{`{"model":"m","messages":[{"content":"x"}]}`, "messages[0].role", "Missing required parameter: 'messages[0].role'."},
	{`{"model":"m","messages":[{"role":"` + strings.Repeat("é", 40) + `","content":"x"}]}`, "messages[0].role", "'" + strings.Repeat("é", 32) + "…'"},
	{`{"model":"m","messages":[{"role":"bot","content":"x"}]}`, "messages[0].role", "Invalid value for 'messages[0].role': 'bot'. Supported values are:"},
	{`{"model":"m","messages":[{"role":"function","name":"f","content":"x"}]}`, "messages[0].role", "role 'tool'"},
	{`{"model":"m","messages":[{"role":"user","content":"x"},{"role":"user","content":true}]}`, "messages[1].content", "expected one of a string or an array of content parts, but got a boolean"},
	{`{"model":"m","messages":[{"role":"user"}]}`, "messages[0].content", "Missing required parameter"},
	{`{"model":"m","messages":[{"role":"user","content":null}]}`, "messages[0].content", "Missing required parameter"},
	{`{"model":"m","messages":[{"role":"user","content":[]}]}`, "messages[0].content", "empty array"},
	{`{"model":"m","messages":[{"role":"assistant"}]}`, "messages[0].content", "unless it has 'tool_calls'"},
	{`{"model":"m","messages":[{"role":"tool","content":"x"}]}`, "messages[0].tool_call_id", "Missing required parameter"},
	{`{"model":"m","messages":[{"role":"user","content":[{"text":"x"}]}]}`, "messages[0].content[0].type", "Missing"},
	{`{"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]}`, "messages[0].content[0].text", "Missing"},
	{`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":1.5}]}]}`, "messages[0].content[0].text", "expected a string, but got a decimal number"},
	{`{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}`, "messages[0].content[0].image_url.url", "Missing"},
	{`{"model":"m","messages":[{"role":"system","content":[{"type":"input_audio","input_audio":{}}]}]}`, "messages[0].content[0].type", "'input_audio'"},
	{`{"model":"m","messages":[{"role":"user","content":"x","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]}`, "messages[0].tool_calls", "only assistant"},
	{`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}`, "messages[0].tool_calls[0].id", "Missing"},
	{`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"custom","custom":{}}]}]}`, "messages[0].tool_calls[0].custom.name", "custom.name"},
	{`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"custom","custom":{"name":"x"}}]}]}`, "messages[0].tool_calls[0].custom.input", "custom.input"},
	{`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"mcp","custom":{}}]}]}`, "messages[0].tool_calls[0].type", "'custom'"},
	{`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":{}}}]}]}`, "messages[0].tool_calls[0].function.arguments", "expected a string, but got an object"},
	{`{"model":"m","messages":[{"role":"assistant","function_call":{"name":"f","arguments":"{}"}}]}`, "messages[0].function_call", "tool_calls"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"temperature":2.5}`, "temperature", "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead."},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"temperature":"hot"}`, "temperature", "expected a number, but got a string"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"top_p":-0.1}`, "top_p", "below minimum"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"n":0}`, "n", "integer below minimum value. Expected a value >= 1, but got 0 instead."},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"max_tokens":0}`, "max_tokens", "below minimum"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"max_tokens":1.5}`, "max_tokens", "expected an integer, but got a decimal number"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"max_tokens":5,"max_completion_tokens":6}`, "max_tokens", "Send only 'max_completion_tokens'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"seed":99999999999999999999}`, "seed", "out of range"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"stop":["a","b","c","d","e"]}`, "stop", "maximum length 4"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"stop":[1]}`, "stop[0]", "expected a string"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"metadata":{"k":1}}`, "metadata.k", "expected a string"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"bad name"}}]}`, "tools[0].function.name", "does not match pattern"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"` + strings.Repeat("a", 65) + `"}}]}`, "tools[0].function.name", "string too long. Expected a string with maximum length 64, but got a string with length 65 instead."},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"description":"x"}}]}`, "tools[0].function.name", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"custom","function":{"name":"x"}}]}`, "tools[0].custom", "custom"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"custom","custom":{"name":"x","format":{"type":"grammar","grammar":{"syntax":"pcre","definition":"x"}}}}]}`, "tools[0].custom.format.grammar.syntax", "'pcre'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"custom","custom":{"name":"x","format":{"type":"grammar"}}}]}`, "tools[0].custom.format.grammar", "grammar"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"x","custom":{"name":"x"}}]}`, "tools[0].type", "'custom'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"function":{"name":"f"}}]}`, "tools[0].type", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":[]}}]}`, "tools[0].function.parameters", "expected an object"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tool_choice":"always"}`, "tool_choice", "'always'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tool_choice":"required"}`, "tool_choice", "'required' needs at least one tool"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[],"tool_choice":{"type":"function","function":{"name":"f"}}}`, "tool_choice.function.name", "no function named 'f'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"g"}}}`, "tool_choice.function.name", "no function named 'g' in 'tools'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"function","function":{}}}`, "tool_choice.function.name", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"allowed_tools"}}`, "tool_choice.allowed_tools", "Missing required parameter"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"allowed"}}`, "tool_choice.type", "'allowed_tools'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"none","tools":[{"type":"function","function":{"name":"f"}}]}}}`, "tool_choice.allowed_tools.mode", "Supported values are: 'auto' and 'required'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"tools":[{"type":"function","function":{"name":"f"}}]}}}`, "tool_choice.allowed_tools.mode", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto"}}}`, "tool_choice.allowed_tools.tools", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[]}}}`, "tool_choice.allowed_tools.tools", "empty array"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"g"}}]}}}`, "tool_choice.allowed_tools.tools[1]", "no tool named 'g' in 'tools'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"f"}}]}}}`, "tool_choice.allowed_tools.tools[0]", "no tool named 'f'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"custom","function":{"name":"c"}}]}}}`, "tool_choice.allowed_tools.tools[0].custom", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"mcp","server_label":"d"}]}}}`, "tool_choice.allowed_tools.tools[0].type", "'function' and 'custom'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{}}]}}}`, "tool_choice.allowed_tools.tools[0].function.name", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],` + allowedTools + `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":{}}}}`, "tool_choice.allowed_tools.tools", "expected an array"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}}`, "response_format.type", "'xml'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}}`, "response_format.json_schema", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"schema":{}}}}`, "response_format.json_schema.name", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"n"}}}`, "response_format.json_schema.schema", "Missing"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":true}}`, "stream_options", "only allowed when 'stream' is true"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"stream":"yes"}`, "stream", "expected a boolean, but got a string"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"functions":[{"name":"f"}]}`, "functions", "'tools'"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"function_call":"auto"}`, "function_call", "'tool_choice'"},
	{"{" + m + `"messages":[{"role":"user","content":"a` + "\x01" + `"}]}`, "", "in string literal"},
	{`{` + m + `"messages":[{"role":"user","content":"\x"}]}`, "", "in string escape code"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"extra":01}`, "", "after object key:value pair"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"extra":tru}`, "", "in literal true"},
	{`{` + m + `"messages":[{"role":"user","content":"x"}],"extra":` + strings.Repeat("[", maxDepth+1) + `}`, "", "exceeded max depth"},
}

func TestDecodeRequestErrors(t *testing.T) {
	for _, tt := range requestErrorCases {
		t.Run(tt.body, func(t *testing.T) {
			_, err := DecodeChatRequest([]byte(tt.body))
			var e *llm.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *llm.Error", err, err)
			}
			if e.Kind != llm.KindInvalidRequest || e.HTTPStatus() != 400 {
				t.Errorf("kind %s status %d", e.Kind, e.HTTPStatus())
			}
			if e.Param != tt.param {
				t.Errorf("param %q, want %q (message %q)", e.Param, tt.param, e.Message)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Message, tt.msg)
			}
		})
	}
}
