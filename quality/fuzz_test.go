package quality

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"switchyard/llm"
)

// FuzzCheck feeds random answers, schemas and tool arguments to Check: it
// must never panic, and its signals must agree with one another.
func FuzzCheck(f *testing.F) {
	seeds := []struct {
		text, schema, args, params string
		mode                       uint8
	}{
		{`{"a":1}`, ``, `{}`, ``, 1},
		{"```json\n{\"a\":1}\n```", personSchema, `{"city":"x"}`, `{"type":"object","required":["city"]}`, 2},
		{`I'm sorry, but I can't help with that.`, `{"type":12}`, `{"city":`, `{"$ref":"#/nope"}`, 2},
		{`抱歉，我无法帮助你。`, `{"$ref":"file:///etc/passwd"}`, ``, `{"$ref":"http://127.0.0.1:1/x"}`, 2},
		{"", `{"pattern":"(a+)+$","type":"string"}`, `[]`, `{"properties":{"a":{"format":"date-time"}}}`, 3},
		{`"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"`, `{"pattern":"^(a|a)*$"}`, `{"a":"x"}`, `{"type":"object","additionalProperties":false}`, 2},
		{`{"a":{"a":{"a":{"a":{}}}}}`, `{"$defs":{"r":{"properties":{"a":{"$ref":"#/$defs/r"}}}},"$ref":"#/$defs/r"}`, "\xff", `true`, 2},
		{"عذراً، لا أستطيع", `{"$schema":"http://json-schema.org/draft-04/schema#","type":"object"}`, " ", `{}`, 0},
		{"\x00\xff\xfe", `{"$id":"file:///tmp/","$ref":"x.json"}`, `{"city":1e999}`, `{"type":"object","properties":{"city":{"type":"number"}}}`, 2},
	}
	for _, s := range seeds {
		f.Add(s.text, s.schema, s.args, s.params, s.mode)
	}
	var c Checker
	f.Fuzz(func(t *testing.T, text, schema, args, params string, mode uint8) {
		req := &llm.Request{Tools: []llm.Tool{{Type: "function", Name: "f", Parameters: json.RawMessage(params)}}}
		switch mode % 4 {
		case 1:
			req.ResponseFormat = &llm.ResponseFormat{Type: llm.FormatJSONObject}
		case 2:
			req.ResponseFormat = &llm.ResponseFormat{Type: llm.FormatJSONSchema, Schema: json.RawMessage(schema)}
		case 3:
			req.ToolChoice = &llm.ToolChoice{Mode: llm.ToolChoiceRequired}
		}
		ans := withCalls(text, call("f", args), call(text, args))
		s := c.Check(req, ans, nil)
		if s.FormatOK && !s.FormatChecked {
			t.Fatalf("FormatOK without FormatChecked: %+v", s)
		}
		if s.InvalidToolCalls > 2 || (s.InvalidToolCalls > 0 && s.FormatOK) {
			t.Fatalf("invalid tool calls %d of 2, FormatOK %v", s.InvalidToolCalls, s.FormatOK)
		}
		if s.AnswerChars != utf8.RuneCountInString(text) {
			t.Fatalf("AnswerChars %d for %q", s.AnswerChars, text)
		}
		plain := c.Check(nil, answer(text, llm.FinishStop), nil)
		if plain.Empty != (strings.TrimSpace(text) == "" && !plain.Refusal) || plain.FormatChecked {
			t.Fatalf("plain answer %q: %+v", text, plain)
		}
		IsRefusal(text)
	})
}
