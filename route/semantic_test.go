package route

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// semanticFixture adds a route with semantic categories to fixture.
const semanticFixture = fixture + `  helpdesk:
    deployments: [mini, haiku, big, thinker]
    strategy: best
    min_confidence: 0.5
    categories:
      factual: {deployments: [mini, haiku], strategy: cheapest}
    rules:
      - {name: code-strong, when: {category: code}, prefer: [mini]}
    semantic:
      embeddings: embed
      categories:
        billing: {examples: [refund], deployments: [mini, haiku]}
        faq: {examples: [hours], category: factual}
        legal: {examples: [contract], category: factual, deployments: [haiku]}
        howto: {examples: [how], category: code}
`

func semanticPolicy(t *testing.T) *Policy {
	t.Helper()
	cfg, err := config.Parse([]byte(semanticFixture), nil)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return New(cfg, Options{})
}

func matched(name string, score float64) func(*Input) {
	return func(in *Input) {
		in.Semantic = Semantic{Outcome: SemanticMatched, Category: name, Score: score, Threshold: 0.75}
	}
}

func TestSemanticPolicy(t *testing.T) {
	p := semanticPolicy(t)
	tests := []struct {
		name                          string
		in                            *Input
		first, policy, category, src  string
		order, summary                string
		semanticInExplanation, hasSem bool
	}{
		{name: "no semantic result", in: req("helpdesk", llm.CategoryChat),
			order: "thinker,big,haiku,mini", policy: "route", category: "chat", src: "classifier",
			summary: "route=helpdesk; category=chat(0.90); tier=1/3"},
		{name: "deployments only: its set, the route's strategy, the classifier's category",
			in:    req("helpdesk", llm.CategoryChat, matched("billing", 0.91)),
			order: "haiku,mini", policy: "semantic.billing", category: "chat", src: "classifier", hasSem: true,
			summary: "route=helpdesk; semantic=billing(0.91); category=chat(0.90); tier=1/2; deployment=haiku"},
		{name: "category only: that category's policy",
			in:    req("helpdesk", llm.CategoryCreative, matched("faq", 0.8)),
			order: "mini,haiku", policy: "categories.factual", category: "factual", src: "semantic", hasSem: true,
			summary: "route=helpdesk; semantic=faq(0.80); category=factual(semantic); tier=1/2; deployment=mini"},
		{name: "both: its set under the category's policy",
			in:    req("helpdesk", llm.CategoryCreative, matched("legal", 0.99)),
			order: "haiku", policy: "semantic.legal", category: "factual", src: "semantic", hasSem: true},
		{name: "a semantic category is trusted below min_confidence, and rules see it",
			in:    req("helpdesk", llm.CategoryChat, matched("howto", 0.8), func(in *Input) { in.Features.Confidence = 0.2 }),
			order: "mini,thinker,big,haiku", policy: "route", category: "code", src: "semantic", hasSem: true,
			summary: "route=helpdesk; semantic=howto(0.80); category=code(semantic); rule=code-strong"},
		{name: "the hint header wins",
			in: req("helpdesk", llm.CategoryChat, matched("billing", 0.91), func(in *Input) {
				in.Overrides.Category = llm.CategoryFactual
			}),
			order: "mini,haiku", policy: "categories.factual", category: "factual", src: "hint", hasSem: true,
			summary: "route=helpdesk; semantic=billing(0.91); category=factual(hint)"},
		{name: "the hint header names a semantic category (deployments only): its set, classifier's category",
			in:    req("helpdesk", llm.CategoryChat, func(in *Input) { in.Overrides.Category = "billing" }),
			order: "haiku,mini", policy: "semantic.billing", category: "chat", src: "classifier"},
		{name: "the hint header names a semantic category mapped onto a built-in one",
			in:    req("helpdesk", llm.CategoryCreative, func(in *Input) { in.Overrides.Category = "faq" }),
			order: "mini,haiku", policy: "categories.factual", category: "factual", src: "hint",
			summary: "route=helpdesk; category=factual(hint)"},
		{name: "no match: the classifier decides",
			in: req("helpdesk", llm.CategoryFactual, func(in *Input) {
				in.Semantic = Semantic{Outcome: SemanticNoMatch, Category: "billing", Score: 0.62, Threshold: 0.75}
			}),
			order: "mini,haiku", policy: "categories.factual", category: "factual", src: "classifier", hasSem: true,
			summary: "route=helpdesk; semantic=none(0.62); category=factual(0.90)"},
		{name: "skipped",
			in: req("helpdesk", llm.CategoryFactual, func(in *Input) {
				in.Semantic = Semantic{Outcome: SemanticSkipped, Reason: SemanticTimeout, Threshold: 0.75}
			}),
			order: "mini,haiku", policy: "categories.factual", category: "factual", src: "classifier", hasSem: true,
			summary: "route=helpdesk; semantic=skipped(timeout); category=factual(0.90)"},
		{name: "a name the route does not have is ignored",
			in:    req("helpdesk", llm.CategoryChat, matched("nope", 0.99)),
			order: "thinker,big,haiku,mini", policy: "route", category: "chat", src: "classifier", hasSem: true},
		{name: "a route without semantic categories ignores it",
			in:    req("support", llm.CategoryFactual, matched("billing", 0.99)),
			order: "mini,haiku", policy: "categories.factual", category: "factual", src: "classifier",
			summary: "route=support; category=factual(0.90)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := mustPlan(t, p, tt.in)
			e := &plan.Explanation
			if got := order(plan); got != tt.order {
				t.Errorf("order %s, want %s", got, tt.order)
			}
			if e.Policy != tt.policy || string(e.Category) != tt.category || e.CategorySource != tt.src {
				t.Errorf("policy %s category %s (%s), want %s %s (%s)", e.Policy, e.Category, e.CategorySource, tt.policy, tt.category, tt.src)
			}
			if (e.Semantic != nil) != tt.hasSem {
				t.Errorf("explanation semantic = %+v, want it present: %v", e.Semantic, tt.hasSem)
			}
			if s := plan.Summary(0, plan.First(), 0); !strings.HasPrefix(s, tt.summary) {
				t.Errorf("summary %q, want prefix %q", s, tt.summary)
			}
		})
	}
}

