package route

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestWorkedExample parses the support-bot configuration of
// docs/routing.md and checks that it routes as the page says.
func TestWorkedExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "routing.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(# switchyard\\.yaml.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) != 1 {
		t.Fatalf("found %d example configs in docs/routing.md, want 1", len(blocks))
	}
	cfg, err := config.Parse(blocks[0][1], func(k string) (string, bool) { return "test-" + k, strings.HasSuffix(k, "_KEY") })
	if err != nil {
		t.Fatalf("docs/routing.md example:\n%v", err)
	}
	p := New(cfg, Options{})
	in := func(cat llm.Category, edit ...func(*Input)) *Input {
		return req("support", cat, append([]func(*Input){func(in *Input) { in.Features.PromptTokens = 40 }}, edit...)...)
	}
	if plan := mustPlan(t, p, in(llm.CategoryFactual)); order(plan) != "gpt-4o-mini,claude-haiku" {
		t.Errorf("FAQ: %s, want gpt-4o-mini then claude-haiku", order(plan))
	}
	if plan := mustPlan(t, p, in(llm.CategoryReasoning)); order(plan) != "o3-mini" || len(plan.Explanation.Rejected) != 3 {
		t.Errorf("math: %s, rejected %v", order(plan), plan.Explanation.Rejected)
	}
	// A contract goes to the strong model whether the classifier is sure
	// of extraction, unsure, or sure of something else.
	for _, edit := range []func(*Input){
		func(in *Input) { in.Features.Category = llm.CategoryExtraction },
		func(in *Input) { in.Features.Category, in.Features.Confidence = llm.CategoryCode, 0.37 },
		func(in *Input) { in.Features.Category, in.Features.Confidence = llm.CategoryReasoning, 0.7 },
	} {
		contract := mustPlan(t, p, in("", func(in *Input) { in.Features.PromptTokens = 730 }, edit))
		if contract.First() != "claude-sonnet" || !slices.Contains(contract.Explanation.Rules, "contracts-to-strong") {
			t.Errorf("contract (%s): %s rules %v", contract.Explanation.Features.Category, order(contract), contract.Explanation.Rules)
		}
	}
	_, err = p.Plan(in(llm.CategoryReasoning, func(in *Input) { in.Features.Language = "es" }))
	wantErr(t, err, llm.KindUnprocessable, "o3-mini lacks capability multilingual required by rule non-english-to-multilingual")
	if plan := mustPlan(t, p, in(llm.CategoryChat, func(in *Input) { in.Features.Turn = 2 })); plan.First() != "claude-haiku" {
		t.Errorf("follow-up: %s", order(plan))
	}
}
