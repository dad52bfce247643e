package config

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// MaskSecrets returns data, a configuration's text, with every secret
// written literally (an API key, a client or admin key, a header value,
// the store's DSN, Redis's password; see Secrets) replaced by Mask. A
// secret written as ${VAR} references only is kept as it is. With nothing
// to mask it returns data itself; otherwise the text is printed anew
// (comments kept, spacing normalized) and checked to decode to the same
// configuration but for the masks. It fails when data is not YAML, or
// when the masked text would not decode the same (the error then names
// the field, never a value).
func MaskSecrets(data []byte) ([]byte, error) {
	refs, err := scanSecrets(data)
	if err != nil {
		return nil, err
	}
	want := map[position]string{}
	for _, r := range refs {
		if r.literal {
			want[r.pos] = r.path
		}
	}
	if len(want) == 0 {
		return data, nil
	}
	f, err := parser.ParseBytes(data, parser.ParseComments, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, errors.New("config: mask secrets: the text does not parse with its comments")
	}
	done := map[position]bool{}
	for _, doc := range f.Docs {
		doc.Body = maskNodes(doc.Body, want, done)
	}
	for pos, path := range want {
		if !done[pos] {
			return nil, fmt.Errorf("config: mask secrets: %s: the value could not be masked; write it as a ${VAR} reference", path)
		}
	}
	out := []byte(f.String())
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	if err := sameButMasks(data, out, refs); err != nil {
		return nil, err
	}
	return out, nil
}

// maskNodes returns n with every scalar at a position of want replaced
// by a quoted Mask, and marks those positions done.
func maskNodes(n ast.Node, want map[position]string, done map[position]bool) ast.Node {
	switch v := n.(type) {
	case nil:
		return nil
	case *ast.MappingNode:
		for _, mv := range v.Values {
			maskNodes(mv, want, done)
		}
	case *ast.MappingValueNode:
		v.Value = maskNodes(v.Value, want, done)
	case *ast.SequenceNode:
		for i := range v.Values {
			v.Values[i] = maskNodes(v.Values[i], want, done)
		}
	case *ast.AnchorNode:
		v.Value = maskNodes(v.Value, want, done)
	case *ast.TagNode:
		v.Value = maskNodes(v.Value, want, done)
	case ast.ScalarNode:
		p := posOf(n)
		if _, ok := want[p]; ok && !isNull(n) {
			done[p] = true
			return maskedString(n)
		}
	}
	return n
}

// maskedString returns a double-quoted Mask in place of n, with n's
// comment.
func maskedString(n ast.Node) ast.Node {
	tk := n.GetToken()
	pos := *tk.Position
	s := ast.String(token.DoubleQuote(Mask, `"`+Mask+`"`, &pos))
	if c := n.GetComment(); c != nil {
		s.SetComment(c)
	}
	return s
}

// sameButMasks checks that masked, the text MaskSecrets printed from
// data, decodes to the configuration data does when each mask keeps the
// value it hides, and holds no literal secret.
func sameButMasks(data, masked []byte, refs []secretRef) error {
	left, err := scanSecrets(masked)
	if err != nil {
		return errors.New("config: mask secrets: the masked text is not YAML; write the secrets as ${VAR} references")
	}
	for _, r := range left {
		if r.literal {
			return fmt.Errorf("config: mask secrets: %s: still holds its secret once masked; write it as a ${VAR} reference", r.path)
		}
	}
	keep := make(Secrets, len(refs))
	for _, r := range refs {
		keep[r.key] = r.raw
	}
	want, _ := decodeOnly(data, nil)
	got, gotRefs := decodeOnly(masked, keep)
	if got == nil || len(gotRefs) != len(refs) || !reflect.DeepEqual(want, got) {
		return errors.New("config: mask secrets: the masked text does not decode to the same configuration; write the secrets as ${VAR} references")
	}
	return nil
}

// decodeOnly decodes data without validating it, every ${VAR} standing
// for "x", masks keeping their values from keep (or staying masks); nil
// when it has errors.
func decodeOnly(data []byte, keep Secrets) (*Config, []secretRef) {
	f, serr := parseYAML(data)
	if serr != nil {
		return nil, nil
	}
	d := newDecoder(func(string) (string, bool) { return "x", true })
	d.keep, d.maskOK = keep, true
	c := &Config{}
	if body := d.body(f); body != nil {
		d.collectAnchors(body)
		d.root(body, c)
	}
	if len(d.errs) > 0 {
		return nil, d.secrets
	}
	return c, d.secrets
}