// TestSemanticHintUnknown checks that a hint naming neither a built-in
// category nor one of the route's semantic categories is a 400 naming the
// header and what it may be.
func TestSemanticHintUnknown(t *testing.T) {
	p := semanticPolicy(t)
	for _, model := range []string{"helpdesk", "support"} {
		_, err := p.Plan(req(model, llm.CategoryChat, func(in *Input) { in.Overrides.Category = "poetry" }))
		e := wantErr(t, err, llm.KindInvalidRequest, "poetry")
		if e.Param != HeaderCategory {
			t.Errorf("%s: param %q, want %s", model, e.Param, HeaderCategory)
		}
		if hasSem := strings.Contains(e.Message, "billing"); hasSem != (model == "helpdesk") {
			t.Errorf("%s: message %q should list the route's semantic categories only when it has some", model, e.Message)
		}
	}
}

// TestSemanticStaysInPolicy checks that a semantic category's set is
// still subject to the route's ceilings, and nothing outside it is tried.
func TestSemanticStaysInPolicy(t *testing.T) {
	p := semanticPolicy(t)
	_, err := p.Plan(req("helpdesk", llm.CategoryChat, matched("billing", 0.9), func(in *Input) { in.Overrides.MaxCostUSD = 1e-9 }))
	e := wantErr(t, err, llm.KindUnprocessable, "policy semantic.billing", "mini estimated cost", "haiku estimated cost")
	if strings.Contains(e.Message, "big") || strings.Contains(e.Message, "thinker") {
		t.Errorf("deployments outside the semantic set were considered: %s", e.Message)
	}
	plan := mustPlan(t, p, req("helpdesk", llm.CategoryChat, matched("billing", 0.9), func(in *Input) {
		in.Health = Health{"haiku": {Unavailable: true, Reason: "breaker open"}}
	}))
	if order(plan) != "mini" {
		t.Errorf("order %s, want mini alone", order(plan))
	}
}

