package main

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"switchyard/config"
	"switchyard/drift"
	simserver "switchyard/sim/server"
)

// TestDocYAMLExamples: every ```yaml block of README.md and docs/*.md
// that is a configuration, whole or a part, is accepted by the real
// parser and validator. A whole configuration (one with providers) is
// parsed as it is; a part is merged into the example configuration
// (config.Example): its providers, deployments and routes are added to
// the example's, its other sections replace the example's. A block
// marked "<!-- example: skip (reason) -->" is not checked. Every ${VAR}
// is set.
func TestDocYAMLExamples(t *testing.T) {
	whole, parts, files, other := 0, 0, 0, 0
	for _, b := range docBlocks(t, "yaml", "yml") {
		if b.skipped() {
			continue
		}
		text, err := configOfExample(t, b)
		if err != nil {
			t.Errorf("%s: the block is not YAML: %v", b.where(), err)
			continue
		}
		if text == nil {
			if checked, err := checkOtherYAML(b.text); checked {
				files++
				if err != nil {
					t.Errorf("%s: the example is refused:\n%v", b.where(), err)
				}
			} else {
				other++
			}
			continue
		}
		if string(text) == b.text {
			whole++
		} else {
			parts++
		}
		if _, err := config.Parse(text, dummyEnv); err != nil {
			t.Errorf("%s: the example is refused:\n%v", b.where(), err)
		}
	}
	t.Logf("YAML examples: %d whole configurations and %d parts checked by the configuration's parser; %d drift sets and simulator files by theirs; %d other blocks (compose, Kubernetes) parsed as YAML",
		whole, parts, files, other)
}

// checkOtherYAML checks a YAML block that is no router configuration
// with its own parser: a golden set (name and prompts: drift.ParseSet)
// or a simulator behavior file (models, knowledge, workload or seed:
// simserver.ParseConfig). checked is false for anything else.
func checkOtherYAML(text string) (checked bool, err error) {
	m, err := orderedMap([]byte(text))
	if err != nil {
		return false, nil
	}
	switch {
	case hasKey(m, "prompts"):
		_, err := drift.ParseSet([]byte(text), "set.yaml")
		return true, err
	case hasKey(m, "models") || hasKey(m, "knowledge") || hasKey(m, "workload"):
		_, err := simserver.ParseConfig([]byte(text))
		return true, err
	}
	return false, nil
}

// dummyEnv sets every variable, to a value that fits its name.
func dummyEnv(name string) (string, bool) {
	switch {
	case strings.Contains(name, "DSN") || strings.Contains(name, "DATABASE_URL"):
		return "postgres://user@127.0.0.1:5432/test", true
	case strings.Contains(name, "REDIS"):
		return "redis://127.0.0.1:6379/0", true
	case strings.HasSuffix(name, "_URL") || strings.HasSuffix(name, "_ENDPOINT"):
		return "http://localhost:8000/v1", true
	case strings.Contains(name, "RESPONSES_KEY"):
		sum := sha256.Sum256([]byte(name))
		return base64.StdEncoding.EncodeToString(sum[:]), true
	}
	return "dummy-" + strings.ToLower(name), true
}

// configSections are the configuration's top-level sections (config's
// decoder.root); a block with none of them is not a configuration.
var configSections = map[string]bool{
	"server": true, "auth": true, "providers": true, "deployments": true, "routes": true,
	"resilience": true, "store": true, "state": true, "budgets": true, "telemetry": true,
	"learn": true, "security": true, "drift": true, "tenants": true, "audit": true,
	"notify": true, "responses": true, "batches": true, "cost": true, "thinking": true, "guard": true,
}

// mergedSections are the sections whose entries a part adds to the
// example configuration's instead of replacing them.
var mergedSections = map[string]bool{"providers": true, "deployments": true, "routes": true}

// envRef is a ${VAR} reference, hidden from the generic YAML parser
// (the configuration's own accepts it unquoted in a flow sequence).
var envRef = regexp.MustCompile(`\$\{[^}]*\}`)

