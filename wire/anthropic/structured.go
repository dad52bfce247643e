package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"switchyard/llm"
)

// This file holds native structured outputs: which models take
// output_config.format (and strict tools), and the JSON Schema subset
// they take, after Anthropic's structured-outputs guide
// (platform.claude.com/docs/en/build-with-claude/structured-outputs,
// "JSON Schema limitations").

// NativeStructuredOutput reports whether a Claude model takes native
// structured outputs (output_config.format, strict tools): the guide
// names Claude Haiku 4.5, Sonnet 4.5, Opus 4.5, Sonnet 4.6, Opus 4.6 and
// Mythos Preview, so every Claude model from 4.5 on, and Mythos; an
// unknown id does not.
func NativeStructuredOutput(model string) bool {
	if strings.HasPrefix(strings.ToLower(model), "claude-mythos") {
		return true
	}
	_, major, minor, ok := parseClaude(model)
	return ok && major*100+minor >= 405
}

// The keywords of each type that the API refuses ("Numerical
// constraints", "String constraints", "Array constraints beyond minItems
// of 0 or 1"); minItems is checked by value.
var refusedKeywords = map[string]string{
	"minimum": "number", "maximum": "number", "exclusiveMinimum": "number", "exclusiveMaximum": "number", "multipleOf": "number",
	"minLength": "string", "maxLength": "string",
	"maxItems": "array", "uniqueItems": "array", "contains": "array", "minContains": "array", "maxContains": "array",
}

// SchemaProblem returns what the API answers a structured-output schema
// it refuses with (without the field's path, which the caller puts
// before it), or "" for a schema it takes. It checks what the guide lists
// as refused with a 400: an object whose additionalProperties is not
// false (left out included, as the API answers), numerical and string
// constraints, array constraints beyond a minItems of 0 or 1, objects or
// arrays in an enum, an external $ref, and a recursive schema.
func SchemaProblem(schema json.RawMessage) string {
	if !json.Valid(schema) {
		return "Invalid schema: not valid JSON"
	}
	var problem string
	_, err := visitSchema(schema, func(ms []member) ([]member, error) {
		if problem == "" {
			problem = nodeProblem(ms)
		}
		return ms, nil
	})
	switch {
	case err != nil:
		return "Invalid schema: " + err.Error()
	case problem != "":
		return problem
	case recursive(schema):
		return "Recursive schemas are not supported"
	}
	return ""
}

// nodeProblem checks one schema object.
func nodeProblem(ms []member) string {
	typ := schemaType(ms)
	if typ == "object" {
		switch ap := bytes.TrimSpace(find(ms, "additionalProperties")); {
		case string(ap) == "true":
			return "For 'object' type, 'additionalProperties: true' is not supported. Please set 'additionalProperties' to false"
		case string(ap) != "false":
			return "For 'object' type, 'additionalProperties' must be explicitly set to false"
		}
	}
	var refused []string
	for _, m := range ms {
		if kind, ok := refusedKeywords[m.Key]; ok {
			refused = append(refused, m.Key)
			if typ == "" {
				typ = kind
			}
		}
	}
	if len(refused) > 0 {
		return refusedProperties(typ, refused)
	}
	if n := find(ms, "minItems"); n != nil && string(bytes.TrimSpace(n)) != "0" && string(bytes.TrimSpace(n)) != "1" {
		return "For 'array' type, 'minItems' values other than 0 or 1 are not supported"
	}
	if complexEnum(find(ms, "enum")) {
		return "Complex types within 'enum' are not supported: use strings, numbers, booleans or null"
	}
	var ref string
	if json.Unmarshal(find(ms, "$ref"), &ref) == nil && ref != "" && !strings.HasPrefix(ref, "#") {
		return fmt.Sprintf("External '$ref' is not supported: '%s'", llm.Clip(ref))
	}
	return ""
}

// refusedProperties words the refusal of constraint keywords, as the API
// does: "For 'integer' type, property 'minimum' is not supported", or
// for several "properties maximum, minimum are not supported".
func refusedProperties(typ string, keys []string) string {
	slices.Sort(keys)
	if len(keys) == 1 {
		return fmt.Sprintf("For '%s' type, property '%s' is not supported", typ, keys[0])
	}
	return fmt.Sprintf("For '%s' type, properties %s are not supported", typ, strings.Join(keys, ", "))
}

// schemaType returns a schema object's type: its "type", the first that
// is not null of a list of them, else "".
func schemaType(ms []member) string {
	raw := find(ms, "type")
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	for _, t := range many {
		if t != "null" {
			return t
		}
	}
	return ""
}

func complexEnum(raw json.RawMessage) bool {
	var values []json.RawMessage
	if json.Unmarshal(raw, &values) != nil {
		return false
	}
	for _, v := range values {
		if v = bytes.TrimSpace(v); len(v) > 0 && (v[0] == '{' || v[0] == '[') {
			return true
		}
	}
	return false
}

