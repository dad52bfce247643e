package route

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/learn/bandit"
	"switchyard/llm"
)

// adaptiveFixture has a dear deployment the static ranking (best) puts
// first and a cheap one, on a learning route.
const adaptiveFixture = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  dear:  {provider: p, price: {input: 2.5, output: 10}, quality: 0.9}
  cheap: {provider: p, price: {input: 0.15, output: 0.6}, quality: 0.8}
  other: {provider: p, price: {input: 1, output: 4}, quality: 0.85}
routes:
  learn:
    deployments: [dear, cheap, other]
    strategy: best
    adaptive: {enabled: true, lambda: 0.2, explore: 0.05, min_outcomes: 10, half_life: 6h}
    rules:
      - {name: json-dear, when: {wants_json: true}, prefer: [dear]}
  duo:
    deployments: [dear, cheap]
    strategy: best
    adaptive: {enabled: true, lambda: 0.2, explore: 0.05, min_outcomes: 10, half_life: 6h}
  static: {deployments: [dear, cheap], strategy: best}
  static3:
    deployments: [dear, cheap, other]
    strategy: best
    rules:
      - {name: json-dear, when: {wants_json: true}, prefer: [dear]}
`

func adaptivePolicy(t testing.TB) *Policy {
	t.Helper()
	cfg, err := config.Parse([]byte(adaptiveFixture), nil)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return New(cfg, Options{})
}

// outcomes returns a snapshot where each (deployment, category) had n
// outcomes at rate good, on route, for tenant ("" for everyone).
func outcomes(route, tenant string, arms map[string]map[llm.Category][2]float64) *bandit.Snapshot {
	tab := bandit.NewTable(func(string) time.Duration { return 0 }, 0)
	at := time.Unix(0, 0)
	for dep, cats := range arms {
		for cat, nr := range cats {
			c := bandit.ContextOf(bandit.Features{Category: cat, PromptTokens: 100})
			for _, k := range bandit.Keys(nil, route, dep, tenant, c) {
				tab.Add(k, bandit.Counts{Good: nr[0] * nr[1], Bad: nr[0] * (1 - nr[1])}, at)
			}
		}
	}
	return tab.Snapshot(at)
}

func chatInput(model string, cat llm.Category, seed uint64, s *bandit.Snapshot) *Input {
	return &Input{Model: model, Features: Features{Category: cat, Confidence: 0.9, PromptTokens: 100}, Seed: seed, Learned: s}
}

// greedyPlan plans with a seed that does not explore.
func greedyPlan(t *testing.T, p *Policy, in *Input) *Plan {
	t.Helper()
	for s := uint64(1); s < 100; s++ {
		in.Seed = s
		plan, err := p.Plan(in)
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Explanation.Adaptive.Explored {
			return plan
		}
	}
	t.Fatal("every seed explored")
	return nil
}

func TestAdaptiveStaticUntilMinOutcomes(t *testing.T) {
	p := adaptivePolicy(t)
	// No outcomes: the static order (best: dear, other, cheap).
	plan := greedyPlan(t, p, chatInput("learn", llm.CategoryChat, 0, nil))
	if got := order(plan); got != "dear,other,cheap" {
		t.Errorf("without outcomes: %s", got)
	}
	if plan.Explanation.Scorer != ScorerAdaptive || plan.Propensity < 0.95 {
		t.Errorf("scorer %q, propensity %v", plan.Explanation.Scorer, plan.Propensity)
	}
	if txt := plan.Tiers[0].Candidates[0].Learned.Text(10); txt != "static: 0 of 10 outcomes needed (p(good)=0.90 ± 0.18 over 0 outcomes)" {
		t.Errorf("text %q", txt)
	}
	// cheap learned and as good; dear has 9 outcomes only: dear keeps
	// its first place, cheap and other are learned and reordered.
	s := outcomes("learn", "", map[string]map[llm.Category][2]float64{
		"dear": {llm.CategoryChat: {9, 0.9}}, "cheap": {llm.CategoryChat: {40, 0.9}}, "other": {llm.CategoryChat: {40, 0.5}},
	})
	plan = greedyPlan(t, p, chatInput("learn", llm.CategoryChat, 0, s))
	if got := order(plan); got != "dear,cheap,other" {
		t.Errorf("dear unlearned: %s", got)
	}
	// dear learned too: cheap, as good for a fraction of the cost, first.
	s = outcomes("learn", "", map[string]map[llm.Category][2]float64{
		"dear": {llm.CategoryChat: {10, 0.9}}, "cheap": {llm.CategoryChat: {40, 0.9}}, "other": {llm.CategoryChat: {40, 0.5}},
	})
	plan = greedyPlan(t, p, chatInput("learn", llm.CategoryChat, 0, s))
	if got := order(plan); got != "cheap,dear,other" {
		t.Errorf("all learned: %s", got)
	}
	// Each candidate's rank is its place in the static order (dear,
	// other, cheap), whatever order the scorer chose.
	var ranks []string
	for _, tier := range plan.Tiers {
		for _, c := range tier.Candidates {
			ranks = append(ranks, fmt.Sprint(c.Learned.Rank))
		}
	}
	if got := strings.Join(ranks, ","); got != "3,1,2" {
		t.Errorf("ranks %s, want 3,1,2", got)
	}
	l := plan.Tiers[0].Candidates[0].Learned
	if l.Static || l.Outcomes != 40 || math.Abs(l.P-0.9) > 0.01 || l.Text(10) != "p(good)=0.90 ± 0.08 over 40 outcomes" {
		t.Errorf("cheap's estimate %+v %q", l, l.Text(10))
	}
	if a := plan.Explanation.Adaptive; a.Greedy != "cheap" || a.Context.String() != "chat/<500/en/first/plain" || a.Arms != 3 {
		t.Errorf("adaptive explanation %+v", a)
	}
	// Another category has no outcomes: static there.
	plan = greedyPlan(t, p, chatInput("learn", llm.CategoryCode, 0, s))
	if got := order(plan); got != "dear,other,cheap" {
		t.Errorf("unseen category: %s", got)
	}
	// A route without adaptive ignores the statistics.
	plan = greedyPlan(t, p, chatInput("static", llm.CategoryChat, 0, s))
	if got := order(plan); got != "dear,cheap" || plan.Explanation.Scorer != "static" || plan.Tiers[0].Candidates[0].Learned.Set {
		t.Errorf("static route: %s, scorer %s", got, plan.Explanation.Scorer)
	}
}

func TestAdaptiveKeepsPreferAndPin(t *testing.T) {
	p := adaptivePolicy(t)
	s := outcomes("learn", "", map[string]map[llm.Category][2]float64{
		"dear": {llm.CategoryChat: {100, 0.2}}, "cheap": {llm.CategoryChat: {100, 0.95}}, "other": {llm.CategoryChat: {100, 0.5}},
	})
	for seed := range uint64(500) {
		in := chatInput("learn", llm.CategoryChat, seed, s)
		in.Features.WantsJSON = true // the rule prefers dear
		plan, err := p.Plan(in)
		if err != nil {
			t.Fatal(err)
		}
		if plan.First() != "dear" || plan.Propensity != 1 {
			t.Fatalf("seed %d: a preferred deployment lost its place: %s (propensity %v)", seed, order(plan), plan.Propensity)
		}
		// The preference decides alone: the scorer had one arm.
		if a := plan.Explanation.Adaptive; a.Arms != 1 || a.Explored {
			t.Fatalf("seed %d: %+v", seed, a)
		}
		in = chatInput("learn", llm.CategoryChat, seed, s)
		in.Overrides = Overrides{Model: "other", Allowed: AllowAll}
		if plan, err = p.Plan(in); err != nil || plan.First() != "other" || plan.Propensity != 1 {
			t.Fatalf("seed %d: pin lost: %v %v", seed, plan, err)
		}
	}
}

func TestAdaptiveTenantPooling(t *testing.T) {
	p := adaptivePolicy(t)
	// Everyone: cheap as good as dear. Tenant acme: cheap fails.
	s := outcomes("duo", "", map[string]map[llm.Category][2]float64{
		"dear": {llm.CategoryChat: {100, 0.9}}, "cheap": {llm.CategoryChat: {100, 0.9}},
	})
	// acme's own outcomes (the learner adds them to everyone's too; here
	// everyone's are kept apart to show the pooling alone).
	counts := map[bandit.Key]bandit.Counts{}
	s.Each(func(k bandit.Key, c bandit.Counts) { counts[k] = c })
	acme := bandit.ContextOf(bandit.Features{Category: llm.CategoryChat, PromptTokens: 100})
	counts[bandit.Key{Route: "duo", Deployment: "cheap", Tenant: "acme", Context: acme}] = bandit.Counts{Good: 6, Bad: 54}
	merged := bandit.NewSnapshot(time.Unix(0, 0), counts)
	in := chatInput("duo", llm.CategoryChat, 0, merged)
	if got := order(greedyPlan(t, p, in)); got != "cheap,dear" {
		t.Errorf("everyone: %s", got)
	}
	in.Tenant = "beta"
	if got := order(greedyPlan(t, p, in)); got != "cheap,dear" {
		t.Errorf("a tenant without outcomes of its own: %s", got)
	}
	in.Tenant = "acme"
	plan := greedyPlan(t, p, in)
	if got := order(plan); got != "dear,cheap" {
		t.Errorf("acme: %s", got)
	}
	for _, c := range plan.Tiers[0].Candidates {
		if c.Deployment.Name == "cheap" && c.Learned.TenantOutcomes != 60 {
			t.Errorf("acme's own outcomes: %+v", c.Learned)
		}
	}
}

// TestAdaptivePlanCapAndPropensity checks over many request seeds that
// the share of plans whose first candidate is not the greedy one stays
// within explore, and that each first candidate's recorded propensity
// matches how often it is first.
func TestAdaptivePlanCapAndPropensity(t *testing.T) {
	p := adaptivePolicy(t)
	s := outcomes("learn", "", map[string]map[llm.Category][2]float64{
		"dear": {llm.CategoryChat: {12, 0.8}}, "cheap": {llm.CategoryChat: {15, 0.75}}, "other": {llm.CategoryChat: {20, 0.6}},
	})
	const n = 40000
	first := map[string]int{}
	prop := map[string]float64{}
	nonGreedy := 0
	for seed := range uint64(n) {
		plan, err := p.Plan(chatInput("learn", llm.CategoryChat, seed*0x9e3779b97f4a7c15+1, s))
		if err != nil {
			t.Fatal(err)
		}
		f := plan.First()
		first[f]++
		prop[f] = plan.Propensity
		if f != plan.Explanation.Adaptive.Greedy {
			nonGreedy++
		}
	}
	const eps = 0.05
	if share := float64(nonGreedy) / n; share > eps+4*math.Sqrt(eps*(1-eps)/n) || nonGreedy == 0 {
		t.Errorf("non-greedy share %.4f, cap %.2f", share, eps)
	}
	sum := 0.0
	for dep, k := range first {
		freq := float64(k) / n
		sum += prop[dep]
		if tol := 0.004 + 4*math.Sqrt(freq*(1-freq)/n); math.Abs(freq-prop[dep]) > tol {
			t.Errorf("%s first %.4f of the time, propensity %.4f", dep, freq, prop[dep])
		}
	}
	if len(first) != 3 || math.Abs(sum-1) > 0.01 {
		t.Errorf("firsts %v, propensities sum to %.4f", first, sum)
	}
}

// TestAdaptiveRendering: the text and JSON renderings carry the
// scorer's line, each candidate's estimate in words and the propensity.
func TestAdaptiveRendering(t *testing.T) {
	p := adaptivePolicy(t)
	s := outcomes("duo", "", map[string]map[llm.Category][2]float64{
		"dear": {llm.CategoryChat: {40, 0.9}}, "cheap": {llm.CategoryChat: {4, 0.5}},
	})
	plan := greedyPlan(t, p, chatInput("duo", llm.CategoryChat, 0, s))
	var b strings.Builder
	if err := plan.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"adaptive:  context chat/<500/en/first/plain, λ=0.2, explore 0.05, min_outcomes 10; exploited",
		"p(good)=0.90 ± 0.08 over 40 outcomes, value 0.7",
		"static: 4 of 10 outcomes needed (p(good)=",
		"scorer adaptive",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	js, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Propensity float64 `json:"propensity"`
		Tiers      []struct {
			Candidates []struct {
				Deployment string         `json:"deployment"`
				Learned    map[string]any `json:"learned"`
			} `json:"candidates"`
		} `json:"tiers"`
		Explanation struct {
			Adaptive map[string]any `json:"adaptive"`
		} `json:"explanation"`
	}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	if got.Propensity != math.Round(plan.Propensity*1e6)/1e6 || got.Propensity != 0.95 || got.Explanation.Adaptive["context"] != "chat/<500/en/first/plain" {
		t.Errorf("JSON: propensity %v, adaptive %v", got.Propensity, got.Explanation.Adaptive)
	}
	n := 0
	for _, tier := range got.Tiers {
		for _, c := range tier.Candidates {
			if c.Learned["text"] == nil || c.Learned["p_good"] == nil || c.Learned["outcomes"] == nil {
				t.Errorf("%s: learned %v", c.Deployment, c.Learned)
			}
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d candidates", n)
	}
	// A static route's plan has neither.
	plan = greedyPlan(t, p, chatInput("static", llm.CategoryChat, 0, s))
	if js, _ = json.Marshal(plan); strings.Contains(string(js), `"learned"`) || strings.Contains(string(js), `"adaptive"`) {
		t.Errorf("static plan: %s", js)
	}
}

// TestLearnedTextCountsWholeOutcomes: a static arm's count is the whole
// outcomes gathered, never rounded up to the number needed.
func TestLearnedTextCountsWholeOutcomes(t *testing.T) {
	l := Learned{Static: true, P: 0.8, Half: 0.2, Outcomes: 4.6}
	if got := l.Text(5); !strings.HasPrefix(got, "static: 4 of 5 outcomes needed") {
		t.Errorf("Text = %q", got)
	}
	l.Outcomes = 4.9999 // five ratings, decayed a moment
	if got := l.Text(5); !strings.HasPrefix(got, "static: 5 of 5") {
		t.Errorf("Text = %q", got)
	}
}
