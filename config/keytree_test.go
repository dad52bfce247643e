package config

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The accepted key tree, walked through the decoder itself: a document is
// decoded with d.seen set, which names the fields of every mapping met;
// each field not yet placed is then given a mapping ({zz: {}}) in one
// probe and a list of one mapping ([{}]) in another, and what the decoder
// does with them says whether it is an object, a mapping from names to
// objects, a list of objects or a scalar. The walk repeats until every
// field is placed.

// keyShape is what a field's value is.
type keyShape int

const (
	shapeUnknown keyShape = iota
	shapeScalar
	shapeObject // fields at path
	shapeNamed  // a mapping from any name to an object at path.*
	shapeList   // a list of objects at path[]
)

// probeName is the name given to every entry of a mapping from names.
const probeName = "zz"

var listIndex = regexp.MustCompile(`\[\d+\]`)

// normPath writes a decoder path in the walk's form: list indexes as []
// and the probe's names as *.
func normPath(p string) string {
	p = listIndex.ReplaceAllString(p, "[]")
	segs := strings.Split(p, ".")
	for i, s := range segs {
		if s == probeName {
			segs[i] = "*"
		} else if strings.HasPrefix(s, probeName+"[") {
			segs[i] = "*" + s[len(probeName):]
		}
	}
	return strings.Join(segs, ".")
}

type keyTree struct {
	objects map[string][]string // object path → its field names
	shapes  map[string]keyShape // field path → its value's shape
}

func (k *keyTree) see(path string, names []string) {
	p := normPath(path)
	for _, n := range names {
		if !slices.Contains(k.objects[p], n) {
			k.objects[p] = append(k.objects[p], n)
		}
	}
	if _, ok := k.objects[p]; !ok {
		k.objects[p] = []string{}
	}
}

// render writes the object at path as YAML flow, each unplaced field as
// probe.
func (k *keyTree) render(b *strings.Builder, path, probe string) {
	b.WriteString("{")
	sep := ""
	for _, f := range k.objects[path] {
		b.WriteString(sep)
		sep = ", "
		fp := joinKey(path, f)
		b.WriteString(f + ": ")
		switch k.shapes[fp] {
		case shapeUnknown:
			b.WriteString(probe)
		case shapeObject:
			k.render(b, fp, probe)
		case shapeNamed:
			b.WriteString("{" + probeName + ": ")
			k.render(b, fp+".*", probe)
			b.WriteString("}")
		case shapeList:
			b.WriteString("[")
			k.render(b, fp+"[]", probe)
			b.WriteString("]")
		default:
			b.WriteString("null")
		}
	}
	b.WriteString("}")
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (k *keyTree) decode(t *testing.T, probe string) {
	var b strings.Builder
	k.render(&b, "", probe)
	f, err := parseYAML([]byte(b.String()))
	if err != nil {
		t.Fatalf("probe document: %v\n%s", err, b.String())
	}
	d := newDecoder(allKeys)
	d.seen = k.see
	body := d.body(f)
	d.collectAnchors(body)
	d.root(body, &Config{})
}

// acceptedKeys walks the keys Parse accepts. It returns every field's
// path ("server.addr", "providers.*.endpoints[].weight", "server.realtime")
// with whether its value is a scalar, a leaf of the tree.
func acceptedKeys(t *testing.T) map[string]bool {
	k := &keyTree{objects: map[string][]string{}, shapes: map[string]keyShape{}}
	k.decode(t, "null")
	for round := 0; ; round++ {
		if round > 20 {
			t.Fatal("the key tree does not settle")
		}
		var probed []string
		for obj, fields := range k.objects {
			for _, f := range fields {
				if fp := joinKey(obj, f); k.shapes[fp] == shapeUnknown {
					probed = append(probed, fp)
				}
			}
		}
		if len(probed) == 0 {
			break
		}
		k.decode(t, "{"+probeName+": {}}")
		k.decode(t, "[{}]")
		for _, fp := range probed {
			k.shapes[fp] = k.shapeOf(fp)
		}
	}
	out := map[string]bool{}
	for fp, s := range k.shapes {
		out[fp] = s == shapeScalar
	}
	return out
}

// shapeOf says what the probes found at the field path fp.
func (k *keyTree) shapeOf(fp string) keyShape {
	if _, ok := k.objects[fp]; ok {
		return shapeObject
	}
	if _, ok := k.objects[fp+".*"]; ok {
		return shapeNamed
	}
	if _, ok := k.objects[fp+"[]"]; ok {
		return shapeList
	}
	return shapeScalar
}

// TestAcceptedKeysWalk checks the walk itself: it finds fields at every
// depth and of every shape, so that a broken walk cannot pass the
// documentation test by finding nothing.
func TestAcceptedKeysWalk(t *testing.T) {
	keys := acceptedKeys(t)
	for path, leaf := range map[string]bool{
		"server.addr":                        true,
		"server.realtime":                    false,
		"server.realtime.keepalive":          true,
		"auth.keys[].tenant":                 true,
		"providers.*.endpoints[].weight":     true,
		"routes.*.categories.*.strategy":     true,
		"routes.*.rules[].when.has_code":     true,
		"resilience.health.breaker.open_for": true,
	} {
		got, ok := keys[path]
		if !ok || got != leaf {
			t.Errorf("%s: found %v, leaf %v; want found, leaf %v", path, ok, got, leaf)
		}
	}
	if len(keys) < 250 {
		t.Errorf("the walk found %d fields; the decoder accepts more than 250", len(keys))
	}
}
