package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/demo"
	simserver "switchyard/sim/server"
)

func TestRouteExplainSemantic(t *testing.T) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	path := filepath.Join(t.TempDir(), "switchyard.yaml")
	cfg := `providers:
  openai: {kind: openai, base_url: "` + simserver.BaseURL(simAddr, simserver.OpenAI) + `", api_key: sim-key}
deployments:
  gpt-4o-mini: {provider: openai, price: {input: 0.15, output: 0.6}, quality: 0.75}
  gpt-4o: {provider: openai, price: {input: 2.5, output: 10}, quality: 0.9}
  text-embedding-3-small: {provider: openai, price: {input: 0.02}, capabilities: [embeddings]}
routes:
  support:
    deployments: [gpt-4o, gpt-4o-mini]
    strategy: best
    semantic:
      embeddings: text-embedding-3-small
      threshold: 0.6
      categories:
        billing:
          examples: ["I was charged twice", "How do I get a refund for my order?"]
          deployments: [gpt-4o-mini]
`
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"route", "explain", "--config", path, "--model", "support", "I was charged twice this month"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"semantic:  matched billing at 0.", "policy:    semantic.billing", "x-switchyard-route: route=support; semantic=billing(0."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if code := run([]string{"route", "explain", "--config", path, "--model", "support", "--json", "Write a haiku about trains"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var plan struct {
		Explanation struct{ Semantic struct{ Outcome string } }
		Tiers       []struct{ Candidates []struct{ Deployment string } }
	}
	if err := json.Unmarshal(out.Bytes(), &plan); err != nil || plan.Explanation.Semantic.Outcome != "no_match" || plan.Tiers[0].Candidates[0].Deployment != "gpt-4o" {
		t.Errorf("no match: %v %s", err, out.String())
	}

	out.Reset()
	if code := run([]string{"route", "explain", "--config", path, "--model", "support", "--no-embed", "I was charged twice"}, &out, &errb); code != 0 || strings.Contains(out.String(), "semantic") {
		t.Errorf("--no-embed: exit %d:\n%s", code, out.String())
	}
}
