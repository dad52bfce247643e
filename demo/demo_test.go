package demo

import (
	"slices"
	"testing"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// The demo's auto route sends each category where DemoRoutes says, and
// explains it; the e2e tests check the same through HTTP with the real
// classifier.
func TestDemoRoutesByCategory(t *testing.T) {
	cfg := Config("127.0.0.1:1", "")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	p := route.New(cfg, route.Options{})
	for _, cat := range llm.Categories {
		want := DemoRoutes[cat]
		seen := map[string]bool{}
		for seed := range uint64(200) {
			plan, err := p.Plan(&route.Input{
				Model:     "auto",
				Features:  route.Features{Category: cat, Confidence: 0.9, PromptTokens: 300, Language: "en"},
				Overrides: route.Overrides{Allowed: route.AllowAll}, Seed: seed,
			})
			if err != nil {
				t.Fatalf("%s: %v", cat, err)
			}
			if !slices.Contains(want, plan.First()) {
				t.Fatalf("%s: first = %s, want one of %v\n%s", cat, plan.First(), want, plan.Summary(0, plan.First(), 0))
			}
			seen[plan.First()] = true
		}
		if len(seen) != len(want) {
			t.Errorf("%s: over 200 seeds saw %v, want each of %v", cat, seen, want)
		}
	}
}

func TestDemoRules(t *testing.T) {
	cfg := Config("127.0.0.1:1", "")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	p := route.New(cfg, route.Options{})
	plan := func(cat llm.Category, lang string, turn int) *route.Plan {
		pl, err := p.Plan(&route.Input{Model: "auto", Features: route.Features{Category: cat, Confidence: 0.9, Language: lang, Turn: turn},
			Overrides: route.Overrides{Allowed: route.AllowAll}})
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	if got := plan(llm.CategoryReasoning, "es", 0).First(); got != "gemini-2.5-pro" {
		t.Errorf("Spanish reasoning → %s, want gemini-2.5-pro (math and multilingual)", got)
	}
	if got := plan(llm.CategoryChat, "en", 2).First(); got != "claude-sonnet-4-5" {
		t.Errorf("later chat turn → %s, want claude-sonnet-4-5", got)
	}
	// The failover order the e2e tests rely on: small talk tries
	// gpt-4o-mini, then claude-haiku-4-5.
	pl := plan(llm.CategoryChat, "en", 0)
	if pl.Tiers[0].Candidates[0].Deployment.Name != "gpt-4o-mini" || pl.Tiers[1].Candidates[0].Deployment.Name != "claude-haiku-4-5" {
		t.Errorf("chat tiers: %s", pl.Summary(0, pl.First(), 0))
	}
	for _, m := range []string{"auto", "auto-cheap", "auto-best", "embed"} {
		if !p.IsRoute(m) {
			t.Errorf("%s is not a route", m)
		}
	}
}

// The demo's code-agent route serves gpt-5.3-codex first, called on the
// Responses API, serving hosted tools; adding it changed no pick of the
// built-in auto-best and auto-cheap (over every chat deployment, codex
// included now) for any category.
func TestDemoCodeAgent(t *testing.T) {
	with := keepsPicks(t, func(c *config.Config) {
		delete(c.Deployments, "gpt-5.3-codex")
		delete(c.Routes, CodeAgentRoute)
	})
	plan := firstPlan(t, with, CodeAgentRoute, route.Features{Category: llm.CategoryCode, Needs: route.NeedHostedTools, HostedTools: llm.HostedWebSearch})
	if c := plan.Tiers[0].Candidates[0]; c.Deployment.Name != "gpt-5.3-codex" || c.Deployment.API != llm.APIResponses {
		t.Errorf("code-agent: %s", plan.Summary(0, plan.First(), 0))
	}
}

// The demo serves a Claude 5 model, Claude Code's default
// (claude-opus-5-5), pinned by its name and thinking by its id; adding
// it changed no pick of auto-best and auto-cheap, and the auto route
// does not hold it.
func TestDemoClaude5(t *testing.T) {
	with := keepsPicks(t, func(c *config.Config) { delete(c.Deployments, "claude-opus-5-5") })
	plan := firstPlan(t, with, "claude-opus-5-5", route.Features{Category: llm.CategoryCode, Confidence: 0.9})
	if plan.First() != "claude-opus-5-5" {
		t.Errorf("pinned: %s", plan.Summary(0, plan.First(), 0))
	}
	if slices.Contains(demoRoutes()[0].Deployments, "claude-opus-5-5") {
		t.Error("the auto route holds claude-opus-5-5: DemoRoutes would change")
	}
}

// keepsPicks checks that the demo's auto-best and auto-cheap put the
// same deployment first for every category with and without what
// remove takes out of it, and returns the demo's policy.
func keepsPicks(t *testing.T, remove func(*config.Config)) *route.Policy {
	t.Helper()
	with := Config("127.0.0.1:1", "")
	without := Config("127.0.0.1:1", "")
	remove(without)
	for _, c := range []*config.Config{with, without} {
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	pw, pwo := route.New(with, route.Options{}), route.New(without, route.Options{})
	for _, model := range []string{"auto-best", "auto-cheap"} {
		for _, cat := range llm.Categories {
			f := route.Features{Category: cat, Confidence: 0.9, PromptTokens: 300, Language: "en"}
			if a, b := firstPlan(t, pw, model, f).First(), firstPlan(t, pwo, model, f).First(); a != b {
				t.Errorf("%s %s: first %s, was %s", model, cat, a, b)
			}
		}
	}
	return pw
}

// firstPlan is p's plan for a request for model with features f.
func firstPlan(t *testing.T, p *route.Policy, model string, f route.Features) *route.Plan {
	t.Helper()
	plan, err := p.Plan(&route.Input{Model: model, Features: f, Overrides: route.Overrides{Allowed: route.AllowAll}})
	if err != nil {
		t.Fatalf("%s: %v", model, err)
	}
	return plan
}
