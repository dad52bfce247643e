package anthropic

import (
	"encoding/json"
	"testing"
)

func TestNativeStructuredOutputModels(t *testing.T) {
	for model, want := range map[string]bool{
		"claude-haiku-4-5": true, "claude-haiku-4-5-20251001": true, "claude-sonnet-4-5": true,
		"claude-opus-4-5": true, "claude-sonnet-4-6": true, "claude-opus-4-6": true, "claude-opus-4-7": true,
		"claude-mythos-preview": true, "claude-opus-5": true,
		"claude-opus-4-1": false, "claude-sonnet-4-20250514": false, "claude-3-7-sonnet-20250219": false,
		"claude-3-5-haiku-20241022": false, "gpt-4o": false, "my-alias": false,
	} {
		if got := NativeStructuredOutput(model); got != want {
			t.Errorf("NativeStructuredOutput(%q) = %v, want %v", model, got, want)
		}
	}
}

// TestSchemaProblem: the schemas the API refuses, with its words; the
// guide's own example is taken.
func TestSchemaProblem(t *testing.T) {
	for _, tc := range []struct{ schema, want string }{
		{`{"type":"object","properties":{"name":{"type":"string"},"email":{"type":"string"}},"required":["name"],"additionalProperties":false}`, ""},
		{`{"type":"object","properties":{"a":{"type":"string"}}}`, "For 'object' type, 'additionalProperties' must be explicitly set to false"},
		{`{"type":"object","additionalProperties":true}`, "For 'object' type, 'additionalProperties: true' is not supported. Please set 'additionalProperties' to false"},
		{`{"type":"object","properties":{"n":{"type":"object","properties":{}}},"additionalProperties":false}`, "For 'object' type, 'additionalProperties' must be explicitly set to false"},
		{`{"type":"object","properties":{"age":{"type":"integer","minimum":0}},"additionalProperties":false}`, "For 'integer' type, property 'minimum' is not supported"},
		{`{"type":"number","minimum":0,"maximum":1}`, "For 'number' type, properties maximum, minimum are not supported"},
		{`{"type":"string","maxLength":3}`, "For 'string' type, property 'maxLength' is not supported"},
		{`{"type":"array","items":{"type":"string"},"minItems":2}`, "For 'array' type, 'minItems' values other than 0 or 1 are not supported"},
		{`{"type":"array","items":{"type":"string"},"minItems":1}`, ""},
		{`{"type":"array","items":{"type":"string"},"maxItems":5}`, "For 'array' type, property 'maxItems' is not supported"},
		{`{"enum":[{"a":1},"x"]}`, "Complex types within 'enum' are not supported: use strings, numbers, booleans or null"},
		{`{"$ref":"http://example.com/s.json"}`, "External '$ref' is not supported: 'http://example.com/s.json'"},
		{`{"type":"object","properties":{"root":{"$ref":"#/$defs/Node"}},"additionalProperties":false,"$defs":{"Node":{"type":"object","properties":{"child":{"$ref":"#/$defs/Node"}},"additionalProperties":false}}}`, "Recursive schemas are not supported"},
		{`{"type":"object","properties":{"a":{"$ref":"#/$defs/A"}},"additionalProperties":false,"$defs":{"A":{"type":"string"}}}`, ""},
		{`{"type":"object","properties":{"enum":{"type":"string","enum":["minimum"]}},"additionalProperties":false}`, ""},
	} {
		if got := SchemaProblem(json.RawMessage(tc.schema)); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.schema, got, tc.want)
		}
	}
}

// TestNativeSchema: what can be sent natively is, with
// additionalProperties false added where missing and property order kept;
// what cannot is reported.
func TestNativeSchema(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"type":"object","properties":{"z":{"type":"string"},"a":{"type":"object","properties":{"x":{"type":"integer"}}}},"required":["z","a"]}`,
			`{"type":"object","properties":{"z":{"type":"string"},"a":{"type":"object","properties":{"x":{"type":"integer"}},"additionalProperties":false}},"required":["z","a"],"additionalProperties":false}`},
		{`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"d":{"type":"string","format":"date","pattern":"^[0-9]+$"}},"additionalProperties":false}`,
			`{"type":"object","properties":{"d":{"type":"string","format":"date","pattern":"^[0-9]+$"}},"additionalProperties":false}`},
		{`{"type":"object","properties":{"a":{"type":["string","null"]},"b":{"anyOf":[{"type":"object","properties":{}},{"type":"null"}]}}}`,
			`{"type":"object","properties":{"a":{"type":["string","null"]},"b":{"anyOf":[{"type":"object","properties":{},"additionalProperties":false},{"type":"null"}]}},"additionalProperties":false}`},
		{`{"type":"object","properties":{"n":{"type":"integer","minimum":1}}}`, ""},
		{`{"type":"object","properties":{"n":{"oneOf":[{"type":"string"},{"type":"integer"}]}}}`, ""},
		{`{"type":"object","additionalProperties":{"type":"string"}}`, ""},
		{`{"type":"object","additionalProperties":true}`, ""},
		{`{"type":"string","format":"ipv4x"}`, ""},
		{`{"type":"string","pattern":"(a)\\1"}`, ""},
		{`{"type":"string","pattern":"\\bword"}`, ""},
		{`{"type":"string","pattern":"a(?=b)"}`, ""},
		{`{"allOf":[{"$ref":"#/$defs/A"}],"$defs":{"A":{"type":"string"}}}`, ""},
		{`[]`, ""},
		{`{}`, ""},
	} {
		got, ok := NativeSchema(json.RawMessage(tc.in))
		if tc.want == "" {
			if ok {
				t.Errorf("%s: sent natively as %s", tc.in, got)
			}
			continue
		}
		if !ok || string(got) != tc.want {
			t.Errorf("%s:\n got %s (%v)\nwant %s", tc.in, got, ok, tc.want)
		}
	}
}

// FuzzNativeSchema: whatever NativeSchema sends natively is valid JSON
// the API takes (SchemaProblem finds nothing), and sending it again
// changes nothing.
func FuzzNativeSchema(f *testing.F) {
	for _, s := range []string{
		`{"type":"object","properties":{"z":{"type":"string"},"a":{"type":"object","properties":{"x":{"type":"integer"}}}},"required":["z","a"]}`,
		`{"$schema":"x","type":"object","properties":{"d":{"type":"string","format":"date"}},"additionalProperties":false}`,
		`{"type":"object","properties":{"b":{"anyOf":[{"type":"object","properties":{}},{"type":"null"}]}},"$defs":{"A":{"type":"object"}}}`,
		`{"type":"array","items":[{"type":"string"}],"minItems":1}`,
		`{"type":"object","properties":{"root":{"$ref":"#/$defs/N"}},"$defs":{"N":{"type":"object","properties":{"c":{"$ref":"#/$defs/N"}}}}}`,
		`{"enum":["a",{"b":1}]}`, `{"type":["object","null"],"properties":{"k":true}}`, `{"properties":{"a":{"type":"string"}}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := NativeSchema(json.RawMessage(s))
		if !ok {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("%s: sent invalid JSON %s", s, out)
		}
		if p := SchemaProblem(out); p != "" {
			t.Fatalf("%s: sent %s, which the API refuses: %s", s, out, p)
		}
		if again, ok := NativeSchema(out); !ok || string(again) != string(out) {
			t.Fatalf("%s: %s sent again is %s (%v)", s, out, again, ok)
		}
	})
}
