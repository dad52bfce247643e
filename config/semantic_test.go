package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

const semanticBase = `providers:
  openai: {kind: openai, api_key: k}
  anthropic: {kind: anthropic, api_key: k}
deployments:
  mini: {provider: openai}
  big: {provider: openai}
  o3: {provider: openai}
  emb: {provider: openai, capabilities: [embeddings]}
  chatty: {provider: openai, capabilities: [tools]}
  claude: {provider: anthropic}
`

func TestParseSemantic(t *testing.T) {
	c := mustParse(t, []byte(semanticBase+`routes:
  support:
    deployments: [mini, big, o3]
    categories:
      factual: {deployments: [mini, big]}
    semantic:
      embeddings: emb
      threshold: 0.8
      timeout: 200ms
      categories:
        billing:
          examples: ["I was charged twice", "how do I get a refund"]
          deployments: [mini]
        faq:
          examples: [what are your opening hours]
          category: factual
          deployments: [big]
        legal: {examples: [read this contract], category: extraction}
  plain: {deployments: [big]}
`), nil)
	want := &Semantic{
		Embeddings: "emb", Threshold: 0.8, Timeout: 200 * time.Millisecond,
		Categories: map[string]*SemanticCategory{
			"billing": {Examples: []string{"I was charged twice", "how do I get a refund"}, Deployments: []string{"mini"}},
			"faq":     {Examples: []string{"what are your opening hours"}, Category: llm.CategoryFactual, Deployments: []string{"big"}},
			"legal":   {Examples: []string{"read this contract"}, Category: llm.CategoryExtraction},
		},
	}
	if got := c.Routes["support"].Semantic; !reflect.DeepEqual(got, want) {
		t.Errorf("semantic =\n%+v\nwant\n%+v", got, want)
	}
	if s := c.Routes["plain"].Semantic; s != nil {
		t.Errorf("a route without semantic has %+v", s)
	}
	s := &Semantic{}
	if s.ThresholdOrDefault() != DefaultSemanticThreshold || s.TimeoutOrDefault() != DefaultSemanticTimeout {
		t.Errorf("defaults: %v %v", s.ThresholdOrDefault(), s.TimeoutOrDefault())
	}
	// A deployment that declares no capabilities may embed.
	mustParse(t, []byte(semanticBase+"routes:\n  r: {deployments: [mini], semantic: {embeddings: big, categories: {x: {examples: [a], deployments: [mini]}}}}\n"), nil)
}

func TestSemanticMistakes(t *testing.T) {
	r := func(body string) string {
		return semanticBase + "routes:\n  r:\n    deployments: [mini, big]\n    categories: {code: {deployments: [big]}}\n    semantic:\n" + body
	}
	cat := func(body string) string {
		return r("      embeddings: emb\n      categories:\n        billing: " + body + "\n")
	}
	tests := []struct {
		name, yaml, path, problem, hint string
	}{
		{"no embeddings", r("      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.embeddings", "is required", "embeddings capability"},
		{"unknown embeddings", r("      embeddings: embb\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.embeddings", `deployment "embb" is not configured`, `did you mean "emb"?`},
		{"chat deployment", r("      embeddings: chatty\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.embeddings", `deployment "chatty" does not serve embeddings`, "emb"},
		{"anthropic", r("      embeddings: claude\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.embeddings", "kind anthropic, which serves no embeddings", "emb"},
		{"threshold above 1", r("      embeddings: emb\n      threshold: 1.5\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.threshold", "must be in (0, 1], got 1.5", "0.75"},
		{"threshold zero", r("      embeddings: emb\n      threshold: 0\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.threshold", "must be > 0, got 0", "omit it for 0.75"},
		{"threshold negative", r("      embeddings: emb\n      threshold: -0.2\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.threshold", "must be in (0, 1], got -0.2", ""},
		{"timeout zero", r("      embeddings: emb\n      timeout: 0s\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.timeout", "must be > 0, got 0s", ""},
		{"timeout long", r("      embeddings: emb\n      timeout: 1m\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.timeout", "must be between 1ms and 10s, got 1m0s", "150ms"},
		{"no categories", r("      embeddings: emb\n"), "routes.r.semantic.categories", "must define at least one category", "examples"},
		{"unknown field", r("      embeddings: emb\n      treshold: 0.8\n      categories: {billing: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic", `unknown field "treshold"`, `did you mean "threshold"?`},
		{"built-in name", r("      embeddings: emb\n      categories: {code: {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.categories.code", `name "code" is a built-in category`, "category: code"},
		{"bad name", r("      embeddings: emb\n      categories: {\"bill ing\": {examples: [a], deployments: [mini]}}\n"), "routes.r.semantic.categories.bill ing", `invalid name "bill ing"`, ""},
		{"no examples", cat("{deployments: [mini]}"), "routes.r.semantic.categories.billing.examples", "must list at least one example", ""},
		{"empty example", cat(`{examples: [a, ""], deployments: [mini]}`), "routes.r.semantic.categories.billing.examples[1]", "is empty", ""},
		{"repeated example", cat(`{examples: [a, b, a], deployments: [mini]}`), "routes.r.semantic.categories.billing.examples[2]", "repeats example 0", "remove one"},
		{"no effect", cat("{examples: [a]}"), "routes.r.semantic.categories.billing", "has no effect", "deployments"},
		{"unknown category", cat("{examples: [a], category: factul}"), "routes.r.semantic.categories.billing.category", `unknown category "factul"`, `did you mean "factual"?`},
		{"deployment outside the route", cat("{examples: [a], deployments: [o3]}"), "routes.r.semantic.categories.billing.deployments[0]", `"o3" is not in the route's deployments`, "acceptable: mini, big"},
		{"deployment outside the category", cat("{examples: [a], category: code, deployments: [mini]}"), "routes.r.semantic.categories.billing.deployments[0]", `"mini" is not in categories.code's deployments`, "acceptable: big"},
		{"deployment unknown", cat("{examples: [a], deployments: [mnii]}"), "routes.r.semantic.categories.billing.deployments[0]", `deployment "mnii" is not configured`, `did you mean "mini"?`},
		{"empty deployments", cat("{examples: [a], deployments: []}"), "routes.r.semantic.categories.billing.deployments", "must list at least one deployment", ""},
		{"unknown category field", cat("{examples: [a], category: chat, deployment: [mini]}"), "routes.r.semantic.categories.billing", `unknown field "deployment"`, `did you mean "deployments"?`},
		{"examples not a list", cat("{examples: a, deployments: [mini]}"), "routes.r.semantic.categories.billing.examples", "must be a list", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), nil)
			fe := findError(t, err, tt.path, tt.problem)
			if fe.Line == 0 {
				t.Errorf("no position: %v", fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
			if errs := err.(Errors); len(errs) != 1 {
				t.Errorf("%d errors, want 1:\n%v", len(errs), err)
			}
		})
	}
}