// recursive reports whether a schema refers to itself: a $ref to the
// root ("#"), or a cycle among its $defs and definitions.
func recursive(schema json.RawMessage) bool {
	defs := map[string]json.RawMessage{}
	root, err := decodeMembers(schema)
	if err != nil {
		return false
	}
	for _, key := range []string{"$defs", "definitions"} {
		ms, _ := decodeMembers(find(root, key))
		for _, m := range ms {
			defs["#/"+key+"/"+m.Key] = m.Value
		}
	}
	state := map[string]int{} // 1 on the path, 2 done
	var cycle func(raw json.RawMessage) bool
	cycle = func(raw json.RawMessage) bool {
		for _, ref := range localRefs(raw) {
			if ref == "#" {
				return true
			}
			def, ok := defs[ref]
			if !ok || state[ref] == 2 {
				continue
			}
			if state[ref] == 1 {
				return true
			}
			state[ref] = 1
			if cycle(def) {
				return true
			}
			state[ref] = 2
		}
		return false
	}
	return cycle(schema)
}

// localRefs returns the $ref values of a schema's objects, its $defs and
// definitions left out (they are reached through the references).
func localRefs(raw json.RawMessage) []string {
	var refs []string
	ms, err := decodeMembers(raw)
	if err != nil {
		return nil
	}
	trimmed := slices.DeleteFunc(ms, func(m member) bool { return m.Key == "$defs" || m.Key == "definitions" })
	_, _ = visitSchema(encodeMembers(trimmed), func(ms []member) ([]member, error) {
		var ref string
		if json.Unmarshal(find(ms, "$ref"), &ref) == nil && strings.HasPrefix(ref, "#") {
			refs = append(refs, ref)
		}
		return ms, nil
	})
	return refs
}

// The keywords native structured outputs take (the guide's supported
// list, annotations included); a schema with any other cannot be sent as
// it is meant.
var nativeKeywords = map[string]bool{
	"type": true, "properties": true, "items": true, "required": true, "additionalProperties": true,
	"enum": true, "const": true, "anyOf": true, "allOf": true, "$ref": true, "$defs": true, "definitions": true,
	"default": true, "format": true, "pattern": true, "minItems": true,
	"title": true, "description": true, "examples": true, "deprecated": true, "readOnly": true, "writeOnly": true,
}

// nativeFormats are the string formats the guide lists.
var nativeFormats = []string{"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}

// metaKeywords describe the schema document, not its instances: they are
// left out of a native schema.
var metaKeywords = map[string]bool{"$schema": true, "$id": true, "$comment": true}

// NativeSchema returns schema as native structured outputs take it, and
// whether it can be sent so without changing what it allows: every object
// gets the additionalProperties false the API requires (OpenAI's strict
// mode requires it too; without strict, it only narrows what the schema
// allows, so every answer still validates), and $schema, $id and $comment
// are left out. It reports false for a schema that uses what the API
// refuses or does not list (numeric, string and array constraints, oneOf,
// not, conditionals, patternProperties, formats outside its list,
// regular expressions with backreferences, lookaround or word
// boundaries, allOf with $ref, an additionalProperties that is not
// false, recursion): sent natively, such a schema would be refused, or
// its constraints silently not enforced. Property order is kept.
func NativeSchema(schema json.RawMessage) (json.RawMessage, bool) {
	if !json.Valid(schema) {
		return nil, false
	}
	out, err := visitSchema(schema, nativeNode)
	if err != nil || SchemaProblem(out) != "" {
		return nil, false
	}
	if ms, err := decodeMembers(out); err != nil || len(ms) == 0 {
		return nil, false // not an object, or {}: any JSON value, which has no native form
	}
	return out, true
}

// errNotNative ends the walk of a schema NativeSchema cannot send.
var errNotNative = fmt.Errorf("anthropic: schema outside the native subset")

func nativeNode(ms []member) ([]member, error) {
	ms = slices.DeleteFunc(ms, func(m member) bool { return metaKeywords[m.Key] })
	for _, m := range ms {
		if !nativeKeywords[m.Key] {
			return nil, errNotNative
		}
	}
	var format, pattern string
	if json.Unmarshal(find(ms, "format"), &format) == nil && format != "" && !slices.Contains(nativeFormats, format) {
		return nil, errNotNative
	}
	if json.Unmarshal(find(ms, "pattern"), &pattern) == nil && !simplePattern(pattern) {
		return nil, errNotNative
	}
	if allOfRef(find(ms, "allOf")) {
		return nil, errNotNative
	}
	if schemaType(ms) == "object" && find(ms, "additionalProperties") == nil {
		ms = append(ms, member{Key: "additionalProperties", Value: json.RawMessage("false")})
	}
	return ms, nil
}

// simplePattern reports whether a regular expression uses only what the
// guide says native structured outputs take: no backreferences, no
// lookahead or lookbehind, no word boundaries.
func simplePattern(p string) bool {
	for i := 0; i < len(p)-1; i++ {
		switch {
		case p[i] == '\\' && (p[i+1] == 'b' || p[i+1] == 'B' || p[i+1] >= '1' && p[i+1] <= '9'):
			return false
		case p[i] == '\\':
			i++ // an escaped character
		case p[i] == '(' && p[i+1] == '?' && i+2 < len(p) && strings.ContainsRune("=!<", rune(p[i+2])):
			return false
		}
	}
	return true
}

// allOfRef reports whether an allOf list has a member with a $ref, which
// the guide says is not supported.
func allOfRef(raw json.RawMessage) bool {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return false
	}
	for _, s := range list {
		if ms, err := decodeMembers(s); err == nil && find(ms, "$ref") != nil {
			return true
		}
	}
	return false
}
