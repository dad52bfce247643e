package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/llm"
)

// applyReport writes the config at src, with the changes of recs applied,
// to dst: its comments and layout are kept, and the result must parse as
// a config. The running router is never touched.
func applyReport(src, dst string, recs []admin.RecommendationView, w io.Writer) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	cfg, err := config.Parse(data, os.LookupEnv)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	file, err := parser.ParseBytes(data, parser.ParseComments)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	applied := 0
	for _, r := range recs {
		for _, c := range r.Changes {
			msg, err := applyChange(file, cfg, c)
			if err != nil {
				return fmt.Errorf("%s: %w", changeString(c), err)
			}
			fmt.Fprintf(w, "%s\n", msg)
			if !strings.HasPrefix(msg, "skipped") {
				applied++
			}
		}
	}
	out := []byte(strings.TrimRight(file.String(), "\n") + "\n")
	if _, err := config.Parse(out, os.LookupEnv); err != nil {
		return fmt.Errorf("the changed config does not parse, nothing written: %w", err)
	}
	mode := os.FileMode(0o600)
	if st, err := os.Stat(src); err == nil {
		mode = st.Mode().Perm()
	}
	if err := os.WriteFile(dst, out, mode); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s: %s with %d change(s); review it, then deploy it as you deploy any config change\n", dst, src, applied)
	return nil
}

// applyChange applies one change to file, using cfg (the same config,
// parsed) for what is already set; it returns what it did.
func applyChange(file *ast.File, cfg *config.Config, c admin.ChangeView) (string, error) {
	if len(c.Path) < 3 || c.Path[0] != "routes" {
		return "", errors.New("not a change of a route")
	}
	route := cfg.Routes[c.Path[1]]
	if route == nil {
		return fmt.Sprintf("skipped %s: the config has no route %q", quoteKey(c.Path), c.Path[1]), nil
	}
	if c.Append {
		return appendRule(file, route, c)
	}
	if len(c.Path) != 5 || c.Path[2] != "categories" || c.Path[4] != "prefer" {
		return "", errors.New("not a category's prefer list")
	}
	prefer := toStrings(c.Value)
	msg := ""
	if cat := route.Categories[llm.Category(c.Path[3])]; cat != nil {
		// The earlier preferences follow, as fallbacks.
		for _, p := range cat.Prefer {
			if !slices.Contains(prefer, p) {
				prefer = append(prefer, p)
			}
		}
		if len(cat.Split) > 0 {
			if err := deleteKey(file, c.Path[:4], "split"); err != nil {
				return "", err
			}
			msg = " (its split removed: a split's pick ranks before prefer)"
		}
	}
	if err := setPath(file, c.Path, prefer); err != nil {
		return "", err
	}
	return fmt.Sprintf("set %s: %s%s", quoteKey(c.Path), flow(prefer), msg), nil
}

// appendRule adds the rule of c to the route's rules, unless a rule of
// its name exists.
func appendRule(file *ast.File, route *config.Route, c admin.ChangeView) (string, error) {
	rule, ok := c.Value.(map[string]any)
	name, _ := rule["name"].(string)
	if !ok || name == "" || len(c.Path) != 3 || c.Path[2] != "rules" {
		return "", errors.New("not a rule of a route")
	}
	for _, r := range route.Rules {
		if r.Name == name {
			return fmt.Sprintf("skipped %s: the route has a rule %q already", quoteKey(c.Path), name), nil
		}
	}
	if len(route.Rules) == 0 {
		return fmt.Sprintf("set %s: [%s]", quoteKey(c.Path), flow(rule)), setPath(file, c.Path, []any{rule})
	}
	p := pathOf(c.Path)
	if err := p.MergeFromReader(file, strings.NewReader("- "+flow(rule)+"\n")); err != nil {
		return "", err
	}
	return fmt.Sprintf("added to %s: %s", quoteKey(c.Path), flow(rule)), nil
}

// setPath sets the value at path, creating the mappings it lacks.
func setPath(file *ast.File, path []string, value any) error {
	i := len(path)
	for ; i > 0; i-- {
		if _, err := pathOf(path[:i]).FilterFile(file); err == nil {
			break
		}
	}
	if i == len(path) {
		return pathOf(path).ReplaceWithReader(file, strings.NewReader(flow(value)+"\n"))
	}
	if i == 0 {
		return errors.New("the config is not a mapping")
	}
	// The missing keys as block mappings, the value in flow style.
	var b strings.Builder
	for j, k := range path[i:] {
		b.WriteString(strings.Repeat("  ", j) + flow(k) + ":")
		if i+j == len(path)-1 {
			b.WriteString(" " + flow(value))
		}
		b.WriteString("\n")
	}
	return pathOf(path[:i]).MergeFromReader(file, strings.NewReader(b.String()))
}

// deleteKey removes key from the mapping at path.
func deleteKey(file *ast.File, path []string, key string) error {
	n, err := pathOf(path).FilterFile(file)
	if err != nil {
		return err
	}
	m, ok := n.(*ast.MappingNode)
	if !ok {
		return fmt.Errorf("%s is not a mapping", quoteKey(path))
	}
	m.Values = slices.DeleteFunc(m.Values, func(v *ast.MappingValueNode) bool { return v.Key.String() == key })
	return nil
}

func pathOf(keys []string) *yaml.Path {
	b := (&yaml.PathBuilder{}).Root()
	for _, k := range keys {
		b = b.Child(k)
	}
	return b.Build()
}

// flow renders v as one line of flow-style YAML.
func flow(v any) string {
	b, err := yaml.MarshalWithOptions(v, yaml.Flow(true))
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(string(b))
}

// toStrings returns the strings of a list decoded from JSON or built in
// Go.
func toStrings(v any) []string {
	switch l := v.(type) {
	case []string:
		return slices.Clone(l)
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
