package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/llm"
)

// FuzzApplyReport: report --apply on any config file refuses one that does
// not parse, and otherwise writes nothing or a config that parses and, for
// a route auto, has the recommended category preference first (no split)
// and the recommended rule last.
func FuzzApplyReport(f *testing.F) {
	base := "providers: {local: {kind: openai, base_url: \"http://127.0.0.1:9/v1\", api_key: sk-x}}\n" +
		"deployments: {strong: {provider: local, model: gpt-4o}, cheap: {provider: local, model: gpt-4o-mini}}\n"
	f.Add(base + "routes:\n  auto:\n    deployments: [strong, cheap]  # both\n")
	f.Add(base + "routes:\n  auto:\n    deployments: [strong, cheap]\n    categories:\n      code: {split: {strong: 80, cheap: 20}}  # a split\n    rules: []\n")
	f.Add(base + "routes: {auto: {deployments: [strong, cheap], categories: {code: {prefer: [strong]}}}}\n")
	f.Add(base + "routes:\n  other:\n    deployments: [cheap]\n")
	f.Add("routes: [")
	recs := []admin.RecommendationView{{Changes: []admin.ChangeView{
		{Path: []string{"routes", "auto", "categories", "code", "prefer"}, Value: []any{"cheap"}},
		{Path: []string{"routes", "auto", "rules"}, Append: true, Value: map[string]any{
			"name": "large-code-to-strong", "when": map[string]any{"category": "code", "min_prompt_tokens": 2001}, "prefer": []any{"strong"}}},
	}}}
	dir := f.TempDir()
	src, dst := filepath.Join(dir, "in.yaml"), filepath.Join(dir, "out.yaml")
	f.Fuzz(func(t *testing.T, text string) {
		os.Remove(dst)
		if err := os.WriteFile(src, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		_, parseErr := config.Parse([]byte(text), os.LookupEnv)
		err := applyReport(src, dst, recs, io.Discard)
		if parseErr != nil || err != nil {
			if err == nil {
				t.Fatalf("applied to a config that does not parse: %v", parseErr)
			}
			if _, statErr := os.Stat(dst); statErr == nil {
				t.Fatalf("wrote %s and failed: %v", dst, err)
			}
			return
		}
		b, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Parse(b, os.LookupEnv)
		if err != nil {
			t.Fatalf("wrote a config that does not parse: %v\n%s", err, b)
		}
		if auto := cfg.Routes["auto"]; auto != nil {
			c := auto.Categories[llm.CategoryCode]
			if c == nil || len(c.Prefer) == 0 || c.Prefer[0] != "cheap" || len(c.Split) > 0 {
				t.Fatalf("route auto's code category %+v after the change:\n%s", c, b)
			}
			if n := len(auto.Rules); n == 0 || auto.Rules[n-1].Name != "large-code-to-strong" || !slices.Equal(auto.Rules[n-1].Prefer, []string{"strong"}) {
				t.Fatalf("route auto's rules %+v after the change:\n%s", auto.Rules, b)
			}
		}
	})
}
