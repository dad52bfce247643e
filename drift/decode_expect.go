package drift

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// expect decodes an expectation: exactly one kind key, and the modifiers
// its kind takes.
func (d *setDecoder) expect(kv keyValue, path string) Expectation {
	var e Expectation
	fields, ok := d.mapping(kv.value, path)
	if !ok {
		return e
	}
	var kindNode ast.Node
	var caseNode, tolNode *keyValue
	for i := range fields {
		f := &fields[i]
		fp := join(path, f.key)
		switch k := Kind(f.key); {
		case f.key == "case_sensitive":
			caseNode = f
			e.CaseSensitive, _ = d.boolean(*f, fp)
		case f.key == "tolerance":
			tolNode = f
			e.Tolerance, _ = d.number(*f, fp)
		case slices.Contains(Kinds, k):
			if kindNode != nil {
				d.errorf(f.keyNode, fp, "an expectation has one kind; %s is already set", e.Kind)
				continue
			}
			kindNode, e.Kind = f.keyNode, k
			d.expectValue(*f, fp, &e)
		default:
			d.errorf(f.keyNode, fp, "unknown field %q (a kind: %s; or case_sensitive, tolerance)", f.key, kindList())
		}
	}
	switch {
	case kindNode == nil:
		d.errorf(kv.keyNode, path, "needs one of %s", kindList())
		return e
	case caseNode != nil && e.Kind != KindExact && e.Kind != KindContains:
		d.errorf(caseNode.keyNode, path+".case_sensitive", "applies to exact and contains only")
	case tolNode != nil && e.Kind != KindNumber:
		d.errorf(tolNode.keyNode, path+".tolerance", "applies to number only")
	}
	if err := e.compile(); err != nil {
		d.errorf(kindNode, join(path, string(e.Kind)), "%v", err)
	}
	return e
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// expectValue decodes the value of an expectation's kind key.
func (d *setDecoder) expectValue(f keyValue, path string, e *Expectation) {
	switch e.Kind {
	case KindExact, KindRegex:
		e.Text = d.text(f, path)
	case KindContains:
		e.All = d.strings(f, path)
	case KindNumber:
		e.Number, _ = d.number(f, path)
	case KindJSONSchema:
		if s, isString := f.value.(*ast.StringNode); isString {
			e.Schema = json.RawMessage(s.Value)
			return
		}
		v, ok := d.toJSON(f.value, path, 0)
		if !ok {
			return
		}
		if _, isObject := v.(map[string]any); !isObject {
			d.errorf(f.value, path, "must be a mapping (a JSON Schema object), got %s", describe(f.value))
			return
		}
		e.Schema, _ = json.Marshal(v)
	case KindRefuses, KindNotRefuses:
		if b, ok := d.boolean(f, path); ok && !b {
			d.errorf(f.value, path, "must be true (leave it out otherwise)")
		}
	}
}
