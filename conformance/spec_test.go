package conformance

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// specDir is the providers' published API descriptions, in the shared
// datasets folder beside the repository (seen from this package).
const specDir = "../../shared/datasets/api_specs"

// specFile names the document of each provider's spec under specDir.
var specFile = map[string]string{
	"openai":    "openai/openapi.json",
	"anthropic": "anthropic/openapi.tryAGI-copy.json",
	"gemini":    "gemini/openapi.tryAGI-copy.json",
	// Azure OpenAI's answers are OpenAI's, with the differences Azure
	// documents (patchAzure, and the "azure …" entries of allowExtra).
	"azure": "openai/openapi.json",
}

// spec is one provider's OpenAPI document, decoded, with a compiler that
// has it as a resource (its components compile on demand).
type spec struct {
	name string
	doc  map[string]any
	mu   sync.Mutex
	c    *jsonschema.Compiler
	done map[string]*jsonschema.Schema
}

var (
	specsMu sync.Mutex
	specs   = map[string]*spec{}
)

// loadSpec returns the named provider's spec, read once per test binary.
// It fails the test (never skips) when the shared datasets are absent:
// without them nothing here is checked.
func loadSpec(t *testing.T, name string) *spec {
	t.Helper()
	specsMu.Lock()
	defer specsMu.Unlock()
	if s := specs[name]; s != nil {
		return s
	}
	path := filepath.Join(specDir, specFile[name])
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%s API spec is missing (the shared datasets folder must sit beside the repository): %v", name, err)
	}
	defer f.Close()
	raw, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	doc := raw.(map[string]any)
	if err := patchSpec(name, doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(name+".json", doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	s := &spec{name: name, doc: doc, c: c, done: map[string]*jsonschema.Schema{}}
	specs[name] = s
	return s
}

// schema compiles the component schema called component.
func (s *spec) schema(t *testing.T, component string) *jsonschema.Schema {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch := s.done[component]; sch != nil {
		return sch
	}
	sch, err := s.c.Compile(s.name + ".json#/components/schemas/" + component)
	if err != nil {
		t.Fatalf("%s spec: compile %s: %v", s.name, component, err)
	}
	s.done[component] = sch
	return sch
}

// check validates the JSON document body against the spec's component
// schema and reports every field the schema does not declare unless
// allowExtra lists it for that component. It returns the decoded body.
func (s *spec) check(t *testing.T, component string, body []byte) map[string]any {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not JSON: %v: %.300s", component, err, body)
	}
	var problems []string
	if err := s.schema(t, component).Validate(inst); err != nil {
		problems = append(problems, "does not conform: "+compact(err))
	}
	for _, p := range s.extraFields(component, inst) {
		key := s.name + " " + component + " " + p
		if _, ok := allowExtra[key]; !ok {
			problems = append(problems, "field "+p+" is not in the spec (nor in allowExtra)")
			continue
		}
		allowUsed.Store(key, true)
	}
	if len(problems) > 0 {
		t.Errorf("%s %s: %s\nbody: %.800s", s.name, component, strings.Join(problems, "; "), body)
	}
	m, _ := inst.(map[string]any)
	return m
}

// resolve follows a local $ref ("#/components/schemas/X").
func (s *spec) resolve(sch map[string]any) map[string]any {
	for i := 0; i < 32; i++ {
		ref, ok := sch["$ref"].(string)
		if !ok {
			return sch
		}
		var cur any = s.doc
		for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := cur.(map[string]any)
			cur = m[seg]
		}
		next, _ := cur.(map[string]any)
		if next == nil {
			return sch
		}
		sch = next
	}
	return sch
}

