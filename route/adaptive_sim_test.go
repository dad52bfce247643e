package route

import (
	"testing"
	"time"

	"switchyard/learn/bandit"
	"switchyard/llm"
)

// simulation drives the adaptive route "duo" (dear, cheap) in process:
// each request is planned from the latest published snapshot, served by
// its first candidate, and rewarded 1 with the deployment's success rate
// in the request's category, else 0, as the learner credits it (change
// detection included). Requests are a minute apart and the
// route's half-life is 6h (360 requests); a snapshot is published every
// 10 requests, as the learner does off the hot path.
type simulation struct {
	t     *testing.T
	p     *Policy
	tab   *bandit.Table
	ch    *bandit.Changes
	snap  *bandit.Snapshot
	now   time.Time
	rng   *bandit.Rand
	n     int
	rates map[string]map[llm.Category]float64
}

func newSimulation(t *testing.T) *simulation {
	return &simulation{
		t: t, p: adaptivePolicy(t), tab: bandit.NewTable(func(string) time.Duration { return 6 * time.Hour }, 0), ch: bandit.NewChanges(0),
		now: time.Unix(1700000000, 0), rng: bandit.RNG(42),
		rates: map[string]map[llm.Category]float64{
			"dear":  {llm.CategoryCode: 0.9, llm.CategoryReasoning: 0.9},
			"cheap": {llm.CategoryCode: 0.9, llm.CategoryReasoning: 0.5},
		},
	}
}

// serve plans one request of category cat and returns the deployment
// that served it.
func (s *simulation) serve(cat llm.Category) string {
	s.n++
	s.now = s.now.Add(time.Minute)
	if s.n%10 == 0 {
		s.snap = s.tab.Snapshot(s.now)
	}
	in := &Input{Model: "duo", Features: Features{Category: cat, Confidence: 0.9, PromptTokens: 300}, Seed: s.rng.Uint64(), Learned: s.snap}
	plan, err := s.p.Plan(in)
	if err != nil {
		s.t.Fatal(err)
	}
	dep := plan.First()
	r := 0.0
	if s.rng.Float64() < s.rates[dep][cat] {
		r = 1
	}
	ctx := plan.Explanation.Adaptive.Context
	for _, k := range bandit.Keys(nil, "duo", dep, "", ctx) {
		s.tab.Add(k, bandit.Counts{Good: r, Bad: 1 - r}, s.now)
	}
	s.ch.Observe(s.tab, "duo", dep, ctx, r, s.now, func(bandit.Key, bandit.Counts) {})
	return dep
}

// share serves n requests alternating code and reasoning and returns the
// share of each that went to cheap.
func (s *simulation) share(n int) (code, reasoning float64) {
	var c, r int
	for i := range n {
		if i%2 == 0 && s.serve(llm.CategoryCode) == "cheap" {
			c++
		}
		if i%2 == 1 && s.serve(llm.CategoryReasoning) == "cheap" {
			r++
		}
	}
	return float64(c) / float64(n/2), float64(r) / float64(n/2)
}

// TestAdaptiveSimulation: cheap is as good as dear on code and worse on
// reasoning. After 2000 requests (1000 of each), at least 85% of code
// goes to cheap and at most 10% of reasoning does. Then cheap degrades on
// code (0.9 → 0.3): the change detector notices within its window of 30
// code outcomes, so within 60 code requests (the window, then twenty in a
// row to dear) dear takes code back, and stays: over the next 500 code
// requests cheap gets at most 10%. (Decay alone took 100–206.)
func TestAdaptiveSimulation(t *testing.T) {
	s := newSimulation(t)
	s.share(2000)
	code, reasoning := s.share(1000)
	if code < 0.85 || reasoning > 0.1 {
		t.Fatalf("after learning: %.0f%% of code and %.0f%% of reasoning to cheap", 100*code, 100*reasoning)
	}
	t.Logf("learned: %.1f%% of code and %.1f%% of reasoning to cheap", 100*code, 100*reasoning)
	s.rates["cheap"][llm.CategoryCode] = 0.3
	moved := -1
	streak := 0
	for i := 1; i <= 60; i++ {
		if s.serve(llm.CategoryCode) == "dear" {
			streak++
		} else {
			streak = 0
		}
		s.serve(llm.CategoryReasoning)
		if streak == 20 { // twenty code requests in a row to dear
			moved = i
			break
		}
	}
	if moved < 0 {
		t.Fatal("code traffic did not move back to dear within 60 code requests")
	}
	t.Logf("code moved back to dear after %d code requests", moved)
	code, _ = s.share(1000)
	if code > 0.1 {
		t.Errorf("after the degradation %.0f%% of code still goes to cheap", 100*code)
	}
}
