package quality

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// answer returns a response of one choice with text and finish.
func answer(text string, finish llm.FinishReason) *llm.Response {
	return &llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, text), FinishReason: finish}}}
}

// withCalls returns a response of one choice calling tools.
func withCalls(text string, calls ...llm.ToolCall) *llm.Response {
	r := answer(text, llm.FinishToolCalls)
	r.Choices[0].Message.SetToolCalls(calls)
	return r
}

func call(name, args string) llm.ToolCall {
	return llm.ToolCall{ID: "call_" + name, Type: "function", Name: name, Arguments: args}
}

func customCall(name, input string) llm.ToolCall {
	return llm.ToolCall{ID: "call_" + name, Type: llm.ToolCustom, Name: name, Arguments: input}
}

// patchTools offers a custom tool (free text; its grammar is not checked).
func patchTools() *llm.Request {
	return &llm.Request{Tools: []llm.Tool{{Type: llm.ToolCustom, Name: "apply_patch", Format: json.RawMessage(`{"type":"grammar","syntax":"lark","definition":"start: /.+/"}`)}}}
}

func jsonMode() *llm.Request {
	return &llm.Request{ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONObject}}
}

func schemaMode(schema string) *llm.Request {
	return &llm.Request{ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "s", Schema: json.RawMessage(schema)}}
}

const personSchema = `{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0},"email":{"type":"string","format":"email"}},"required":["name","age"],"additionalProperties":false}`

