package gemini

import (
	"encoding/json"
	"strings"
)

// CleanJSONSchema prepares a client's JSON Schema for parametersJsonSchema
// or responseJsonSchema: it must be a JSON object, and the root "$schema"
// (a dialect URI the API does not accept) is dropped. Everything else,
// additionalProperties, $defs/$ref, anyOf included, is kept: those fields
// take JSON Schema as is. Empty input returns nil.
func CleanJSONSchema(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errNotObject
	}
	if _, ok := m["$schema"]; !ok {
		return raw, nil
	}
	delete(m, "$schema")
	return json.Marshal(m)
}

// OpenAPIToJSONSchema converts an OpenAPI-subset Schema (the "parameters"
// and "responseSchema" fields: upper-case types, "nullable") into JSON
// Schema. Unknown keywords are kept. Unreadable input returns nil.
func OpenAPIToJSONSchema(raw json.RawMessage) json.RawMessage {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return nil
	}
	b, err := json.Marshal(openAPINode(v, 0))
	if err != nil {
		return nil
	}
	return b
}

func openAPINode(v any, depth int) any {
	m, ok := v.(map[string]any)
	if !ok || depth > 32 {
		return v
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		switch k {
		case "type":
			if s, ok := x.(string); ok {
				x = strings.ToLower(s)
			}
		case "properties":
			if props, ok := x.(map[string]any); ok {
				conv := make(map[string]any, len(props))
				for name, p := range props {
					conv[name] = openAPINode(p, depth+1)
				}
				x = conv
			}
		case "items":
			x = openAPINode(x, depth+1)
		case "anyOf":
			if alts, ok := x.([]any); ok {
				conv := make([]any, len(alts))
				for i, a := range alts {
					conv[i] = openAPINode(a, depth+1)
				}
				x = conv
			}
		case "nullable", "propertyOrdering":
			continue
		}
		out[k] = x
	}
	if n, _ := m["nullable"].(bool); n {
		if t, ok := out["type"].(string); ok {
			out["type"] = []any{t, "null"}
		}
	}
	return out
}
