package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// text returns the value of a scalar entry, with ${VAR} expanded in
// strings. It reports false, without an error, when the value is unset;
// want names the expected type for the error about a mapping or list.
func (d *decoder) text(e entry, want string) (string, bool) {
	switch n := e.node.(type) {
	case nil, *ast.NullNode:
		return "", false
	case *ast.StringNode, *ast.LiteralNode:
		s, problem, hint := expand(scalarText(n), d.getenv)
		if problem != "" {
			d.fail(e.path, n, problem, hint)
			return "", false
		}
		if s != "" && s != scalarText(n) {
			d.expanded[e.path] = expansion{value: s, ref: got(e, s)}
		}
		return s, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return scalarText(n), true
	}
	d.fail(e.path, e.node, fmt.Sprintf("must be %s, got %s", want, describe(e.node, "")),
		"write a single value; quote it if it contains : # [ ] { } or ,")
	return "", false
}

func (d *decoder) str(e entry, dst *string) {
	if s, ok := d.text(e, "a string"); ok {
		*dst = s
	}
}

// integer decodes a whole number into dst; positive requires it > 0.
func (d *decoder) integer(e entry, dst *int64, positive bool, hint string) {
	s, ok := d.text(e, "an integer")
	if !ok {
		return
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
	switch {
	case err != nil:
		d.fail(e.path, e.node, "must be an integer, got "+got(e, s), hint)
	case positive && v <= 0:
		d.fail(e.path, e.node, fmt.Sprintf("must be > 0, got %d", v), hint+"; omit it for the default")
	default:
		*dst = v
	}
}

func (d *decoder) intField(e entry, dst *int, hint string) {
	var v int64
	d.integer(e, &v, false, hint)
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail(e.path, e.node, fmt.Sprintf("%d is out of range", v), hint)
		return
	}
	*dst = int(v)
}

func (d *decoder) number(e entry, dst *float64, hint string) {
	s, ok := d.text(e, "a number")
	if !ok {
		return
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		d.fail(e.path, e.node, "must be a number, got "+got(e, s), hint)
		return
	}
	*dst = v
}

// duration decodes a Go duration ("30s"); positive requires it > 0.
func (d *decoder) duration(e entry, dst *time.Duration, positive bool) {
	const hint = `a Go duration with a unit: ms, s, m or h, e.g. "30s", "1m30s", "10m"`
	s, ok := d.text(e, "a duration")
	if !ok {
		return
	}
	v, err := time.ParseDuration(s)
	switch {
	case err != nil:
		d.fail(e.path, e.node, "must be a duration, got "+got(e, s), hint)
	case positive && v <= 0:
		d.fail(e.path, e.node, "must be > 0, got "+s, hint+"; omit it for the default")
	default:
		*dst = v
	}
}

// list returns the elements of a list entry, each as an entry "path[i]".
func (d *decoder) list(e entry, example string) []entry {
	switch n := e.node.(type) {
	case nil, *ast.NullNode:
		return nil
	case *ast.SequenceNode:
		out := make([]entry, len(n.Values))
		for i, v := range n.Values {
			v = d.resolve(v)
			p := fmt.Sprintf("%s[%d]", e.path, i)
			d.pos[p] = startOf(v)
			out[i] = entry{path: p, key: strconv.Itoa(i), keyNode: v, node: v}
		}
		return out
	}
	// The value is not quoted: auth.keys: ${KEY} would show the key.
	d.fail(e.path, e.node, "must be a list, got "+describe(e.node, ""), "e.g. "+example)
	return nil
}

func (d *decoder) strList(e entry, example string) []string {
	var out []string
	for _, el := range d.list(e, example) {
		var s string
		d.str(el, &s)
		out = append(out, s)
	}
	return out
}

// strMap decodes a mapping of strings, e.g. headers.
func (d *decoder) strMap(e entry) map[string]string {
	entries, ok := d.mapping(e.node, e.path)
	if !ok || len(entries) == 0 {
		return nil
	}
	out := make(map[string]string, len(entries))
	for _, el := range entries {
		var s string
		d.str(el, &s)
		out[el.key] = s
	}
	return out
}

// got describes the value s of e for "got ..." in a message. A value that
// came from ${VAR} is not quoted, since a variable may hold a secret put in
// the wrong field: the message quotes the reference instead.
func got(e entry, s string) string {
	raw := scalarText(e.node)
	if raw == s {
		return describe(e.node, s)
	}
	const maxLen = 40
	if len(raw) > maxLen {
		raw = raw[:maxLen] + "…"
	}
	return fmt.Sprintf("the value of %q", raw)
}

// redact replaces, in a validation error about a value that came from
// ${VAR}, the quoted value by a reference to the variable. Validation sees
// only values, and a variable may hold a secret put in the wrong field
// (kind: ${OPENAI_API_KEY}).
func (d *decoder) redact(e *FieldError) {
	x, ok := d.expanded[e.Path]
	if !ok {
		return
	}
	q := strconv.Quote(x.value)
	e.Problem = strings.ReplaceAll(e.Problem, q, x.ref)
	e.Hint = strings.ReplaceAll(e.Hint, q, x.ref)
}