// weather is a request offering one tool with a schema and one without.
func weather(choice *llm.ToolChoice) *llm.Request {
	return &llm.Request{
		Tools: []llm.Tool{
			{Type: "function", Name: "get_weather", Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"},"unit":{"enum":["c","f"]}},"required":["city"]}`)},
			{Type: "function", Name: "now"},
		},
		ToolChoice: choice,
	}
}

func refusalField(text string) *llm.Response {
	r := answer("", llm.FinishStop)
	r.Choices[0].Message.Content = nil
	r.Choices[0].Message.SetRefusal(text)
	return r
}

func TestCheck(t *testing.T) {
	filtered := &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeContentFilter}
	cut := &llm.Error{Kind: llm.KindUpstream}
	twoChoices := answer("first", llm.FinishStop)
	twoChoices.Choices = append(twoChoices.Choices, llm.Choice{Index: 1, Message: llm.TextMessage(llm.RoleAssistant, ""), FinishReason: llm.FinishLength})
	spoken := answer("", llm.FinishStop)
	spoken.Choices[0].Message.Content = nil
	spoken.Choices[0].Message.SetAudio([]byte(`{"id":"audio_1","expires_at":1,"data":"","transcript":"Hello team"}`))
	partial := answer(`{"a":"xxxx`, llm.FinishStop) // a streamed answer kept up to its bound (llm.Accumulator.MaxText)
	partial.TextLeftOut = 1000
	parts := answer("", llm.FinishStop)
	parts.Choices[0].Message.Content = []llm.Part{{Type: llm.PartText, Text: "héllo "}, {Type: llm.PartText, Text: "wörld"}}
	tests := []struct {
		name string
		req  *llm.Request
		ans  *llm.Response
		fail *llm.Error
		want store.Signals
	}{
		{"nothing", nil, nil, nil, store.Signals{}},
		{"failed, no answer", nil, nil, cut, store.Signals{}},
		{"content filter error", nil, nil, filtered, store.Signals{ContentFilter: true}},
		{"no choices", nil, &llm.Response{}, nil, store.Signals{Empty: true}},
		{"no choices, content filter", nil, &llm.Response{}, filtered, store.Signals{ContentFilter: true}},
		{"plain text", &llm.Request{}, answer("Hello there", llm.FinishStop), nil, store.Signals{AnswerChars: 11}},
		{"characters, not bytes, of every part", nil, parts, nil, store.Signals{AnswerChars: 11}},
		{"first choice only", nil, twoChoices, nil, store.Signals{AnswerChars: 5}},
		{"truncated", nil, answer("Once upon a", llm.FinishLength), nil, store.Signals{Truncated: true, AnswerChars: 11}},
		{"truncated with no text is empty too", nil, answer("", llm.FinishLength), nil, store.Signals{Truncated: true, Empty: true}},
		{"content filter stop", nil, answer("", llm.FinishContentFilter), nil, store.Signals{ContentFilter: true}},
		{"empty", nil, answer("", llm.FinishStop), nil, store.Signals{Empty: true}},
		{"a spoken answer's text is its transcript", nil, spoken, nil, store.Signals{AnswerChars: 10}},
		{"whitespace only is empty", nil, answer(" \n\t", llm.FinishStop), nil, store.Signals{Empty: true, AnswerChars: 3}},
		{"empty but failed is not empty", nil, answer("", llm.FinishStop), cut, store.Signals{}},
		{"refusal field", nil, refusalField("I can't help with that."), nil, store.Signals{Refusal: true}},
		{"refusal field, whitespace only, is empty", nil, refusalField("  "), nil, store.Signals{Empty: true}},
		{"refusal text", nil, answer("I'm sorry, but I can't help with that.", llm.FinishStop), nil, store.Signals{Refusal: true, AnswerChars: 38}},
		{"not a refusal", nil, answer("Sorry for the delay, here is it.", llm.FinishStop), nil, store.Signals{AnswerChars: 32}},

		{"json object", jsonMode(), answer(`{"a":1}`, llm.FinishStop), nil, store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 7}},
		{"json object in a fence", jsonMode(), answer("```json\n{\"a\":1}\n```", llm.FinishStop), nil, store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 19}},
		{"json array is not an object", jsonMode(), answer(`[1]`, llm.FinishStop), nil, store.Signals{FormatChecked: true, AnswerChars: 3}},
		{"prose is not json", jsonMode(), answer(`Sure! {"a":1}`, llm.FinishStop), nil, store.Signals{FormatChecked: true, AnswerChars: 13}},
		{"truncated json", jsonMode(), answer(`{"a":`, llm.FinishLength), nil, store.Signals{FormatChecked: true, Truncated: true, AnswerChars: 5}},
		{"json, refused in the refusal field", jsonMode(), refusalField("I can't help with that."), nil, store.Signals{Refusal: true}},
		{"json, refused in text", jsonMode(), answer("I can't help with that.", llm.FinishStop), nil, store.Signals{Refusal: true, AnswerChars: 23}},
		{"json, content filtered", jsonMode(), answer(`{"a":`, llm.FinishContentFilter), nil, store.Signals{ContentFilter: true, AnswerChars: 5}},
		{"json, failed: not checked", jsonMode(), answer(`{"a":`, ""), cut, store.Signals{AnswerChars: 5}},
		{"json, kept in part: not checked, its length whole", jsonMode(), partial, nil, store.Signals{AnswerChars: 1010}},
		{"json, request unknown: not checked", nil, answer(`nope`, llm.FinishStop), nil, store.Signals{AnswerChars: 4}},
		{"json mode, empty answer", jsonMode(), answer("", llm.FinishStop), nil, store.Signals{FormatChecked: true, Empty: true}},

		{"schema, valid", schemaMode(personSchema), answer(`{"name":"Ada","age":36,"email":"ada@example.com"}`, llm.FinishStop), nil,
			store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 49}},
		{"schema, missing required", schemaMode(personSchema), answer(`{"name":"Ada"}`, llm.FinishStop), nil, store.Signals{FormatChecked: true, AnswerChars: 14}},
		{"schema, wrong type", schemaMode(personSchema), answer(`{"name":"Ada","age":"36"}`, llm.FinishStop), nil, store.Signals{FormatChecked: true, AnswerChars: 25}},
		{"schema, extra property", schemaMode(personSchema), answer(`{"name":"Ada","age":36,"x":1}`, llm.FinishStop), nil, store.Signals{FormatChecked: true, AnswerChars: 29}},
		{"schema, format asserted", schemaMode(personSchema), answer(`{"name":"Ada","age":36,"email":"nope"}`, llm.FinishStop), nil, store.Signals{FormatChecked: true, AnswerChars: 38}},
		{"schema, not json", schemaMode(personSchema), answer(`name: Ada`, llm.FinishStop), nil, store.Signals{FormatChecked: true, AnswerChars: 9}},
		{"schema, fenced", schemaMode(personSchema), answer("```\n{\"name\":\"Ada\",\"age\":1}\n```", llm.FinishStop), nil,
			store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 30}},
		{"schema of an array", schemaMode(`{"type":"array","items":{"type":"integer"}}`), answer(`[1,2]`, llm.FinishStop), nil,
			store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 5}},
		{"schema that does not compile: json of any kind", schemaMode(`{"type":12}`), answer(`[1]`, llm.FinishStop), nil,
			store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 3}},
		{"schema that does not compile: still json", schemaMode(`{"type":12}`), answer(`nope`, llm.FinishStop), nil,
			store.Signals{FormatChecked: true, AnswerChars: 4}},
		{"no schema: json", schemaMode(``), answer(`"x"`, llm.FinishStop), nil, store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 3}},
		{"schema referring to a file is not loaded", schemaMode(`{"$ref":"file:///etc/passwd"}`), answer(`{}`, llm.FinishStop), nil,
			store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 2}},
		{"schema referring to a URL is not loaded", schemaMode(`{"$ref":"http://127.0.0.1:1/s.json"}`), answer(`{}`, llm.FinishStop), nil,
			store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 2}},
		{"schema with a local reference", schemaMode(`{"$defs":{"n":{"type":"integer"}},"type":"object","properties":{"n":{"$ref":"#/$defs/n"}}}`),
			answer(`{"n":"x"}`, llm.FinishStop), nil, store.Signals{FormatChecked: true, AnswerChars: 9}},

		{"tool call valid", weather(nil), withCalls("", call("get_weather", `{"city":"Paris","unit":"c"}`)), nil, store.Signals{FormatChecked: true, FormatOK: true}},
		{"tool without parameters, empty arguments", weather(nil), withCalls("", call("now", "")), nil, store.Signals{FormatChecked: true, FormatOK: true}},
		{"tool call of an unknown tool", weather(nil), withCalls("", call("get_time", `{}`)), nil, store.Signals{FormatChecked: true, InvalidToolCalls: 1}},
		{"tool call arguments not json", weather(nil), withCalls("", call("get_weather", `{"city":`)), nil, store.Signals{FormatChecked: true, InvalidToolCalls: 1}},
		{"tool call arguments not an object", weather(nil), withCalls("", call("now", `[]`)), nil, store.Signals{FormatChecked: true, InvalidToolCalls: 1}},
		{"tool call arguments against the schema", weather(nil), withCalls("", call("get_weather", `{"city":"Paris","unit":"k"}`)), nil,
			store.Signals{FormatChecked: true, InvalidToolCalls: 1}},
		{"tool call empty arguments missing a required one", weather(nil), withCalls("", call("get_weather", ` `)), nil,
			store.Signals{FormatChecked: true, InvalidToolCalls: 1}},
		{"two bad calls of three", weather(nil), withCalls("", call("get_weather", `{}`), call("now", `{}`), call("x", `{}`)), nil,
			store.Signals{FormatChecked: true, InvalidToolCalls: 2}},
		{"tools offered, text answer", weather(nil), answer("It is sunny.", llm.FinishStop), nil, store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 12}},
		{"tool required, text answer", weather(&llm.ToolChoice{Mode: llm.ToolChoiceRequired}), answer("It is sunny.", llm.FinishStop), nil,
			store.Signals{FormatChecked: true, AnswerChars: 12}},
		{"tool forced, another called", weather(&llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "get_weather"}), withCalls("", call("now", `{}`)), nil,
			store.Signals{FormatChecked: true}},
		{"tool forced, called", weather(&llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "now"}), withCalls("", call("now", `{}`)), nil,
			store.Signals{FormatChecked: true, FormatOK: true}},
		{"allowed tools, another called", weather(&llm.ToolChoice{Mode: llm.ToolChoiceAuto, Allowed: []string{"get_weather"}}), withCalls("", call("now", `{}`)), nil,
			store.Signals{FormatChecked: true}},
		{"allowed tools, one called", weather(&llm.ToolChoice{Mode: llm.ToolChoiceRequired, Allowed: []string{"now"}}), withCalls("", call("now", `{}`)), nil,
			store.Signals{FormatChecked: true, FormatOK: true}},
		{"allowed tools required, text answer", weather(&llm.ToolChoice{Mode: llm.ToolChoiceRequired, Allowed: []string{"now"}}), answer("It is sunny.", llm.FinishStop), nil,
			store.Signals{FormatChecked: true, AnswerChars: 12}},
		{"tools forbidden, called", weather(&llm.ToolChoice{Mode: llm.ToolChoiceNone}), withCalls("", call("now", `{}`)), nil, store.Signals{FormatChecked: true}},
		{"custom tool call of free text", patchTools(), withCalls("", customCall("apply_patch", "*** Begin Patch")), nil, store.Signals{FormatChecked: true, FormatOK: true}},
		{"custom tool called as a function", patchTools(), withCalls("", call("apply_patch", `{}`)), nil, store.Signals{FormatChecked: true, InvalidToolCalls: 1}},
		{"function called as a custom tool", weather(nil), withCalls("", customCall("now", "x")), nil, store.Signals{FormatChecked: true, InvalidToolCalls: 1}},
		{"no tools offered, called anyway", &llm.Request{}, withCalls("", call("now", `{}`)), nil, store.Signals{FormatChecked: true, InvalidToolCalls: 1}},
		{"json mode and a tool call without text", &llm.Request{ResponseFormat: jsonMode().ResponseFormat, Tools: weather(nil).Tools},
			withCalls("", call("now", `{}`)), nil, store.Signals{FormatChecked: true, FormatOK: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Check(tt.req, tt.ans, tt.fail); got != tt.want {
				t.Errorf("Check = %+v\nwant    %+v", got, tt.want)
			}
		})
	}
}

