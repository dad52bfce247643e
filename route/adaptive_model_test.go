package route

import (
	"flag"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/learn/bandit"
	"switchyard/llm"
)

// The end-to-end adaptive routing test (e2e/adaptive_test.go) in
// process, fast enough to run over many seeds: the same route settings,
// accuracies, rating noise, request rate and phases, with route.Plan
// deciding and outcomes credited as the learner credits them. Costs are
// per request (gpt-4o-mini 6% of gpt-4o's), quality the expected share of
// right answers. docs/adaptive.md quotes its figures:
//
//	go test -run AdaptiveWorkloadModel -v ./route/ -args -adaptive-model-seeds=60
//	go test -run AdaptiveWorkloadModel -v ./route/ -args -adaptive-model-seeds=60 -adaptive-model-decay-only

var (
	modelSeeds     = flag.Int("adaptive-model-seeds", 8, "seeds TestAdaptiveWorkloadModel runs")
	modelDecayOnly = flag.Bool("adaptive-model-decay-only", false, "TestAdaptiveWorkloadModel without change detection (its bounds then fail)")
)

const modelFixture = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  dear:  {provider: p, price: {input: 2.5, output: 10}, quality: 0.9}
  cheap: {provider: p, price: {input: 0.15, output: 0.6}, quality: 0.75}
routes:
  learned:
    deployments: [dear, cheap]
    strategy: best
    adaptive: {enabled: true, lambda: 0.15, explore: 0.1, min_outcomes: 10, half_life: 6h}
`

// workloadModel is one seed's run.
type workloadModel struct {
	p       *Policy
	tab     *bandit.Table
	changes *bandit.Changes
	snap    *bandit.Snapshot
	rng     *bandit.Rand
	now     time.Time
	n       int
	drifted bool
}

var modelWeak = []llm.Category{llm.CategoryCode, llm.CategoryReasoning}

const modelAccuracy, modelWeakAccuracy, modelDrifted, modelNoise = 0.97, 0.5, 0.17, 0.1

// accuracy is dep's share of right answers in cat.
func (m *workloadModel) accuracy(dep string, cat llm.Category) float64 {
	switch {
	case dep == "cheap" && slices.Contains(modelWeak, cat):
		return modelWeakAccuracy
	case dep == "cheap" && m.drifted && cat == llm.CategoryExtraction:
		return modelDrifted
	}
	return modelAccuracy
}

// serve plans the next request (categories in turn, 7.2 s apart), rates
// its answer as the simulated user would and credits the outcome. It
// returns the request's category, the deployment that served it, the
// greedy one and the answer's chance of being right.
func (m *workloadModel) serve(t *testing.T) (cat llm.Category, dep, greedy string, acc float64) {
	cat = llm.Categories[m.n%len(llm.Categories)]
	m.n++
	m.now = m.now.Add(7200 * time.Millisecond)
	plan, err := m.p.Plan(&Input{Model: "learned", Tenant: "acme", Features: Features{Category: cat, Confidence: 0.9, PromptTokens: 100}, Seed: m.rng.Uint64(), Learned: m.snap})
	if err != nil {
		t.Fatal(err)
	}
	dep, greedy = plan.First(), plan.Explanation.Adaptive.Greedy
	acc = m.accuracy(dep, cat)
	right := m.rng.Float64() < acc
	if m.rng.Float64() < modelNoise {
		right = !right
	}
	reward := 0.0
	if right {
		reward = 1
	}
	ctx := plan.Explanation.Adaptive.Context
	for _, k := range bandit.Keys(nil, "learned", dep, "acme", ctx) {
		m.tab.Add(k, bandit.Counts{Good: reward, Bad: 1 - reward}, m.now)
	}
	if !*modelDecayOnly {
		m.changes.Observe(m.tab, "learned", dep, ctx, reward, m.now, func(bandit.Key, bandit.Counts) {})
	}
	m.snap = m.tab.Snapshot(m.now)
	return cat, dep, greedy, acc
}

// modelResult is what one seed measured.
type modelResult struct {
	saving, loss float64 // in the window
	stuck        bool    // a category cheap is as good at mostly on dear
	moved        int     // extraction requests until dear is greedy 10 in a row
	stay         float64 // dear's share of the 100 extraction requests from then
}

func runWorkloadModel(t *testing.T, p *Policy, seed uint64) modelResult {
	m := &workloadModel{
		p: p, tab: bandit.NewTable(func(string) time.Duration { return 6 * time.Hour }, 0), changes: bandit.NewChanges(0),
		rng: bandit.RNG(seed), now: time.Unix(1700000000, 0),
	}
	for range 1400 {
		m.serve(t)
	}
	var r modelResult
	cost, cheap, total := 0.0, map[llm.Category]int{}, map[llm.Category]int{}
	for range 2100 {
		cat, dep, _, acc := m.serve(t)
		total[cat]++
		r.loss += (modelAccuracy - acc) / modelAccuracy / 2100
		if cost++; dep == "cheap" {
			cost -= 0.94
			cheap[cat]++
		}
	}
	r.saving = 1 - cost/2100
	for cat, n := range total {
		r.stuck = r.stuck || !slices.Contains(modelWeak, cat) && cheap[cat] < n/2
	}
	m.drifted = true
	r.moved = -1
	streak, n, stayed, dear := 0, 0, 0, 0
	for range 1400 {
		cat, dep, greedy, _ := m.serve(t)
		if cat != llm.CategoryExtraction {
			continue
		}
		n++
		if r.moved < 0 {
			if streak = (streak + 1) * b2i(greedy == "dear"); streak == 10 {
				r.moved, stayed, dear = n-9, 10, 10
			}
			continue
		}
		stayed++
		dear += b2i(dep == "dear")
		if stayed == 100 {
			break
		}
	}
	r.stay = float64(dear) / float64(max(stayed, 1))
	return r
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAdaptiveWorkloadModel holds every seed to the end-to-end test's
// bounds: a cost at least 30% below always dear at an expected quality
// loss under 2% in the window, extraction back on dear within 40 of its
// requests after cheap degrades there, and dear serving 85% of it from
// then on.
func TestAdaptiveWorkloadModel(t *testing.T) {
	cfg, err := config.Parse([]byte(modelFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	var saving, loss, moved, stay []float64
	stuck := 0
	for seed := uint64(1); seed <= uint64(*modelSeeds); seed++ {
		r := runWorkloadModel(t, p, seed)
		if r.saving < 0.3 || r.loss > 0.02 || r.moved < 0 || r.moved > 40 || r.stay < 0.85 {
			t.Errorf("seed %d: %+v", seed, r)
		}
		saving, loss, moved, stay = append(saving, r.saving), append(loss, r.loss), append(moved, float64(r.moved)), append(stay, r.stay)
		stuck += b2i(r.stuck)
	}
	t.Logf("%d seeds: saving %s, expected quality loss %s, moved after %s extraction requests, then dear %s; a category stuck on dear in %d",
		*modelSeeds, spread(saving, 100, "%"), spread(loss, 100, "%"), spread(moved, 1, ""), spread(stay, 100, "%"), stuck)
}

// spread renders min–max (mean) of xs, scaled.
func spread(xs []float64, scale float64, unit string) string {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return fmt.Sprintf("%.4g–%.4g%s (mean %.4g%s)", scale*slices.Min(xs), scale*slices.Max(xs), unit, scale*sum/float64(len(xs)), unit)
}
