package drift

import (
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

const goodSet = `name: mine
sources:
  - {id: w, name: written}
prompts:
  - id: sum
    category: reasoning
    source: w
    prompt: What is 2+2?
    expect: {number: 4}
    reference: "4"
  - id: json
    category: extraction
    system: You extract.
    prompt: "Extract: order 7"
    max_tokens: 64
    expect:
      json_schema: {type: object, required: [order], properties: {order: {const: 7}}}
    tags: [a, b]
  - id: chat
    category: chat
    messages:
      - {role: user, content: hi}
      - {role: assistant, content: hello}
      - {role: user, content: bye}
    expect: {contains: [bye, see you], case_sensitive: true}
`

func TestParseSet(t *testing.T) {
	s, err := ParseSet([]byte(goodSet), "mine.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "mine" || len(s.Prompts) != 3 || len(s.Sources) != 1 {
		t.Fatalf("set %+v", s)
	}
	p := s.Prompts[1]
	if p.Line != 11 || p.Format != llm.FormatJSONSchema || p.MaxTokens != 64 || len(p.Messages) != 2 ||
		p.Messages[0].Role != llm.RoleSystem || strings.Join(p.Tags, ",") != "a,b" {
		t.Errorf("prompt %+v", p)
	}
	req := p.Request()
	if *req.MaxTokens != 64 || req.ResponseFormat.Type != llm.FormatJSONSchema || string(req.ResponseFormat.Schema) != `{"properties":{"order":{"const":7}},"required":["order"],"type":"object"}` {
		t.Errorf("request %+v, schema %s", req, req.ResponseFormat.Schema)
	}
	if !p.Expect.Passes(Answer{Text: "```json\n{\"order\": 7}\n```"}) || p.Expect.Passes(Answer{Text: `{"order": 8}`}) {
		t.Error("json_schema expectation")
	}
	c := s.Prompts[2]
	if c.Expect.Kind != KindContains || !c.Expect.CaseSensitive || len(c.Messages) != 3 || c.LastUserMessage() != "bye" {
		t.Errorf("chat prompt %+v", c)
	}
	if r := s.Prompts[0].Request(); *r.MaxTokens != DefaultMaxTokens || r.ResponseFormat != nil {
		t.Errorf("default request %+v", r)
	}
}

// Every mistake is reported with its line, column and field.
func TestParseSetErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // each error's "line:col: path: problem" fragment
	}{
		{"unknown top field", "name: x\ncolour: red\nprompts: []\n", []string{`2:1: colour: unknown field "colour"`}},
		{"no prompts", "name: x\nprompts: []\n", []string{"prompts: at least one prompt is required"}},
		{"bad name", "name: 'a b'\nprompts:\n  - {id: p, category: chat, prompt: hi, expect: {not_refuses: true}}\n", []string{`1:7: name: "a b" is not a set name`}},
		{"unknown prompt field", "name: x\nprompts:\n  - id: p\n    category: chat\n    prompt: hi\n    expectt: {not_refuses: true}\n",
			[]string{`6:5: prompts[0].expectt: unknown field "expectt"`}},
		{"unknown category", "name: x\nprompts:\n  - id: p\n    category: poetry\n    prompt: hi\n    expect: {not_refuses: true}\n",
			[]string{`4:15: prompts[0].category: unknown category "poetry"`}},
		{"bad regex", "name: x\nprompts:\n  - id: p\n    category: code\n    prompt: hi\n    expect: {regex: 'a(b'}\n",
			[]string{"6:14: prompts[0].expect.regex: regex: error parsing regexp"}},
		{"two kinds", "name: x\nprompts:\n  - id: p\n    category: code\n    prompt: hi\n    expect: {regex: a, exact: b}\n",
			[]string{"6:24: prompts[0].expect.exact: an expectation has one kind; regex is already set"}},
		{"no kind", "name: x\nprompts:\n  - id: p\n    category: code\n    prompt: hi\n    expect: {tolerance: 1}\n",
			[]string{"6:5: prompts[0].expect: needs one of exact"}},
		{"tolerance elsewhere", "name: x\nprompts:\n  - id: p\n    category: code\n    prompt: hi\n    expect: {exact: a, tolerance: 1}\n",
			[]string{"prompts[0].expect.tolerance: applies to number only"}},
		{"duplicate id", "name: x\nprompts:\n  - {id: p, category: chat, prompt: hi, expect: {not_refuses: true}}\n  - {id: p, category: chat, prompt: yo, expect: {not_refuses: true}}\n",
			[]string{`4:6: prompts[1].id: duplicate prompt id "p", first at line 3`}},
		{"prompt and messages", "name: x\nprompts:\n  - id: p\n    category: chat\n    prompt: hi\n    messages: [{role: user, content: hi}]\n    expect: {not_refuses: true}\n",
			[]string{"3:5: prompts[0]: give exactly one of prompt (one user message) or messages"}},
		{"ends with assistant", "name: x\nprompts:\n  - id: p\n    category: chat\n    messages: [{role: user, content: hi}, {role: assistant, content: yo}]\n    expect: {not_refuses: true}\n",
			[]string{"prompts[0]: the conversation must end with a user message"}},
		{"reference fails", "name: x\nprompts:\n  - id: p\n    category: reasoning\n    prompt: 2+2?\n    expect: {number: 4}\n    reference: five\n",
			[]string{"3:5: prompts[0].reference: the reference answer does not pass the prompt's number expectation"}},
		{"schema does not compile", "name: x\nprompts:\n  - id: p\n    category: extraction\n    prompt: x\n    expect: {json_schema: {type: 12}}\n",
			[]string{"prompts[0].expect.json_schema: json_schema:"}},
		{"unknown source", "name: x\nprompts:\n  - {id: p, category: chat, source: nope, prompt: hi, expect: {not_refuses: true}}\n",
			[]string{`3:37: prompts[0].source: unknown source "nope"`}},
		{"refuses false", "name: x\nprompts:\n  - {id: p, category: chat, prompt: hi, expect: {refuses: false}}\n",
			[]string{"prompts[0].expect.refuses: must be true"}},
		{"json_schema format without schema", "name: x\nprompts:\n  - {id: p, category: chat, prompt: hi, format: json_schema, expect: {not_refuses: true}}\n",
			[]string{"prompts[0].format: json_schema needs a json_schema expectation"}},
		{"wrong type", "name: x\nprompts:\n  - {id: p, category: chat, prompt: [hi], expect: {not_refuses: true}}\n",
			[]string{"3:37: prompts[0].prompt: must be a string, got a list"}},
		{"alias", "name: x\nx: &a {id: p}\nprompts:\n  - *a\n", []string{`unknown field "x"`}},
		{"syntax", "name: x\nprompts: [\n", []string{"invalid YAML"}},
		{"two documents", "name: x\n---\nname: y\n", []string{"more than one YAML document"}},
		{"empty", "", []string{"the file is empty"}},
		{"not a mapping", "- a\n- b\n", []string{"must be a mapping (key: value), got a list"}},
		{"max_tokens", "name: x\nprompts:\n  - {id: p, category: chat, prompt: hi, max_tokens: 0.5, expect: {not_refuses: true}}\n",
			[]string{"prompts[0].max_tokens: must be a whole number from 1 to 100000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSet([]byte(tt.yaml), "f.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.File != "f.yaml" {
				t.Errorf("error %v is not a *DecodeError of f.yaml", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

func TestParseSetCollectsSeveralErrors(t *testing.T) {
	_, err := ParseSet([]byte("name: x\nprompts:\n  - {id: p, category: poetry, prompt: hi, expect: {not_refuses: true}}\n  - {id: q, category: chat, prompt: hi, expect: {regex: '('}}\n"), "")
	var es DecodeErrors
	if !errors.As(err, &es) || len(es) != 2 || es[0].Line != 3 || es[1].Line != 4 {
		t.Fatalf("errors = %v", err)
	}
}

func TestParseSetSize(t *testing.T) {
	if _, err := ParseSet(make([]byte, MaxSetBytes+1), ""); err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("oversized file: %v", err)
	}
}
