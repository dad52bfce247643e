package drift

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// This file holds the YAML tree helpers of the set decoder: nodes are
// read straight from goccy/go-yaml's AST so that every error can name its
// line and column.

// maxNodeDepth bounds the nesting of a json_schema value.
const maxNodeDepth = 64

// keyValue is one entry of a YAML mapping.
type keyValue struct {
	key     string
	keyNode ast.Node
	value   ast.Node
}

// unwrap looks through anchors and tags to the value node.
func unwrap(n ast.Node) ast.Node {
	for range maxNodeDepth {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
	return n
}

// position is where n is, 1-based; zero when unknown.
func position(n ast.Node) (line, col int) {
	if n == nil {
		return 0, 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column
	}
	return 0, 0
}

// startPosition is where n starts: for a mapping, its first key (the
// mapping's own token is its first colon).
func startPosition(n ast.Node) (line, col int) {
	switch m := unwrap(n).(type) {
	case *ast.MappingNode:
		if len(m.Values) > 0 {
			return position(m.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return position(m.Key)
	}
	return position(n)
}

// startLine is the line where n starts.
func startLine(n ast.Node) int {
	l, _ := startPosition(n)
	return l
}

// mapping returns the entries of the mapping at n; ok is false (and the
// problem reported) when n is not a mapping or has an alias, a merge key
// or a duplicate key.
func (d *setDecoder) mapping(n ast.Node, path string) ([]keyValue, bool) {
	var values []*ast.MappingValueNode
	switch m := unwrap(n).(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		d.errorf(n, path, "must be a mapping (key: value), got %s", describe(n))
		return nil, false
	}
	out := make([]keyValue, 0, len(values))
	seen := map[string]int{}
	ok := true
	for _, mv := range values {
		key := scalar(unwrap(mv.Key))
		if _, isAlias := unwrap(mv.Value).(*ast.AliasNode); isAlias || (mv.Key != nil && mv.Key.IsMergeKey()) {
			d.errorf(mv.Key, join(path, key), "aliases and merge keys are not supported in golden sets")
			ok = false
			continue
		}
		if line, dup := seen[key]; dup {
			d.errorf(mv.Key, join(path, key), "duplicate key %q, first at line %d", key, line)
			ok = false
			continue
		}
		seen[key], _ = position(mv.Key)
		out = append(out, keyValue{key: key, keyNode: mv.Key, value: unwrap(mv.Value)})
	}
	return out, ok
}

// sequence returns the elements of the list at n (nil for an empty
// value), reporting anything else.
func (d *setDecoder) sequence(n ast.Node, path string) ([]ast.Node, bool) {
	switch s := unwrap(n).(type) {
	case *ast.SequenceNode:
		out := make([]ast.Node, 0, len(s.Values))
		for _, v := range s.Values {
			if _, alias := unwrap(v).(*ast.AliasNode); alias {
				d.errorf(v, path, "aliases are not supported in golden sets")
				return nil, false
			}
			out = append(out, unwrap(v))
		}
		return out, true
	case nil, *ast.NullNode:
		return nil, true
	}
	d.errorf(n, path, "must be a list, got %s", describe(n))
	return nil, false
}

// scalar returns the source text of a scalar node, "" for others.
func scalar(n ast.Node) string {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		return v.Value.Value
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return v.GetToken().Value
	}
	return ""
}

func isScalar(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return true
	}
	return false
}

// describe says what a node is, for "got ..." in messages.
func describe(n ast.Node) string {
	switch v := unwrap(n).(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.AliasNode:
		return "an alias"
	default:
		return "a YAML " + v.Type().String()
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// text reads a string field: any scalar, as written.
func (d *setDecoder) text(kv keyValue, path string) string {
	if !isScalar(kv.value) {
		d.errorf(kv.value, path, "must be a string, got %s", describe(kv.value))
		return ""
	}
	return scalar(kv.value)
}

// number reads a numeric field.
func (d *setDecoder) number(kv keyValue, path string) (float64, bool) {
	switch kv.value.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.StringNode:
		v, err := strconv.ParseFloat(strings.ReplaceAll(scalar(kv.value), "_", ""), 64)
		if err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
			return v, true
		}
	}
	d.errorf(kv.value, path, "must be a number, got %s", describe(kv.value))
	return 0, false
}

// boolean reads a true/false field.
func (d *setDecoder) boolean(kv keyValue, path string) (bool, bool) {
	if b, ok := kv.value.(*ast.BoolNode); ok {
		return b.Value, true
	}
	d.errorf(kv.value, path, "must be true or false, got %s", describe(kv.value))
	return false, false
}

// strings reads a list of strings, or one string as a list of one.
func (d *setDecoder) strings(kv keyValue, path string) []string {
	if isScalar(kv.value) {
		return []string{scalar(kv.value)}
	}
	elems, ok := d.sequence(kv.value, path)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(elems))
	for i, e := range elems {
		if !isScalar(e) {
			d.errorf(e, fmt.Sprintf("%s[%d]", path, i), "must be a string, got %s", describe(e))
			continue
		}
		out = append(out, scalar(e))
	}
	return out
}

// toJSON converts a YAML value to JSON: mappings to objects (string keys
// only), lists to arrays, scalars to strings, numbers, booleans or null.
func (d *setDecoder) toJSON(n ast.Node, path string, depth int) (any, bool) {
	if depth > maxNodeDepth {
		d.errorf(n, path, "nests deeper than %d levels", maxNodeDepth)
		return nil, false
	}
	switch v := unwrap(n).(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.StringNode, *ast.LiteralNode:
		return scalar(v), true
	case *ast.BoolNode:
		return v.Value, true
	case *ast.IntegerNode, *ast.FloatNode:
		f, err := strconv.ParseFloat(strings.ReplaceAll(scalar(v), "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			d.errorf(v, path, "number %s is not a JSON number", scalar(v))
			return nil, false
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), true
	case *ast.SequenceNode:
		elems, ok := d.sequence(v, path)
		out := make([]any, 0, len(elems))
		for i, e := range elems {
			j, eok := d.toJSON(e, fmt.Sprintf("%s[%d]", path, i), depth+1)
			ok = ok && eok
			out = append(out, j)
		}
		return out, ok
	case *ast.MappingNode, *ast.MappingValueNode:
		kvs, ok := d.mapping(v, path)
		out := make(map[string]any, len(kvs))
		for _, kv := range kvs {
			j, eok := d.toJSON(kv.value, join(path, kv.key), depth+1)
			ok = ok && eok
			out[kv.key] = j
		}
		return out, ok
	}
	d.errorf(n, path, "is %s, which JSON cannot hold", describe(n))
	return nil, false
}
