package anthropic

import (
	"encoding/json"
	"hash/fnv"
	"strconv"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
)

// Claude refuses a tool whose input schema names a property outside
// ^[a-zA-Z0-9_.-]{1,64}$ — a space, a slash, a colon, "$M", any letter
// beyond ASCII ("этаж", "名前") — and with it the whole request: 400
// "tools.N.custom.input_schema.properties: Property keys should match
// pattern '^[a-zA-Z0-9_.-]{1,64}$'". The pattern is in no API reference;
// it is the API's own answer, reported by many (Gitlawb/openclaude#714,
// modelcontextprotocol/go-sdk#169). OpenAI and Gemini take such names, so
// a client's tools valid there are sent to Claude with each such property
// renamed (PropertyKey, its original name kept as the property's title),
// and the names in Claude's tool calls are put back (PropertyKeys,
// RestoreKeys) before the client sees them.

// ValidPropertyKey reports whether Claude takes k as a property name.
func ValidPropertyKey(k string) bool { return validKey(k) }

func validKey[S string | []byte](k S) bool {
	if len(k) == 0 || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !keyByte(k[i]) {
			return false
		}
	}
	return true
}

func keyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// PropertyKey is the name Claude gets for the property k: k when Claude
// takes it, else k with every other character as "_", cut to fit, and a
// suffix of k's hash so that two names never become one.
func PropertyKey(k string) string {
	if ValidPropertyKey(k) {
		return k
	}
	var b strings.Builder
	for _, r := range k {
		if r < utf8.RuneSelf && keyByte(byte(r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	h := fnv.New32a()
	h.Write([]byte(k))
	suffix := "_" + strconv.FormatUint(uint64(h.Sum32()), 36)
	s := b.String()
	if len(s) > 64-len(suffix) {
		s = s[:64-len(suffix)]
	}
	return s + suffix
}

// schemaKeywords are the "$" keywords a schema may hold as object keys:
// not property names, so not a reason to look further (Claude Code puts
// "$schema" in every tool).
var schemaKeywords = map[string]bool{"$schema": true, "$defs": true, "$ref": true, "$id": true, "$comment": true,
	"$anchor": true, "$dynamicRef": true, "$dynamicAnchor": true, "$vocabulary": true}

// mayNeedRenames reports, from a scan of its bytes that allocates
// nothing, whether schema has an object key Claude would refuse as a
// property name (other than the $ keywords); false means no property
// needs a new name.
func mayNeedRenames(schema []byte) bool {
	found := false
	scanKeys(schema, func(start, end int, escaped bool) {
		if key := schema[start:end]; !found && (escaped || !validKey(key) && !schemaKeywords[string(key)]) {
			found = true
		}
	})
	return found
}

// scanKeys calls fn with the bounds of each object key of the JSON text
// b: b[start:end] is the key between its quotes; escaped reports escapes
// among them.
func scanKeys(b []byte, fn func(start, end int, escaped bool)) {
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		start, escaped := i+1, false
		for i++; i < len(b) && b[i] != '"'; i++ {
			if b[i] == '\\' {
				escaped = true
				i++
			}
		}
		if i >= len(b) {
			return
		}
		end := i
		j := i + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
			j++
		}
		if j < len(b) && b[j] == ':' {
			fn(start, end, escaped)
		}
	}
}

// renameProperties returns schema with every property Claude refuses
// renamed (PropertyKey) in each "properties" and its "required", and the
// original name as the renamed property's title when it has none; renames
// collects new name → original. schema is returned as it is when nothing
// needs a new name.
func renameProperties(schema json.RawMessage, renames map[string]string) (json.RawMessage, error) {
	if !mayNeedRenames(schema) {
		return schema, nil
	}
	return visitSchema(schema, func(ms []member) ([]member, error) {
		for i := range ms {
			if ms[i].Key != "properties" {
				continue
			}
			props, err := decodeMembers(ms[i].Value)
			if err != nil {
				return ms, nil // not an object: Claude will say so
			}
			changed := false
			for j := range props {
				if k := PropertyKey(props[j].Key); k != props[j].Key {
					renames[k] = props[j].Key
					props[j].Value = withTitle(props[j].Value, props[j].Key)
					props[j].Key, changed = k, true
				}
			}
			if changed {
				ms[i].Value = encodeMembers(props)
				renameRequired(ms)
			}
		}
		return ms, nil
	})
}

// renameRequired renames the names of a schema's "required" list.
func renameRequired(ms []member) {
	for i := range ms {
		if ms[i].Key != "required" {
			continue
		}
		var names []string
		if json.Unmarshal(ms[i].Value, &names) != nil {
			return
		}
		for j, n := range names {
			names[j] = PropertyKey(n)
		}
		ms[i].Value, _ = json.Marshal(names)
	}
}

// withTitle adds "title": name to the property schema s when it is an
// object without one, so that Claude still reads the property's name.
func withTitle(s json.RawMessage, name string) json.RawMessage {
	ms, err := decodeMembers(s)
	if err != nil || find(ms, "title") != nil {
		return s
	}
	t, _ := json.Marshal(name)
	return encodeMembers(append([]member{{Key: "title", Value: t}}, ms...))
}

// PropertyKeys maps the name Claude was given for each renamed property
// of req's tools back to the client's; nil when none was renamed. A
// StreamTranslator (Keys) or RestoreKeys given it puts the client's names
// back in Claude's tool calls.
func PropertyKeys(req *llm.Request) map[string]string {
	var renames map[string]string
	for _, t := range req.Tools {
		if len(t.Parameters) == 0 || !mayNeedRenames(t.Parameters) {
			continue
		}
		if renames == nil {
			renames = map[string]string{}
		}
		renameProperties(t.Parameters, renames) //nolint:errcheck // a schema that does not decode was refused when sent
	}
	if len(renames) == 0 {
		return nil
	}
	return renames
}

// RestoreKeys returns the JSON text args with every object key that
// renames holds replaced by the client's name; args itself when renames
// is empty or no key is renamed.
func RestoreKeys(args string, renames map[string]string) string {
	if len(renames) == 0 {
		return args
	}
	var b strings.Builder
	last := 0
	scanKeys([]byte(args), func(start, end int, escaped bool) {
		orig, ok := renames[args[start:end]]
		if !ok || escaped {
			return
		}
		q, _ := json.Marshal(orig)
		b.WriteString(args[last : start-1])
		b.Write(q)
		last = end + 1
	})
	if last == 0 {
		return args
	}
	b.WriteString(args[last:])
	return b.String()
}

// RestoreResponseKeys puts the client's property names back in the
// arguments of resp's tool calls, a complete answer of Claude's (a
// Message Batch's result; a live one's are restored as they stream, by
// the StreamTranslator's Keys); renames is PropertyKeys of the request.
// Nothing is done when renames is empty or resp nil.
func RestoreResponseKeys(resp *llm.Response, renames map[string]string) {
	if len(renames) == 0 || resp == nil {
		return
	}
	resp.EditToolCalls(func(c *llm.ToolCall) bool {
		args := RestoreKeys(c.Arguments, renames)
		changed := args != c.Arguments
		c.Arguments = args
		return changed
	})
}
