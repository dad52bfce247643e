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

// catalogWindows has deployments that configure no context_window: the
// catalog's input windows apply (gpt-4o-mini 128,000 tokens, Gemini 2.5
// Flash 1,048,576), and a configured one wins over the catalog's.
const catalogWindows = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  g: {kind: gemini, api_key: k}
deployments:
  mini:  {provider: p, model: gpt-4o-mini}
  flash: {provider: g, model: gemini-2.5-flash}
  small: {provider: g, model: gemini-2.5-flash, context_window: 32000}
routes:
  long: {deployments: [mini, small, flash], strategy: ordered}
`

func TestCatalogContextWindows(t *testing.T) {
	cfg, err := config.Parse([]byte(catalogWindows), nil)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, req("long", llm.CategorySummarization, func(in *Input) { in.Features.PromptTokens = 300_000 }))
	if got := order(plan); got != "flash" {
		t.Errorf("300,000-token prompt: plan %s, want flash alone", got)
	}
	for dep, limit := range map[string]float64{"mini": 128_000, "small": 32_000} {
		if r := findRejection(plan, dep); r == nil || r.Reason != ReasonContextWindow || r.Limit != limit {
			t.Errorf("%s's rejection = %+v, want %s at %v", dep, r, ReasonContextWindow, limit)
		}
	}
	if got := order(mustPlan(t, p, req("long", llm.CategorySummarization))); got != "mini,small,flash" {
		t.Errorf("short prompt: plan %s, want every deployment", got)
	}
	// Past every window: the code a client trims its prompt on, as an
	// upstream's overflow is (dispatch), not no_candidate.
	_, err = p.Plan(req("long", llm.CategorySummarization, func(in *Input) { in.Features.PromptTokens = 2_000_000 }))
	e := wantErr(t, err, llm.KindInvalidRequest, "flash has a context window of 1048576 tokens, and the prompt is ~2000000 tokens")
	if e.Code != llm.CodeContextLength || e.Param != "messages" || !strings.HasPrefix(e.Message, "prompt is too long: 2000000 tokens > 1048576 maximum: ") {
		t.Errorf("code %q, param %q, message %q: want context_length_exceeded on messages, begun as Anthropic words it", e.Code, e.Param, e.Message)
	}
}
