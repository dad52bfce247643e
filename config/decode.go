package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// decoder turns the YAML AST into a Config, checking types and keys and
// remembering where each field is so later errors can point at it. It
// collects errors instead of stopping at the first.
type decoder struct {
	getenv  func(string) (string, bool)
	anchors map[string]ast.Node
	// pos maps a field path to its node's position: the value for a
	// scalar, the key for a mapping, list or empty value.
	pos map[string]position
	// failed holds the paths that already have an error, so validation
	// does not report a consequence (a zero value) of the same mistake.
	failed []string
	errs   Errors
	depth  int
	// merges counts mappings merged in with <<, bounded by maxMerges so
	// that nested merges of lists of aliases cannot blow up.
	merges int
	// expanded maps the path of each value that ${VAR} changed to the
	// value and how to refer to it without showing it (see redact).
	expanded map[string]expansion
	// keep holds the values masked secrets stand for (ParseOptions.Keep);
	// secrets lists the secret fields met (see secrets.go).
	keep    Secrets
	secrets []secretRef
	// maskOK lets a masked value without a kept one decode as the mask
	// (scanning a text, not applying it).
	maskOK bool
	// seen, when not nil, is told the path of every mapping decoded with
	// known fields, and their names (a test walks the accepted keys).
	seen func(path string, names []string)
}

type expansion struct{ value, ref string }

type position struct{ line, col int }

// entry is one key of a mapping, with its value resolved through anchors,
// aliases and tags. A nil or *ast.NullNode node means the value is unset.
type entry struct {
	path    string
	key     string
	keyNode ast.Node
	node    ast.Node
}

// field is one known key of an object and how to decode its value.
type field struct {
	name string
	set  func(entry)
}

// maxDepth bounds merge-key nesting, which anchors could make cyclic.
const maxDepth = 32

const mappingHint = "indent its fields below it as key: value lines, or write {key: value, ...}"

// maxMerges bounds the mappings merged with << in one file.
const maxMerges = 10000

func newDecoder(getenv func(string) (string, bool)) *decoder {
	return &decoder{getenv: getenv, anchors: map[string]ast.Node{}, pos: map[string]position{}, expanded: map[string]expansion{}}
}

func posOf(n ast.Node) position {
	if n == nil {
		return position{}
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return position{tk.Position.Line, tk.Position.Column}
	}
	return position{}
}

// startOf is where a list element starts: for a block mapping, its first
// key rather than the first colon.
func startOf(n ast.Node) position {
	switch m := n.(type) {
	case *ast.MappingNode:
		if !m.IsFlowStyle && len(m.Values) > 0 {
			return posOf(m.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return posOf(m.Key)
	}
	return posOf(n)
}

// report records an error at node n.
func (d *decoder) report(path string, n ast.Node, problem, hint string) {
	p := posOf(n)
	d.errs = append(d.errs, &FieldError{Path: path, Line: p.line, Column: p.col, Problem: problem, Hint: hint})
}

// fail records an error about the value at path, and marks the path so
// validation stays quiet about it.
func (d *decoder) fail(path string, n ast.Node, problem, hint string) {
	d.report(path, n, problem, hint)
	d.failed = append(d.failed, path)
}

// covered reports whether path is, or is inside, a path that failed to decode.
func (d *decoder) covered(path string) bool {
	for _, f := range d.failed {
		if f == "" || path == f || strings.HasPrefix(path, f+".") || strings.HasPrefix(path, f+"[") {
			return true
		}
	}
	return false
}

// locate returns the position of path, or of its nearest recorded parent.
func (d *decoder) locate(path string) position {
	for path != "" {
		if p, ok := d.pos[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return position{}
}

// collectAnchors records every anchor's value, so aliases can be resolved.
func (d *decoder) collectAnchors(n ast.Node) {
	ast.Walk(visitor(func(n ast.Node) {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil {
			d.anchors[a.Name.GetToken().Value] = a.Value
		}
	}), n)
}

type visitor func(ast.Node)

func (v visitor) Visit(n ast.Node) ast.Visitor { v(n); return v }

// resolve looks through anchors, aliases and tags to the value node.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range maxDepth {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			if v.Value == nil {
				return n
			}
			target, ok := d.anchors[v.Value.GetToken().Value]
			if !ok {
				return n
			}
			n = target
		default:
			return n
		}
	}
	return n
}

