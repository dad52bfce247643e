package sim

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExampleJSON returns a JSON value that satisfies the JSON Schema: every
// property of an object (only the required ones deep in recursive
// schemas), the first enum value or const, the first alternative of anyOf
// and oneOf, all of allOf merged, as many array items as minItems asks
// (one by default), numbers within bounds and multipleOf, strings within
// minLength and maxLength and of the common formats. It handles the subset
// of JSON Schema that structured-output and tool-parameter schemas use,
// with local references ("#/$defs/x", "#/definitions/x", any "#/…"
// pointer); pattern, uniqueItems and not are not honoured. An empty or
// unreadable schema gives "{}".
func ExampleJSON(schema json.RawMessage) []byte {
	d := json.NewDecoder(bytes.NewReader(schema))
	d.UseNumber()
	var s map[string]any
	if len(schema) == 0 || d.Decode(&s) != nil {
		return []byte("{}")
	}
	if len(s) == 0 {
		return []byte("{}") // "parameters": {} of a tool without arguments
	}
	g := &gen{root: s, budget: maxNodes}
	b, err := json.Marshal(g.example(s, 0))
	if err != nil {
		return []byte("{}")
	}
	return b
}

const (
	// fullDepth is the nesting below which optional properties and a
	// first array item are filled in; deeper, only what the schema
	// requires is, so recursive schemas end.
	// (References and combinators count as a level.)
	fullDepth = 6
	// maxDepth stops reference cycles and schemas that require infinite
	// nesting.
	maxDepth = 64
	// maxNodes bounds the work on one schema (a schema may require a
	// value that grows exponentially with depth), and maxRepeat the
	// length of strings and arrays made to meet minLength and minItems.
	maxNodes  = 10000
	maxRepeat = 1000
)

// gen generates the example of one schema.
type gen struct {
	root   map[string]any
	budget int // nodes left to generate
}

func (g *gen) example(s map[string]any, depth int) any {
	if depth > maxDepth || g.budget <= 0 {
		return nil
	}
	g.budget--
	if ref, ok := s["$ref"].(string); ok {
		if t := g.resolve(ref); t != nil {
			return g.example(t, depth+1)
		}
		return nil
	}
	if c, ok := s["const"]; ok {
		return c
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	if alts, ok := s["allOf"].([]any); ok {
		return g.example(g.merge(without(s, "allOf"), alts), depth+1)
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		if alts, ok := s[k].([]any); ok && len(alts) > 0 {
			return g.example(g.merge(without(s, k), alts[:1]), depth+1)
		}
	}
	switch typeOf(s) {
	case "object":
		return g.object(s, depth)
	case "array":
		return g.array(s, depth)
	case "integer":
		return numeric(s, 7, true)
	case "number":
		return numeric(s, 4.5, false)
	case "boolean":
		return true
	case "null":
		return nil
	default:
		return exampleString(s)
	}
}

// sub returns the example of a subschema, which may be a boolean.
func (g *gen) sub(v any, depth int) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return g.example(t, depth), true
	case bool:
		return "example", t
	}
	return nil, false
}

func (g *gen) object(s map[string]any, depth int) map[string]any {
	props, _ := s["properties"].(map[string]any)
	required := map[string]bool{}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if k, ok := r.(string); ok {
				required[k] = true
			}
		}
	}
	out := make(map[string]any, len(props))
	keys := make([]string, 0, len(props))
	for k := range props {
		if depth < fullDepth || required[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v, ok := g.sub(props[k], depth+1); ok {
			out[k] = v
		}
	}
	for k := range required {
		if _, ok := out[k]; !ok {
			extra, ok := s["additionalProperties"]
			if !ok {
				extra = true
			}
			if v, ok := g.sub(extra, depth+1); ok {
				out[k] = v
			}
		}
	}
	return out
}

