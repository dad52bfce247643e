package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
)

// member is one member of a JSON object, kept in document order: a
// schema's property order is the order a constrained model writes the
// properties in, so a schema is edited without reordering it.
type member struct {
	Key   string
	Value json.RawMessage
}

// errNotObject is returned by decodeMembers for a value that is not an
// object (a boolean schema, say).
var errNotObject = errors.New("not a JSON object")

// decodeMembers returns the members of the JSON object raw, in order.
func decodeMembers(raw json.RawMessage) ([]member, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return nil, errNotObject
	}
	var out []member
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, member{Key: key, Value: v})
	}
	return out, nil
}

// encodeMembers writes members back as one JSON object.
func encodeMembers(ms []member) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.Key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.Value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// The keywords whose values hold subschemas: a map of names to schemas,
// one schema (or, for items, a draft-07 list of them), or a list.
var (
	schemaMapKeys  = map[string]bool{"properties": true, "$defs": true, "definitions": true, "patternProperties": true, "dependentSchemas": true}
	schemaOneKeys  = map[string]bool{"items": true, "additionalProperties": true, "not": true, "if": true, "then": true, "else": true, "contains": true, "propertyNames": true, "unevaluatedItems": true, "unevaluatedProperties": true, "additionalItems": true}
	schemaListKeys = map[string]bool{"anyOf": true, "allOf": true, "oneOf": true, "prefixItems": true}
)

// visitSchema calls visit on every schema object in raw, the deepest
// first, and returns raw with each object replaced by what visit returns
// for it; the first error of visit ends the walk. Values that are data,
// not schemas (enum, const, default, examples, the names of properties),
// are left alone, as are boolean schemas.
func visitSchema(raw json.RawMessage, visit func([]member) ([]member, error)) (json.RawMessage, error) {
	ms, err := decodeMembers(raw)
	if errors.Is(err, errNotObject) {
		return raw, nil
	}
	if err != nil {
		return nil, err
	}
	for i := range ms {
		k := ms[i].Key
		switch {
		case schemaMapKeys[k]:
			ms[i].Value, err = visitEach(ms[i].Value, visit, true)
		case schemaListKeys[k] || schemaOneKeys[k] && isArray(ms[i].Value):
			ms[i].Value, err = visitEach(ms[i].Value, visit, false)
		case schemaOneKeys[k]:
			ms[i].Value, err = visitSchema(ms[i].Value, visit)
		}
		if err != nil {
			return nil, err
		}
	}
	if ms, err = visit(ms); err != nil {
		return nil, err
	}
	return encodeMembers(ms), nil
}

// visitEach visits the schemas of a map (named) or a list.
func visitEach(raw json.RawMessage, visit func([]member) ([]member, error), named bool) (json.RawMessage, error) {
	if named {
		ms, err := decodeMembers(raw)
		if err != nil {
			return raw, nil // not a map: nothing to visit
		}
		for i := range ms {
			if ms[i].Value, err = visitSchema(ms[i].Value, visit); err != nil {
				return nil, err
			}
		}
		return encodeMembers(ms), nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return raw, nil
	}
	for i := range list {
		var err error
		if list[i], err = visitSchema(list[i], visit); err != nil {
			return nil, err
		}
	}
	return json.Marshal(list)
}

func isArray(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '['
}

// find returns the value of key among ms, or nil.
func find(ms []member, key string) json.RawMessage {
	for _, m := range ms {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}
