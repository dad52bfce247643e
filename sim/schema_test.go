package sim

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// validate compiles schema and checks doc against it, formats asserted.
func validate(t *testing.T, schema string, doc []byte) {
	t.Helper()
	s, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		t.Fatalf("bad test schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("mem://schema.json", s); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("mem://schema.json")
	if err != nil {
		t.Fatalf("bad test schema: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("ExampleJSON gave invalid JSON %s: %v", doc, err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("ExampleJSON gave %s, which does not validate:\n%v", doc, err)
	}
}

func TestExampleJSON(t *testing.T) {
	tests := []struct {
		name, schema string
		want         string // exact output; "" checks validity only
	}{
		{"object", `{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city"]}`,
			`{"city":"example","population":7}`},
		{"object without type", `{"properties":{"q":{"description":"a query"}}}`, `{"q":"example"}`},
		{"every scalar type", `{"type":"object","properties":{"s":{"type":"string"},"i":{"type":"integer"},"n":{"type":"number"},"b":{"type":"boolean"},"z":{"type":"null"}}}`,
			`{"b":true,"i":7,"n":4.5,"s":"example","z":null}`},
		{"enum", `{"type":"string","enum":["celsius","fahrenheit"]}`, `"celsius"`},
		{"numeric enum kept exactly", `{"enum":[12345678901234567890, 1]}`, `12345678901234567890`},
		{"const", `{"const":{"a":[1,"x"]}}`, `{"a":[1,"x"]}`},
		{"const null", `{"type":["null","string"],"const":null}`, `null`},
		{"$defs ref", `{"$defs":{"unit":{"enum":["c","f"]}},"type":"object","properties":{"u":{"$ref":"#/$defs/unit"}},"required":["u"]}`,
			`{"u":"c"}`},
		{"definitions ref, draft-07", `{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"n":{"type":"integer","minimum":3}},"type":"object","properties":{"n":{"$ref":"#/definitions/n"}}}`,
			`{"n":7}`},
		{"ref chain", `{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"type":"boolean"}},"$ref":"#/$defs/a"}`, `true`},
		{"escaped pointer", `{"$defs":{"a/b":{"const":"slash"},"c~d":{"const":"tilde"}},"type":"object","properties":{"x":{"$ref":"#/$defs/a~1b"},"y":{"$ref":"#/$defs/c~0d"}}}`,
			`{"x":"slash","y":"tilde"}`},
		{"pointer into properties", `{"type":"object","properties":{"a":{"type":"integer","maximum":2},"b":{"$ref":"#/properties/a"}}}`, `{"a":2,"b":2}`},
		{"anyOf first", `{"anyOf":[{"type":"integer","minimum":10},{"type":"null"}]}`, `10`},
		{"anyOf with null first", `{"anyOf":[{"type":"null"},{"type":"string"}]}`, `null`},
		{"anyOf beside properties", `{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"anyOf":[{"required":["a"]},{"required":["b"]}]}`,
			`{"a":"example","b":7}`},
		{"oneOf of refs", `{"$defs":{"cat":{"type":"object","properties":{"kind":{"const":"cat"},"lives":{"type":"integer","maximum":9}},"required":["kind"]},"dog":{"type":"object","properties":{"kind":{"const":"dog"}}}},"oneOf":[{"$ref":"#/$defs/cat"},{"$ref":"#/$defs/dog"}]}`,
			`{"kind":"cat","lives":7}`},
		{"allOf merged", `{"$defs":{"base":{"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]}},"allOf":[{"$ref":"#/$defs/base"},{"properties":{"extra":{"type":"boolean"}},"required":["extra"]}]}`,
			`{"extra":true,"id":7}`},
		{"nested allOf", `{"allOf":[{"allOf":[{"type":"integer"},{"minimum":100}]},{"maximum":200}]}`, `150`},
		{"type list", `{"type":["null","string"]}`, `"example"`},
		{"type null only", `{"type":["null"]}`, `null`},
		{"nested arrays and objects", `{"type":"array","minItems":2,"items":{"type":"array","items":{"type":"object","properties":{"x":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}}}}}}`,
			`[[{"tags":["example"],"x":4.5}],[{"tags":["example"],"x":4.5}]]`},
		{"array bounds", `{"type":"array","items":{"type":"integer"},"minItems":3,"maxItems":3}`, `[7,7,7]`},
		{"array maxItems 0", `{"type":"array","items":{"type":"integer"},"maxItems":0}`, `[]`},
		{"array without items", `{"type":"array"}`, `[]`},
		{"tuple", `{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":false}`, `["example",7]`},
		{"draft-07 tuple", `{"$schema":"http://json-schema.org/draft-07/schema#","type":"array","items":[{"type":"boolean"},{"type":"null"}],"additionalItems":false}`, `[true,null]`},
		{"items false", `{"type":"array","items":false}`, `[]`},
		{"integer minimum", `{"type":"integer","minimum":10}`, `10`},
		{"integer maximum", `{"type":"integer","maximum":3}`, `3`},
		{"integer exclusive maximum", `{"type":"integer","exclusiveMaximum":5}`, `4`},
		{"integer exclusive minimum", `{"type":"integer","exclusiveMinimum":7}`, `8`},
		{"integer fractional minimum", `{"type":"integer","minimum":2.5,"maximum":2.9999}`, ``}, // no integer fits; just no panic
		{"integer fractional bounds", `{"type":"integer","minimum":7.5}`, `8`},
		{"integer range", `{"type":"integer","minimum":100,"maximum":200}`, `150`},
		{"integer negative range", `{"type":"integer","minimum":-20,"maximum":-10}`, `-15`},
		{"integer multipleOf", `{"type":"integer","minimum":11,"multipleOf":5}`, `15`},
		{"integer multipleOf fraction", `{"type":"integer","multipleOf":1.5}`, `9`},
		{"draft-04 boolean exclusive", `{"$schema":"http://json-schema.org/draft-04/schema#","type":"integer","maximum":7,"exclusiveMaximum":true}`, `6`},
		{"number exclusive minimum", `{"type":"number","exclusiveMinimum":4.5}`, `5.5`},
		{"number maximum", `{"type":"number","maximum":1}`, `1`},
		{"number tight range", `{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1}`, `0.5`},
		{"number multipleOf decimal", `{"type":"number","minimum":0.25,"maximum":0.35,"multipleOf":0.1}`, `0.3`},
		{"number multipleOf in range", `{"type":"number","multipleOf":0.01}`, `4.5`},
		{"string minLength", `{"type":"string","minLength":10}`, `"examplexxx"`},
		{"string maxLength", `{"type":"string","maxLength":3}`, `"exa"`},
		{"format date-time", `{"type":"string","format":"date-time"}`, `"2025-01-01T00:00:00Z"`},
		{"format date", `{"type":"string","format":"date"}`, ``},
		{"format email", `{"type":"string","format":"email"}`, ``},
		{"format uri", `{"type":"string","format":"uri"}`, ``},
		{"format uuid", `{"type":"string","format":"uuid"}`, ``},
		{"format ipv4", `{"type":"string","format":"ipv4"}`, ``},
		{"unknown format", `{"type":"string","format":"x-custom"}`, `"example"`},
		{"required without properties", `{"type":"object","required":["a"]}`, `{"a":"example"}`},
		{"required from additionalProperties", `{"type":"object","required":["n"],"additionalProperties":{"type":"integer"}}`, `{"n":7}`},
		{"additionalProperties false", `{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}`, `{"a":"example"}`},
		{"boolean property schemas", `{"type":"object","properties":{"any":true,"never":false}}`, `{"any":"example"}`},
		{"recursive tree", `{"$defs":{"node":{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["name"]}},"$ref":"#/$defs/node"}`, ``},
		{"root self reference", `{"type":"object","properties":{"value":{"type":"integer"},"next":{"$ref":"#"}}}`, ``},
		{"openai strict structured output", `{"type":"object","properties":{"steps":{"type":"array","items":{"type":"object","properties":{"explanation":{"type":"string"},"output":{"type":"string"}},"required":["explanation","output"],"additionalProperties":false}},"final_answer":{"type":"string"}},"required":["steps","final_answer"],"additionalProperties":false}`,
			`{"final_answer":"example","steps":[{"explanation":"example","output":"example"}]}`},
		{"tool parameters", `{"type":"object","properties":{"location":{"type":"string","description":"City"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}`,
			`{"location":"example","unit":"celsius"}`},
		{"empty schema", `{}`, `{}`},
		{"object schema", `{"type":"object"}`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExampleJSON(json.RawMessage(tt.schema))
			if tt.want != "" && string(got) != tt.want {
				t.Errorf("ExampleJSON = %s, want %s", got, tt.want)
			}
			if tt.name == "integer fractional minimum" {
				return // unsatisfiable
			}
			validate(t, tt.schema, got)
		})
	}
}

func TestExampleJSONUnreadable(t *testing.T) {
	for _, s := range []string{"", "not json", "[1,2]", "true", `"string"`, `{"type":`} {
		if got := string(ExampleJSON(json.RawMessage(s))); got != "{}" {
			t.Errorf("ExampleJSON(%q) = %s, want {}", s, got)
		}
	}
}

func TestExampleJSONEnds(t *testing.T) {
	// Schemas that cannot be satisfied by a finite value, or would need
	// an exponential one, must still return promptly with valid JSON.
	for _, s := range []string{
		`{"$ref":"#"}`,
		`{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}`,
		`{"type":"object","properties":{"a":{"$ref":"#"},"b":{"$ref":"#"}},"required":["a","b"]}`,
		`{"$defs":{"a":{"allOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}`,
		`{"anyOf":[{"$ref":"#"}]}`,
		`{"type":"array","minItems":1e12,"items":{"type":"string","minLength":1e12}}`,
		`{"type":"string","maxLength":-1}`,
		`{"type":"integer","multipleOf":0}`,
		`{"type":"number","multipleOf":1e-300,"minimum":1e300}`,
		`{"$ref":"#/nope/0/x"}`,
		`{"$defs":[{"type":"integer"}],"$ref":"#/$defs/0"}`,
	} {
		got := ExampleJSON(json.RawMessage(s))
		if !json.Valid(got) {
			t.Errorf("ExampleJSON(%s) = %s, not JSON", s, got)
		}
		if len(got) > 1<<20 {
			t.Errorf("ExampleJSON(%s) is %d bytes", s, len(got))
		}
	}
}

// FuzzExampleJSON checks that no schema makes ExampleJSON panic, hang or
// return anything but JSON.
func FuzzExampleJSON(f *testing.F) {
	for _, s := range []string{
		`{"type":"object","properties":{"a":{"type":"integer","minimum":1}}}`,
		`{"$defs":{"n":{"type":"array","items":{"$ref":"#/$defs/n"}}},"$ref":"#/$defs/n"}`,
		`{"allOf":[{"$ref":"#"}]}`,
		`{"anyOf":[{"type":"number","exclusiveMaximum":-1e308}]}`,
		`{"type":"string","minLength":5,"maxLength":2}`,
		`{"type":"integer","multipleOf":0.3,"maximum":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, schema []byte) {
		got := ExampleJSON(schema)
		if !json.Valid(got) {
			t.Fatalf("ExampleJSON(%s) = %s, not JSON", schema, got)
		}
	})
}