func (g *gen) array(s map[string]any, depth int) []any {
	prefix, _ := s["prefixItems"].([]any)
	items := s["items"]
	if tuple, ok := items.([]any); ok { // draft 2019 and earlier tuples
		prefix, items = tuple, s["additionalItems"]
	}
	n := len(prefix)
	if n == 0 && depth < fullDepth && items != nil && items != false {
		n = 1
	}
	if lo, ok := num(s["minItems"]); ok && float64(n) < lo {
		n = int(min(lo, maxRepeat))
	}
	if hi, ok := num(s["maxItems"]); ok && float64(n) > hi {
		n = int(max(hi, 0))
	}
	out := make([]any, 0, n)
	for i := range n {
		schema := items
		if i < len(prefix) {
			schema = prefix[i]
		}
		if schema == nil {
			schema = true
		}
		v, _ := g.sub(schema, depth+1)
		out = append(out, v)
	}
	return out
}

// String examples of the common formats.
var formats = map[string]string{
	"date-time": "2025-01-01T00:00:00Z", "date": "2025-01-01", "time": "12:00:00Z", "duration": "PT1H",
	"email": "user@example.com", "hostname": "example.com", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1",
	"uri": "https://example.com/", "uri-reference": "https://example.com/", "iri": "https://example.com/",
	"url": "https://example.com/", "uuid": "00000000-0000-4000-8000-000000000000",
}

func exampleString(s map[string]any) string {
	v := "example"
	if f, ok := s["format"].(string); ok && formats[f] != "" {
		v = formats[f]
	}
	if lo, ok := num(s["minLength"]); ok {
		if n := utf8.RuneCountInString(v); float64(n) < lo {
			v += strings.Repeat("x", int(min(lo, maxRepeat))-n)
		}
	}
	if hi, ok := num(s["maxLength"]); ok && float64(utf8.RuneCountInString(v)) > hi {
		v = string([]rune(v)[:int(max(hi, 0))])
	}
	return v
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
		if len(t) > 0 {
			return "null"
		}
	}
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := s[k]; ok {
				return true
			}
		}
		return false
	}
	switch {
	case has("properties", "required", "additionalProperties"):
		return "object"
	case has("items", "prefixItems", "minItems", "maxItems"):
		return "array"
	case has("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
		return "number"
	}
	return "string"
}

// without returns a copy of s without key.
func without(s map[string]any, key string) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// merge folds the subschemas alts into base (a fresh copy): properties
// and required lists are united, other keywords are taken from the first
// schema that has them.
func (g *gen) merge(base map[string]any, alts []any) map[string]any {
	for _, a := range alts {
		m, ok := a.(map[string]any)
		if !ok || g.budget <= 0 {
			continue
		}
		g.budget--
		for range maxDepth { // follow references, and one level of nesting
			if ref, ok := m["$ref"].(string); ok {
				if t := g.resolve(ref); t != nil {
					m = t
					continue
				}
			}
			if nested, ok := m["allOf"].([]any); ok {
				m = g.merge(without(m, "allOf"), nested)
			}
			break
		}
		for k, v := range m {
			switch k {
			case "properties":
				props, _ := base[k].(map[string]any)
				union := make(map[string]any, len(props))
				for pk, pv := range props {
					union[pk] = pv
				}
				if vm, ok := v.(map[string]any); ok {
					for pk, pv := range vm {
						if _, dup := union[pk]; !dup {
							union[pk] = pv
						}
					}
				}
				base[k] = union
			case "required":
				req, _ := base[k].([]any)
				if vs, ok := v.([]any); ok {
					req = append(append([]any(nil), req...), vs...)
				}
				base[k] = req
			default:
				if _, ok := base[k]; !ok {
					base[k] = v
				}
			}
		}
	}
	return base
}

// resolve follows a local reference: "#" or a JSON pointer "#/a/b".
func (g *gen) resolve(ref string) map[string]any {
	ptr, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil
	}
	var cur any = g.root
	if ptr != "" {
		if ptr[0] != '/' {
			return nil
		}
		for _, tok := range strings.Split(ptr[1:], "/") {
			if t, err := url.PathUnescape(tok); err == nil {
				tok = t
			}
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch c := cur.(type) {
			case map[string]any:
				cur = c[tok]
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(c) {
					return nil
				}
				cur = c[i]
			default:
				return nil
			}
		}
	}
	m, _ := cur.(map[string]any)
	return m
}
