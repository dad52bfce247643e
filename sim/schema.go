package sim

import (
	"encoding/json"
	"sort"
)

// ExampleJSON returns a JSON value that satisfies the (simple) JSON Schema:
// every property of an object, the first enum value or const, one array
// item, a number within bounds. It handles the subset of JSON Schema that
// structured-output and tool-parameter schemas use; an empty or unreadable
// schema gives "{}".
func ExampleJSON(schema json.RawMessage) []byte {
	var s map[string]any
	if len(schema) == 0 || json.Unmarshal(schema, &s) != nil {
		return []byte("{}")
	}
	b, err := json.Marshal(example(s, s, 0))
	if err != nil {
		return []byte("{}")
	}
	return b
}

func example(s, root map[string]any, depth int) any {
	if depth > 8 {
		return nil
	}
	if ref, ok := s["$ref"].(string); ok {
		if t := resolve(ref, root); t != nil {
			return example(t, root, depth+1)
		}
		return nil
	}
	if c, ok := s["const"]; ok {
		return c
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		if alts, ok := s[k].([]any); ok && len(alts) > 0 {
			if m, ok := alts[0].(map[string]any); ok {
				return example(m, root, depth+1)
			}
		}
	}
	switch typeOf(s) {
	case "object":
		return exampleObject(s, root, depth)
	case "array":
		item, _ := s["items"].(map[string]any)
		if item == nil {
			return []any{}
		}
		return []any{example(item, root, depth+1)}
	case "integer":
		return bounded(s, 7, true)
	case "number":
		return bounded(s, 4.5, false)
	case "boolean":
		return true
	case "null":
		return nil
	default:
		return "example"
	}
}

func exampleObject(s, root map[string]any, depth int) map[string]any {
	props, _ := s["properties"].(map[string]any)
	out := make(map[string]any, len(props))
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if m, ok := props[k].(map[string]any); ok {
			out[k] = example(m, root, depth+1)
		}
	}
	return out
}

func typeOf(s map[string]any) string {
	switch t := s["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if str, ok := x.(string); ok && str != "null" {
				return str
			}
		}
	}
	if _, ok := s["properties"]; ok {
		return "object"
	}
	return "string"
}

func bounded(s map[string]any, v float64, integer bool) any {
	if lo, ok := s["minimum"].(float64); ok && v < lo {
		v = lo
	}
	if hi, ok := s["maximum"].(float64); ok && v > hi {
		v = hi
	}
	if integer {
		return int64(v)
	}
	return v
}

func resolve(ref string, root map[string]any) map[string]any {
	for _, prefix := range []string{"#/$defs/", "#/definitions/"} {
		if len(ref) > len(prefix) && ref[:len(prefix)] == prefix {
			defs, _ := root[prefix[2:len(prefix)-1]].(map[string]any)
			m, _ := defs[ref[len(prefix):]].(map[string]any)
			return m
		}
	}
	return nil
}