func isNull(n ast.Node) bool {
	_, null := n.(*ast.NullNode)
	return n == nil || null
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describe says what a node is, for "got ..." in messages. text is the
// value to quote; "" names only the type (for values that may be secret).
func describe(n ast.Node, text string) string {
	const maxLen = 40
	if len(text) > maxLen {
		text = text[:maxLen] + "…"
	}
	var kind, shown string
	switch n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.StringNode, *ast.LiteralNode:
		kind, shown = "a string", fmt.Sprintf("string %q", text)
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		kind, shown = "a number", "number "+text
	case *ast.BoolNode:
		kind, shown = "a boolean", "boolean "+text
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	default:
		return "a YAML " + n.Type().String()
	}
	if text == "" {
		return kind
	}
	return shown
}

// mapping returns the entries of the mapping at n and records their
// positions. It reports whether n is a mapping (an unset value counts as an
// empty one).
func (d *decoder) mapping(n ast.Node, path string) ([]entry, bool) {
	entries, ok := d.rawEntries(n, path)
	for _, e := range entries {
		p := posOf(e.keyNode)
		switch e.node.(type) {
		case nil, *ast.NullNode, *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
		default:
			p = posOf(e.node)
		}
		d.pos[e.path] = p
	}
	return entries, ok
}

// rawEntries lists a mapping's entries, applying merge keys (<<) and
// reporting duplicate and non-string keys.
func (d *decoder) rawEntries(n ast.Node, path string) ([]entry, bool) {
	if d.depth >= maxDepth {
		d.fail(path, n, "merge keys (<<) nest too deep", "check the anchors for a cycle")
		return nil, false
	}
	d.depth++
	defer func() { d.depth-- }()
	n = d.resolve(n)
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		// The value is not quoted: it may be a secret put in the wrong place.
		d.fail(path, n, "must be a mapping (key: value), got "+describe(n, ""), mappingHint)
		return nil, false
	}
	var out, merged []entry
	seen := map[string]ast.Node{}
	for _, mv := range values {
		if mv.Key != nil && mv.Key.IsMergeKey() {
			merged = append(merged, d.merge(mv.Value, path)...)
			continue
		}
		key, ok := d.keyText(mv.Key, path)
		if !ok {
			continue
		}
		p := join(path, key)
		if first, dup := seen[key]; dup {
			d.report(p, mv.Key, fmt.Sprintf("duplicate key %q, first defined at line %d", key, posOf(first).line), "remove or rename one of them")
			continue
		}
		seen[key] = mv.Key
		out = append(out, entry{path: p, key: key, keyNode: mv.Key, node: d.resolve(mv.Value)})
	}
	for _, e := range merged {
		if _, dup := seen[e.key]; !dup {
			seen[e.key] = e.keyNode
			out = append(out, e)
		}
	}
	return out, true
}

// merge returns the entries a merge key brings in: from one mapping, or from
// a list of mappings where earlier ones win.
func (d *decoder) merge(n ast.Node, path string) []entry {
	n = d.resolve(n)
	sources := []ast.Node{n}
	if seq, ok := n.(*ast.SequenceNode); ok {
		sources = seq.Values
	}
	var out []entry
	for _, v := range sources {
		if d.merges++; d.merges > maxMerges {
			if d.merges == maxMerges+1 {
				d.fail(path, n, "too many merge keys (<<)", fmt.Sprintf("at most %d merges per file", maxMerges))
			}
			return out
		}
		entries, _ := d.rawEntries(v, path)
		out = append(out, entries...)
	}
	return out
}

// keyText returns a mapping key as a string; keys must be scalars.
func (d *decoder) keyText(k ast.Node, path string) (string, bool) {
	switch v := d.resolve(k).(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NullNode, *ast.InfinityNode, *ast.NanNode:
		return v.GetToken().Value, true
	}
	d.report(path, k, "keys must be plain strings", "write the key as text before the colon")
	return "", false
}

// scalarText returns the source text of a scalar node, "" for others.
func scalarText(n ast.Node) string {
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

// object decodes the mapping at n with the given fields; other keys are
// reported as unknown.
func (d *decoder) object(n ast.Node, path string, fields []field) {
	d.saw(path, fields)
	entries, _ := d.mapping(n, path)
	for _, e := range entries {
		i := slices.IndexFunc(fields, func(f field) bool { return f.name == e.key })
		if i < 0 {
			d.unknown(path, e, fields)
			continue
		}
		fields[i].set(e)
	}
}

// saw tells d.seen, when set, the fields of the mapping at path.
func (d *decoder) saw(path string, fields []field) {
	if d.seen == nil {
		return
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	d.seen(path, names)
}

func (d *decoder) unknown(path string, e entry, fields []field) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	d.report(path, e.keyNode, fmt.Sprintf("unknown field %q", e.key), choices(e.key, "allowed", names))
}
