package anthropic

import (
	"encoding/json"

	wire "switchyard/wire/anthropic"
)

// checkPropertyKeys refuses a tool whose input schema names a property
// outside ^[a-zA-Z0-9_.-]{1,64}$, at any depth, as the API does (its
// answer, reported by its users: Gitlawb/openclaude#714; no API reference
// states the rule).
func checkPropertyKeys(req *wire.MessagesRequest) *apiError {
	for i, t := range req.Tools {
		var schema any
		if len(t.InputSchema) == 0 || json.Unmarshal(t.InputSchema, &schema) != nil {
			continue
		}
		if !propertyKeysValid(schema) {
			return invalid("tools.%d.custom.input_schema.properties: Property keys should match pattern '^[a-zA-Z0-9_.-]{1,64}$'", i)
		}
	}
	return nil
}

// propertyKeysValid reports whether every "properties" object within v
// names its properties as Claude takes them.
func propertyKeysValid(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		if props, ok := v["properties"].(map[string]any); ok {
			for k := range props {
				if !wire.ValidPropertyKey(k) {
					return false
				}
			}
		}
		for _, sub := range v {
			if !propertyKeysValid(sub) {
				return false
			}
		}
	case []any:
		for _, sub := range v {
			if !propertyKeysValid(sub) {
				return false
			}
		}
	}
	return true
}
