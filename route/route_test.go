package route

import (
	"errors"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// fixture is a config exercising every kind of policy.
const fixture = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  mini:    {provider: p, price: {input: 0.15, output: 0.6}, quality: 0.7, context_window: 128000, latency: {ttft: 300ms, tokens_per_second: 150}, capabilities: [tools, json_mode, json_schema, vision, streaming, multilingual, code]}
  big:     {provider: p, price: {input: 2.5, output: 10}, quality: 0.9, latency: {ttft: 500ms, tokens_per_second: 90}, capabilities: [tools, json_mode, json_schema, vision, streaming, multilingual, code, math]}
  thinker: {provider: p, price: {input: 1.1, output: 4.4}, quality: 0.92, latency: {ttft: 900ms, tokens_per_second: 120}, capabilities: [tools, json_mode, json_schema, streaming, reasoning, math, code]}
  haiku:   {provider: p, price: {input: 1, output: 5}, quality: 0.8, latency: {ttft: 300ms, tokens_per_second: 140}, capabilities: [tools, vision, streaming, multilingual, code]}
  local:   {provider: p, price: {input: 0, output: 0}}
  embed:   {provider: p, price: {input: 0.02}, capabilities: [embeddings]}
  modr:    {provider: p, model: omni-moderation-latest, capabilities: [moderation, vision]}
  dalle:   {provider: p, model: dall-e-3}
routes:
  support:
    description: Support bot
    deployments: [mini, haiku, big, thinker]
    strategy: balanced
    max_cost_per_request: 0.05
    latency_budget: {ttft: 2s, total: 60s}
    tiers: {count: 3, ttft_timeout: [500ms, 1s, 2s]}
    categories:
      factual: {deployments: [mini, haiku], strategy: cheapest}
      reasoning: {prefer: [thinker], max_cost_per_request: 0.1}
      code: {split: {big: 80, haiku: 20}}
      extraction: {require: [json_schema]}
    rules:
      - {name: non-english-multilingual, when: {language: non-english}, require: [multilingual]}
      - {name: first-turn-fast, when: {turn: first, category: chat}, prefer: [mini]}
      - {name: later-turn-capable, when: {turn: later, category: chat}, prefer: [big]}
      - {name: long-prompts-no-haiku, when: {min_prompt_tokens: 50000}, exclude: [haiku]}
  ordered: {deployments: [haiku, mini, local]}
  cheap-only:
    deployments: [mini, big]
    max_price: {output: 1}
  sure:
    deployments: [mini, big]
    min_confidence: 0.6
    categories:
      code: {prefer: [big]}
  embeddings: {deployments: [embed]}
`

func testPolicy(t testing.TB) *Policy {
	t.Helper()
	cfg, err := config.Parse([]byte(fixture), nil)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return New(cfg, Options{})
}

// req builds an input for model with features of category cat.
func req(model string, cat llm.Category, edit ...func(*Input)) *Input {
	in := &Input{Model: model, Features: Features{Category: cat, Confidence: 0.9, PromptTokens: 200, Language: "en"},
		Overrides: Overrides{Allowed: AllowAll}}
	for _, e := range edit {
		e(in)
	}
	return in
}

// order lists the plan's deployments in order.
func order(p *Plan) string {
	var names []string
	for _, t := range p.Tiers {
		for _, c := range t.Candidates {
			names = append(names, c.Deployment.Name)
		}
	}
	return strings.Join(names, ",")
}

func mustPlan(t *testing.T, p *Policy, in *Input) *Plan {
	t.Helper()
	plan, err := p.Plan(in)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return plan
}

func wantErr(t *testing.T, err error, kind llm.ErrorKind, contains ...string) *llm.Error {
	t.Helper()
	var e *llm.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *llm.Error %s", err, kind)
	}
	if e.Kind != kind {
		t.Fatalf("kind = %s (%v), want %s", e.Kind, e, kind)
	}
	for _, c := range contains {
		if !strings.Contains(e.Message, c) {
			t.Errorf("message %q lacks %q", e.Message, c)
		}
	}
	return e
}

func TestCategoryPolicies(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		name  string
		in    *Input
		first string
		order string // full order when set
		rule  string
	}{
		{"factual narrows and is cheapest first", req("support", llm.CategoryFactual), "mini", "mini,haiku", ""},
		{"reasoning prefers thinker", req("support", llm.CategoryReasoning), "thinker", "", ""},
		{"first chat turn prefers mini", req("support", llm.CategoryChat), "mini", "", "first-turn-fast"},
		{"later chat turn prefers big", req("support", llm.CategoryChat, func(in *Input) { in.Features.Turn = 3 }), "big", "", "later-turn-capable"},
		{"extraction requires json_schema", req("support", llm.CategoryExtraction), "", "mini,big,thinker", ""},
		{"ordered keeps the listed order", req("ordered", llm.CategoryCode), "haiku", "haiku,mini,local", ""},
		{"unclassified uses the route policy", req("support", ""), "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := mustPlan(t, p, c.in)
			if c.first != "" && plan.First() != c.first {
				t.Errorf("first = %s, want %s (order %s)", plan.First(), c.first, order(plan))
			}
			if c.order != "" {
				if got := order(plan); got != c.order {
					// extraction: haiku rejected for json_schema, rest by score
					if !sameSet(got, c.order) {
						t.Errorf("order = %s, want %s", got, c.order)
					}
				}
			}
			if c.rule != "" && !strings.Contains(strings.Join(plan.Explanation.Rules, ","), c.rule) {
				t.Errorf("rules = %v, want %s", plan.Explanation.Rules, c.rule)
			}
		})
	}
}

func sameSet(a, b string) bool {
	as, bs := strings.Split(a, ","), strings.Split(b, ",")
	if len(as) != len(bs) {
		return false
	}
	for _, x := range as {
		if !strings.Contains(","+b+",", ","+x+",") {
			return false
		}
	}
	return true
}

func TestStrategies(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		model, first string
	}{
		{AutoCheap, "local"}, // price 0 (free, not unknown)
		{AutoBest, "thinker"},
		{Auto, ""},
	}
	for _, c := range cases {
		plan := mustPlan(t, p, req(c.model, llm.CategoryChat))
		if c.first != "" && plan.First() != c.first {
			t.Errorf("%s: first = %s, want %s (order %s)", c.model, plan.First(), c.first, order(plan))
		}
		if strings.Contains(order(plan), "embed") || strings.Contains(order(plan), "modr") || strings.Contains(order(plan), "dalle") {
			t.Errorf("%s: plan %s includes the embeddings, the moderation or the image deployment (free to auto-cheap: it would come first)", c.model, order(plan))
		}
		for i := 1; i < len(plan.Tiers); i++ {
			a, b := plan.Tiers[i-1].Candidates[0], plan.Tiers[i].Candidates[0]
			if a.Score < b.Score && !a.Preferred {
				t.Errorf("%s: tier %d score %.3f below tier %d's %.3f", c.model, i, a.Score, i+1, b.Score)
			}
		}
	}
}

func TestRules(t *testing.T) {
	p := testPolicy(t)
	t.Run("non-english requires multilingual", func(t *testing.T) {
		plan := mustPlan(t, p, req("support", llm.CategoryReasoning, func(in *Input) { in.Features.Language = "es" }))
		if got := order(plan); strings.Contains(got, "thinker") {
			t.Errorf("order %s includes thinker, which is not multilingual", got)
		}
		r := findRejection(plan, "thinker")
		if r == nil || r.Reason != ReasonRequired || r.By != "rule non-english-multilingual" || r.Capability != llm.CapMultilingual {
			t.Errorf("thinker rejection = %+v", r)
		}
	})
	t.Run("unknown language does not match non-english", func(t *testing.T) {
		plan := mustPlan(t, p, req("support", llm.CategoryReasoning, func(in *Input) { in.Features.Language = "" }))
		if plan.First() != "thinker" {
			t.Errorf("first = %s", plan.First())
		}
	})
	t.Run("exclude by prompt size", func(t *testing.T) {
		plan := mustPlan(t, p, req("support", llm.CategoryFactual, func(in *Input) {
			in.Features.PromptTokens = 60000
			in.Overrides.MaxCostUSD = 0
		}))
		r := findRejection(plan, "haiku")
		if r == nil || r.Reason != ReasonExcluded {
			t.Errorf("haiku rejection = %+v; plan %s", r, order(plan))
		}
	})
	t.Run("rule needs its category trusted", func(t *testing.T) {
		plan := mustPlan(t, p, req("sure", llm.CategoryCode, func(in *Input) { in.Features.Confidence = 0.4 }))
		if plan.Explanation.CategorySource != "low_confidence" || plan.Explanation.Policy != "route" {
			t.Errorf("low confidence: source %s policy %s", plan.Explanation.CategorySource, plan.Explanation.Policy)
		}
		plan = mustPlan(t, p, req("sure", llm.CategoryCode, func(in *Input) { in.Features.Confidence = 0.7 }))
		if plan.First() != "big" || plan.Explanation.Policy != "categories.code" {
			t.Errorf("confident: first %s policy %s", plan.First(), plan.Explanation.Policy)
		}
	})
}

func findRejection(p *Plan, dep string) *Rejection {
	for i := range p.Explanation.Rejected {
		if p.Explanation.Rejected[i].Deployment == dep {
			return &p.Explanation.Rejected[i]
		}
	}
	return nil
}

func TestSplit(t *testing.T) {
	p := testPolicy(t)
	counts := map[string]int{}
	const n = 2000
	for seed := range uint64(n) {
		in := req("support", llm.CategoryCode, func(in *Input) { in.Seed = seed })
		plan := mustPlan(t, p, in)
		counts[plan.First()]++
		if again := mustPlan(t, p, in); order(again) != order(plan) {
			t.Fatalf("seed %d: plans differ: %s vs %s", seed, order(plan), order(again))
		}
		if plan.Explanation.Split != plan.First() || !plan.Tiers[0].Candidates[0].Split {
			t.Fatalf("seed %d: split %q, first %s", seed, plan.Explanation.Split, plan.First())
		}
	}
	if big := float64(counts["big"]) / n; big < 0.75 || big > 0.85 || counts["big"]+counts["haiku"] != n {
		t.Errorf("split counts %v, want ~80/20 big/haiku", counts)
	}
	// A demoted member leaves the split to the others.
	in := req("support", llm.CategoryCode, func(in *Input) {
		in.Health = Health{"big": {Demoted: true, Reason: "slow"}}
	})
	for seed := range uint64(50) {
		in.Seed = seed
		if plan := mustPlan(t, p, in); plan.First() != "haiku" {
			t.Fatalf("seed %d: first %s with big demoted", seed, plan.First())
		}
	}
}

func TestCapabilityNeeds(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		name   string
		needs  Needs
		absent []string
	}{
		{"tools", NeedTools, nil},
		{"json_schema", NeedJSONSchema, []string{"haiku"}},
		{"json_mode met by json_schema", NeedJSONMode, []string{"haiku"}},
		{"vision", NeedVision, []string{"thinker"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) { in.Features.Needs = c.needs }))
			for _, a := range c.absent {
				if strings.Contains(order(plan), a) {
					t.Errorf("plan %s includes %s", order(plan), a)
				}
				if r := findRejection(plan, a); r == nil || r.Reason != ReasonCapability {
					t.Errorf("%s rejection = %+v", a, r)
				}
			}
		})
	}
	// A deployment that declares nothing is assumed to take anything.
	plan := mustPlan(t, p, req("ordered", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedVision | NeedJSONSchema }))
	if got := order(plan); got != "mini,local" {
		t.Errorf("ordered with vision+json_schema = %s, want mini,local (haiku lacks json_schema)", got)
	}
	// Pinned: a clear 400.
	_, err := p.Plan(req("thinker", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedVision }))
	wantErr(t, err, llm.KindInvalidRequest, "deployment thinker does not accept images")
	// Embeddings-only deployments never serve chat.
	_, err = p.Plan(req("embeddings", llm.CategoryChat))
	wantErr(t, err, llm.KindInvalidRequest, "embed is an embeddings, moderation, media or completions-only model")
	_, err = p.Plan(req("modr", llm.CategoryChat))
	wantErr(t, err, llm.KindInvalidRequest, "modr is an embeddings, moderation, media or completions-only model")
	_, err = p.Plan(req("dalle", llm.CategoryChat)) // declares nothing: the price table knows dall-e-3
	wantErr(t, err, llm.KindInvalidRequest, "dalle is an embeddings, moderation, media or completions-only model")
	// Context window.
	plan = mustPlan(t, p, req("ordered", llm.CategoryFactual, func(in *Input) { in.Features.PromptTokens = 130000; in.Features.MaxTokens = 1 }))
	if r := findRejection(plan, "mini"); r == nil || r.Reason != ReasonContextWindow {
		t.Errorf("mini rejection = %+v", r)
	}
	// Pinned past its window: a sentence, as the other reasons are.
	_, err = p.Plan(req("mini", llm.CategoryFactual, func(in *Input) { in.Features.PromptTokens = 130000; in.Features.MaxTokens = 1 }))
	e := wantErr(t, err, llm.KindInvalidRequest, "deployment mini has a context window of 128000 tokens, and the prompt is ~130000 tokens; pick")
	if e.Code != llm.CodeContextLength || e.Param != "messages" || !strings.HasPrefix(e.Message, "prompt is too long: 130000 tokens > 128000 maximum: ") {
		t.Errorf("code %q, param %q, message %q: want context_length_exceeded on messages, begun as Anthropic words it", e.Code, e.Param, e.Message)
	}
}
