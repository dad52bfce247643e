package strict

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"switchyard/llm"
)

// StringMap is a JSON object of strings (a request's metadata) that
// names the key of a value of another type: encoding/json's error for a
// map[string]string names the map alone ("metadata"), OpenAI's names the
// value ("metadata.KEY"). A null value decodes as "", as into a
// map[string]string. It converts to map[string]string as is.
type StringMap map[string]string

// UnmarshalJSON decodes b, an object of strings or null; a value of
// another type is a *json.UnmarshalTypeError whose Field is its key
// (clipped, llm.Clip), the first in key order.
func (m *StringMap) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*m = nil
		return nil
	}
	out := make(StringMap, len(raw))
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		var s string
		if err := json.Unmarshal(raw[k], &s); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				te.Field = llm.Clip(k)
			}
			return err
		}
		out[k] = s
	}
	*m = out
	return nil
}
