package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// This file finds the secrets of a configuration's text: API keys, client
// and admin keys, header values, the store's DSN, Redis's password and the
// stored responses' encryption keys.
// The admin API shows and stores a configuration with each secret either
// the ${VAR} reference it was written as or masked (MaskSecrets), and
// applies a text holding masks by keeping, at each masked place, the
// running configuration's value (ParseOptions.Keep).

// Mask stands for a secret written literally in a configuration's text.
const Mask = "********"

// Secrets are the secrets of a configuration's text as written (a literal,
// or ${VAR} references), by place: the field's path (positions in lists
// included) and, for an element of a list of mappings (a key entry, an
// endpoint), the element's other fields, so that a mask moved to another
// entry matches nothing.
type Secrets map[string]string

// secretRef is one secret field of a text.
type secretRef struct {
	key  string // path + "\x00" + the holding element's identity
	path string
	pos  position
	raw  string // as written, before ${VAR} expansion
	// literal reports a value that is not only ${VAR} references: it
	// holds the secret itself, which MaskSecrets masks.
	literal bool
	// str reports a string node (a number or boolean is not).
	str bool
}

// onlyRefs matches a value made only of ${VAR} references, without
// defaults (a default is literal text).
var onlyRefs = regexp.MustCompile(`^(\$\{[A-Za-z_][A-Za-z0-9_]*\})+$`)

func secretKey(path, owner string) string { return path + "\x00" + owner }

// secretStr decodes the secret string at e into dst. A value equal to
// Mask takes the kept value of its place (ParseOptions.Keep), or is an
// error.
func (d *decoder) secretStr(e entry, owner string, dst *string) {
	n, ok := e.node.(ast.ScalarNode)
	if !ok || isNull(e.node) {
		d.str(e, dst) // unset, or not a scalar: str reports it
		return
	}
	key := secretKey(e.path, owner)
	raw := scalarText(n)
	if raw == Mask {
		kept, ok := d.keep[key]
		switch {
		case ok:
			raw = kept
		case d.maskOK: // scanning a text: the mask stays
		default:
			d.fail(e.path, e.node, fmt.Sprintf("is masked (%q), and the running configuration has no secret at this place to keep", Mask),
				"write the secret, or a ${VAR} reference to it; a mask keeps the running value of the same field (of a list entry whose other fields are the same)")
			return
		}
	}
	_, isStr := e.node.(*ast.StringNode)
	_, isLit := e.node.(*ast.LiteralNode)
	d.secrets = append(d.secrets, secretRef{key: key, path: e.path, pos: posOf(e.node), raw: raw,
		literal: raw != "" && raw != Mask && !onlyRefs.MatchString(raw), str: isStr || isLit})
	s, problem, hint := expand(raw, d.getenv)
	if problem != "" {
		d.fail(e.path, e.node, problem, hint)
		return
	}
	if s != "" && s != raw {
		d.expanded[e.path] = expansion{value: s, ref: fmt.Sprintf("the value of %q", cutRef(raw))}
	}
	*dst = s
}

// cutRef shortens a reference quoted in a message.
func cutRef(raw string) string {
	if len(raw) > 40 {
		return raw[:40] + "…"
	}
	return raw
}

// secretList decodes a list of secret strings (a pool's api_keys).
func (d *decoder) secretList(e entry, example string) []string {
	var out []string
	for _, el := range d.list(e, example) {
		var s string
		d.secretStr(el, "", &s)
		out = append(out, s)
	}
	return out
}

// secretMap decodes a mapping of secret strings (headers).
func (d *decoder) secretMap(e entry) map[string]string {
	entries, ok := d.mapping(e.node, e.path)
	if !ok || len(entries) == 0 {
		return nil
	}
	out := make(map[string]string, len(entries))
	for _, el := range entries {
		var s string
		d.secretStr(el, "", &s)
		out[el.key] = s
	}
	return out
}

// identity describes the mapping at n by its fields but except, as
// written: what tells one entry of a list from another.
func (d *decoder) identity(n ast.Node, except string) string {
	return d.identityOf(n, func(field string) bool { return field != except })
}

// keyOwner reports whether a client key entry's field says whose key it
// is (its name and tenant): a mask keeps the running key of the entry at
// the same place with the same owner, whatever its access and limits
// (which PUT /admin/config may then change without the key).
func keyOwner(field string) bool { return field == "name" || field == "tenant" }

// identityOf describes the mapping at n by the fields that in reports,
// as written.
func (d *decoder) identityOf(n ast.Node, in func(field string) bool) string {
	var values []*ast.MappingValueNode
	switch m := d.resolve(n).(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	}
	var parts []string
	for _, mv := range values {
		k := scalarText(d.resolve(mv.Key))
		if mv.Key == nil || !in(k) {
			continue
		}
		var v string
		switch x := d.resolve(mv.Value).(type) {
		case *ast.SequenceNode:
			items := make([]string, len(x.Values))
			for i, it := range x.Values {
				items[i] = scalarText(d.resolve(it))
			}
			v = "[" + strings.Join(items, ",") + "]"
		default:
			v = scalarText(x)
		}
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, ";")
}

// scanSecrets decodes data, without validating it or needing its
// variables, and returns its secret fields in the order met.
func scanSecrets(data []byte) ([]secretRef, error) {
	f, serr := parseYAML(data)
	if serr != nil {
		return nil, Errors{serr}
	}
	d := newDecoder(func(string) (string, bool) { return "x", true })
	d.maskOK = true
	if body := d.body(f); body != nil {
		d.collectAnchors(body)
		d.root(body, &Config{})
	}
	return d.secrets, nil
}

// Changed lists the fields whose secret differs between s and o (added,
// removed or written otherwise), sorted; never a value.
func (s Secrets) Changed(o Secrets) []string {
	var out []string
	for k, v := range s {
		if w, ok := o[k]; !ok || w != v {
			out = append(out, secretPathOf(k))
		}
	}
	for k := range o {
		if _, ok := s[k]; !ok {
			out = append(out, secretPathOf(k))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// secretPathOf is the field path of a Secrets key.
func secretPathOf(key string) string {
	path, _, _ := strings.Cut(key, "\x00")
	return path
}

// SecretValues lists c's credentials, as used (${VAR} expanded): provider
// keys (pools and endpoints included) and header values, client and admin
// keys, the store's DSN, Redis's password, the stored responses'
// encryption keys and the trace exporter's header values. Empty ones are
// left out.
func (c *Config) SecretValues() []string {
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	for _, name := range c.ProviderNames() {
		p := c.Providers[name]
		add(p.APIKey)
		add(p.APIKeys...)
		for _, e := range p.Endpoints {
			add(e.APIKey)
		}
		for _, v := range p.Headers {
			add(v)
		}
	}
	for _, k := range c.Auth.Keys {
		add(k.Key)
	}
	for _, k := range c.Auth.AdminKeys {
		add(k.Key)
	}
	add(c.Store.DSN, c.State.Password)
	add(c.Responses.Encryption.Key)
	add(c.Responses.Encryption.PreviousKeys...)
	for _, v := range c.Telemetry.Traces.Headers {
		add(v)
	}
	return out
}
