package route

import (
	"os"
	"path/filepath"
	"regexp"
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
	contract := mustPlan(t, p, in(llm.CategoryExtraction, func(in *Input) { in.Features.PromptTokens = 4000 }))
	if contract.First() != "claude-sonnet" || contract.Explanation.Rules[0] != "contracts-to-strong" || contract.Explanation.Strategy != config.StrategyBest {
		t.Errorf("contract: %s rules %v strategy %s", order(contract), contract.Explanation.Rules, contract.Explanation.Strategy)
	}
	_, err = p.Plan(in(llm.CategoryReasoning, func(in *Input) { in.Features.Language = "es" }))
	wantErr(t, err, llm.KindUnprocessable, "o3-mini lacks capability multilingual required by rule non-english-to-multilingual")
	if plan := mustPlan(t, p, in(llm.CategoryChat, func(in *Input) { in.Features.Turn = 2 })); plan.First() != "claude-haiku" {
		t.Errorf("follow-up: %s", order(plan))
	}
}