// flatten returns sch and every schema allOf, anyOf or oneOf put beside
// it, $refs followed: the schemas an instance may have to satisfy.
func (s *spec) flatten(sch map[string]any, out []map[string]any) []map[string]any {
	sch = s.resolve(sch)
	if sch == nil || len(out) > 512 {
		return out
	}
	for _, o := range out {
		if reflect.ValueOf(o).UnsafePointer() == reflect.ValueOf(sch).UnsafePointer() {
			return out
		}
	}
	out = append(out, sch)
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		list, _ := sch[kw].([]any)
		for _, sub := range list {
			if m, ok := sub.(map[string]any); ok {
				out = s.flatten(m, out)
			}
		}
	}
	return out
}

// extraFields lists, as paths like "choices[].message.x", the object keys
// of inst that no applicable schema declares. An object schema with
// additionalProperties (other than false), or none with properties at
// all, is open: anything goes under it.
func (s *spec) extraFields(component string, inst any) []string {
	root := map[string]any{"$ref": "#/components/schemas/" + component}
	var out []string
	s.walk([]map[string]any{root}, inst, "", &out)
	slices.Sort(out)
	return slices.Compact(out)
}

func (s *spec) walk(schemas []map[string]any, inst any, path string, out *[]string) {
	var flat []map[string]any
	for _, sch := range schemas {
		flat = s.flatten(sch, flat)
	}
	switch v := inst.(type) {
	case map[string]any:
		open, declared := false, false
		props := map[string][]map[string]any{}
		for _, sch := range flat {
			if ap, ok := sch["additionalProperties"]; ok && ap != false {
				open = true
			}
			pm, ok := sch["properties"].(map[string]any)
			if !ok {
				continue
			}
			declared = true
			for k, p := range pm {
				if m, ok := p.(map[string]any); ok {
					props[k] = append(props[k], m)
				}
			}
		}
		for k, val := range v {
			sub, ok := props[k]
			if !ok {
				if declared && !open {
					*out = append(*out, path+"."+k)
				}
				continue
			}
			s.walk(sub, val, path+"."+k, out)
		}
	case []any:
		var items []map[string]any
		for _, sch := range flat {
			if m, ok := sch["items"].(map[string]any); ok {
				items = append(items, m)
			}
		}
		for _, val := range v {
			s.walk(items, val, path+"[]", out)
		}
	}
}

// decode is json.Unmarshal into a generic map, failing the test on error.
func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %.300s", err, b)
	}
	return m
}

// compact is a validation error's message without its first line (the
// schema's location), its lines joined.
func compact(err error) string {
	lines := strings.Split(err.Error(), "\n")
	if len(lines) > 1 {
		lines = lines[1:]
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	if len(lines) > 16 {
		lines = append(lines[:16], "…")
	}
	return strings.Join(lines, " ")
}

// member returns the component of the union schema union (anyOf or oneOf
// of $refs) whose "type" property is the constant typ: the schema a
// stream event or output item of that type must satisfy. It fails the
// test when the union has no such member: a type the spec does not know.
func (s *spec) member(t *testing.T, union, typ string) string {
	t.Helper()
	u := s.resolve(map[string]any{"$ref": "#/components/schemas/" + union})
	for _, kw := range []string{"anyOf", "oneOf"} {
		list, _ := u[kw].([]any)
		for _, b := range list {
			m, _ := b.(map[string]any)
			ref, _ := m["$ref"].(string)
			props, _ := s.resolve(m)["properties"].(map[string]any)
			tp, _ := props["type"].(map[string]any)
			if tp["const"] == typ || slices.Contains(asSlice(tp["enum"]), any(typ)) || tp["default"] == typ {
				return strings.TrimPrefix(ref, "#/components/schemas/")
			}
		}
	}
	t.Errorf("%s spec: %s has no member of type %q", s.name, union, typ)
	return ""
}

func asSlice(v any) []any { l, _ := v.([]any); return l }

// checkEvent validates one stream event's data against the member of
// union its "type" names.
func (s *spec) checkEvent(t *testing.T, union string, data []byte) string {
	t.Helper()
	typ, _ := decode(t, data)["type"].(string)
	if c := s.member(t, union, typ); c != "" {
		s.check(t, c, data)
	}
	return typ
}
