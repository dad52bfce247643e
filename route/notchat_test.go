package route

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// undeclared has deployments of embeddings and moderation models that
// declare no capabilities: the catalog knows what they are.
const undeclared = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  mini:   {provider: p, model: gpt-4o-mini}
  emb:    {provider: p, model: text-embedding-3-small}
  modr:   {provider: p, model: omni-moderation-latest}
  local:  {provider: p, model: llama-local, price: {input: 0, output: 0}}
  alias:  {provider: p, model: my-embedder, base_model: text-embedding-3-large}
  chatty: {provider: p, model: text-embedding-3-small, capabilities: [tools]}
routes:
  mixed: {deployments: [emb, mini]}
`

func TestCatalogEmbeddingAndModerationModelsServeNoChat(t *testing.T) {
	cfg, err := config.Parse([]byte(undeclared), nil)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	p := New(cfg, Options{})
	for _, model := range []string{Auto, AutoCheap, AutoBest} {
		plan := mustPlan(t, p, req(model, llm.CategoryChat))
		got := order(plan)
		for _, name := range []string{"emb", "modr", "alias"} {
			if strings.Contains(","+got+",", ","+name+",") {
				t.Errorf("%s: plan %s has %s, which the catalog knows serves no chat", model, got, name)
			}
		}
		if !strings.Contains(got, "chatty") {
			t.Errorf("%s: plan %s lacks chatty: declared capabilities are the operator's word", model, got)
		}
		if !strings.Contains(got, "local") {
			t.Errorf("%s: plan %s lacks local: a model the catalog does not know serves chat", model, got)
		}
	}
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat))
	if got := order(plan); got != "mini" {
		t.Errorf("mixed: plan %s, want mini alone", got)
	}
	if r := findRejection(plan, "emb"); r == nil || r.Reason != ReasonNotChat {
		t.Errorf("mixed: emb's rejection = %+v, want %s", r, ReasonNotChat)
	}
}