// configOfExample returns the configuration a block stands for, or nil
// when it is YAML of something else (a compose file, a drift set).
func configOfExample(t *testing.T, b docBlock) ([]byte, error) {
	var refs []string
	hidden := envRef.ReplaceAllStringFunc(b.text, func(ref string) string {
		refs = append(refs, ref)
		return fmt.Sprintf("ENVREF%dFERVNE", len(refs)-1)
	})
	part, err := orderedMap([]byte(hidden))
	if err != nil {
		return nil, err
	}
	if !isConfig(part) {
		return nil, nil
	}
	if hasKey(part, "providers") && hasKey(part, "deployments") {
		return []byte(b.text), nil
	}
	base := docsBase(t)
	for _, item := range part {
		key, _ := item.Key.(string)
		add, isMap := item.Value.(yaml.MapSlice)
		if i := indexKey(base, key); i >= 0 && mergedSections[key] && isMap {
			old, _ := base[i].Value.(yaml.MapSlice)
			base[i].Value = mergeEntries(old, add)
		} else if i >= 0 {
			base[i].Value = item.Value
		} else {
			base = append(base, item)
		}
	}
	out, err := yaml.Marshal(base)
	if err != nil {
		return nil, err
	}
	return []byte(restoreRefs(string(out), refs)), nil
}

func restoreRefs(s string, refs []string) string {
	for i, ref := range refs {
		s = strings.ReplaceAll(s, fmt.Sprintf("ENVREF%dFERVNE", i), ref)
	}
	return s
}

// isConfig reports whether one of a block's top-level keys is a
// configuration section (the others are then checked as such).
func isConfig(m yaml.MapSlice) bool {
	for _, item := range m {
		if k, _ := item.Key.(string); configSections[k] {
			return true
		}
	}
	return false
}

// docsBase is the example configuration with the names of
// testdata/docs_names.yaml added.
func docsBase(t *testing.T) yaml.MapSlice {
	base, err := orderedMap(config.Example())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/docs_names.yaml")
	if err != nil {
		t.Fatal(err)
	}
	names, err := orderedMap(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range names {
		i := indexKey(base, item.Key.(string))
		old, _ := base[i].Value.(yaml.MapSlice)
		base[i].Value = append(old, item.Value.(yaml.MapSlice)...)
	}
	return base
}

func orderedMap(data []byte) (yaml.MapSlice, error) {
	var m yaml.MapSlice
	err := yaml.UnmarshalWithOptions(data, &m, yaml.UseOrderedMap())
	return m, err
}

// mergeEntries adds a part's entries (deployments, routes…) to the
// base's. An entry that defines itself (a route's deployments, a
// deployment's or provider's provider or kind) replaces the base's; one
// that sets a few fields (a route's hedge) is merged into it.
func mergeEntries(base, add yaml.MapSlice) yaml.MapSlice {
	for _, item := range add {
		i := indexKey(base, item.Key.(string))
		if i < 0 {
			base = append(base, item)
			continue
		}
		old, ok1 := base[i].Value.(yaml.MapSlice)
		fields, ok2 := item.Value.(yaml.MapSlice)
		if !ok1 || !ok2 || hasKey(fields, "deployments") || hasKey(fields, "provider") || hasKey(fields, "kind") {
			base[i] = item
			continue
		}
		merged := append(yaml.MapSlice(nil), old...)
		for _, f := range fields {
			if j := indexKey(merged, f.Key.(string)); j >= 0 {
				merged[j] = f
			} else {
				merged = append(merged, f)
			}
		}
		base[i].Value = merged
	}
	return base
}

func hasKey(m yaml.MapSlice, key string) bool { return indexKey(m, key) >= 0 }

func indexKey(m yaml.MapSlice, key string) int {
	for i, item := range m {
		if k, _ := item.Key.(string); k == key {
			return i
		}
	}
	return -1
}