func TestSemanticRendering(t *testing.T) {
	p := semanticPolicy(t)
	plan := mustPlan(t, p, req("helpdesk", llm.CategoryChat, matched("faq", 0.8123)))
	var text bytes.Buffer
	if err := plan.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"semantic:  matched faq at 0.81 (threshold 0.75)",
		"category:  factual (from semantic category faq; classifier said chat at 0.90)",
		"policy:    categories.factual",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Category    string
		Explanation struct {
			CategorySource string    `json:"category_source"`
			Semantic       *Semantic `json:"semantic"`
		}
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.Explanation.Semantic; out.Category != "factual" || out.Explanation.CategorySource != "semantic" ||
		s == nil || s.Outcome != SemanticMatched || s.Category != "faq" || s.Score != 0.8123 || s.Threshold != 0.75 {
		t.Errorf("JSON: %s", b)
	}
	for _, tt := range []struct {
		s    Semantic
		want string
	}{
		{Semantic{Outcome: SemanticNoMatch, Category: "billing", Score: 0.62, Threshold: 0.75, Cached: true},
			"no match (best billing at 0.62 < 0.75, embedding cached): the classifier decides"},
		{Semantic{Outcome: SemanticNoMatch, Category: "billing", Score: 0.7496, Threshold: 0.75},
			"no match (best billing at 0.74 < 0.75): the classifier decides"},
		{Semantic{Outcome: SemanticSkipped, Reason: SemanticNotReady}, "skipped (the examples are not embedded yet): the classifier decides"},
		{Semantic{Outcome: SemanticSkipped, Reason: SemanticError, Detail: "upstream returned 503"},
			"skipped (embedding the request failed: upstream returned 503): the classifier decides"},
		{Semantic{Outcome: SemanticSkipped, Reason: SemanticHint}, "skipped (the x-switchyard-category header decides)"},
	} {
		if got := semanticLine(&tt.s); got != tt.want {
			t.Errorf("semanticLine(%+v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// TestSemanticDocsExample parses the semantic routes example of
// docs/routing.md and checks that it routes as the page says.
func TestSemanticDocsExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "routing.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(# semantic routes.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) != 1 {
		t.Fatalf("found %d semantic examples in docs/routing.md, want 1", len(blocks))
	}
	cfg, err := config.Parse(blocks[0][1], func(k string) (string, bool) { return "test-" + k, strings.HasSuffix(k, "_KEY") })
	if err != nil {
		t.Fatalf("docs/routing.md semantic example:\n%v", err)
	}
	p := New(cfg, Options{})
	for _, tt := range []struct {
		cat   llm.Category
		sem   Semantic
		order string
	}{
		{llm.CategoryChat, Semantic{Outcome: SemanticMatched, Category: "billing", Score: 0.67}, "gpt-4o-mini"},
		{llm.CategoryChat, Semantic{Outcome: SemanticMatched, Category: "cancellation", Score: 0.93}, "claude-haiku,claude-sonnet"},
		{llm.CategoryCode, Semantic{Outcome: SemanticNoMatch, Category: "billing", Score: 0.19}, "claude-sonnet,claude-haiku,gpt-4o-mini"},
	} {
		plan := mustPlan(t, p, req("support", tt.cat, func(in *Input) { in.Semantic = tt.sem; in.Features.PromptTokens = 20 }))
		if order(plan) != tt.order {
			t.Errorf("%s: %s, want %s", tt.sem.Category, order(plan), tt.order)
		}
	}
}