// A route sending the same schema compiles it once; the cache stays
// bounded however many schemas come.
func TestSchemaCache(t *testing.T) {
	var c Checker
	req := schemaMode(personSchema)
	for range 3 {
		c.Check(req, answer(`{"name":"Ada","age":1}`, llm.FinishStop), nil)
	}
	if n := c.schemas.len(); n != 1 {
		t.Fatalf("%d schemas cached after one schema, want 1", n)
	}
	first := c.schemas.get(req.ResponseFormat.Schema)
	if again := c.schemas.get(req.ResponseFormat.Schema); again != first || first == nil {
		t.Fatal("the cached schema was compiled again")
	}
	for i := range schemaCacheSize + 50 {
		c.Check(schemaMode(fmt.Sprintf(`{"type":"object","maxProperties":%d}`, i)), answer(`{}`, llm.FinishStop), nil)
	}
	if n := c.schemas.len(); n != schemaCacheSize {
		t.Fatalf("%d schemas cached, want the bound %d", n, schemaCacheSize)
	}
	if c.schemas.get(req.ResponseFormat.Schema) == first {
		t.Fatal("the least recently used schema was not evicted")
	}
	bad := json.RawMessage(`{"type":12}`)
	for range 2 { // compiled, then from the cache
		if c.schemas.get(bad) != nil {
			t.Fatal("a schema that does not compile gave a validator")
		}
	}
}

// Check is safe for concurrent use (run with -race).
func TestCheckConcurrent(t *testing.T) {
	var c Checker
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				req := schemaMode(fmt.Sprintf(`{"type":"object","required":["k%d"]}`, (g+i)%5))
				s := c.Check(req, answer(fmt.Sprintf(`{"k%d":1}`, (g+i)%5), llm.FinishStop), nil)
				if !s.FormatOK {
					t.Errorf("goroutine %d, %d: %+v", g, i, s)
					return
				}
			}
		}()
	}
	wg.Wait()
}
