package e2e

import (
	"context"
	"flag"
	"fmt"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim/workload"
)

// The adaptive routing acceptance test (docs/adaptive.md, "End to end").
//
// Route "learned" offers gpt-4o (dear: $2.50/$10 per 1M tokens) and
// gpt-4o-mini (cheap: $0.15/$0.60), static strategy best (gpt-4o first),
// adaptive on. On the simulators both answer 95% of the workload's
// questions right, except that gpt-4o-mini answers only half of the code,
// reasoning and creative ones right. Users rate every answer, one rating
// in ten the wrong way.

var adaptiveSeed = flag.Uint64("adaptive-seed", 1, "seed of TestAdaptiveRouting's workload, simulators and simulated users")

const (
	learnedRoute = "learned"
	dearDep      = "gpt-4o"
	cheapDep     = "gpt-4o-mini"
	// accuracy is both models' share of right answers, cheapWeak the
	// cheap one's on weakCategories.
	accuracy  = 0.95
	cheapWeak = 0.5
	// ratingNoise is the share of ratings the wrong way.
	ratingNoise = 0.1
	// The workload runs at 500 requests an hour of the learner's virtual
	// time; the route's half-life is an hour.
	requestEvery = 7200 * time.Millisecond
	halfLife     = time.Hour
	// learnN requests to learn, then windowN measured against always
	// gpt-4o, then at most driftN after the cheap model degrades.
	learnN, windowN, driftN = 1400, 1400, 1400
	// driftCategory is where gpt-4o-mini degrades mid-run, by driftDrop.
	driftCategory = llm.CategoryExtraction
	driftDrop     = 0.6
)

var weakCategories = []llm.Category{llm.CategoryCode, llm.CategoryReasoning, llm.CategoryCreative}

// learnedRouteConfig adds route "learned" to the demo configuration.
func learnedRouteConfig(c *config.Config) {
	c.Routes[learnedRoute] = &config.Route{
		Name: learnedRoute, Deployments: []string{dearDep, cheapDep},
		Policy: config.Policy{Strategy: config.StrategyBest},
		Adaptive: &config.Adaptive{
			Enabled: true, Lambda: 0.1, Explore: 0.1, MinOutcomes: 3, HalfLife: halfLife,
			PriorWeight: 10, Pool: 10,
		},
	}
}

// simulate makes e's simulators answer items with the test's accuracies
// and seed, through their control API.
func simulate(t *testing.T, e *env, seed uint64, items []workload.Item) {
	t.Helper()
	if err := workload.Register(&e.Sim.Behavior.Knowledge, items); err != nil {
		t.Fatal(err)
	}
	simControl(t, e, "/_sim/seed", fmt.Sprintf(`{"seed":%d}`, seed))
	simControl(t, e, "/_sim/accuracy", fmt.Sprintf(`{"model":%q,"accuracy":{"*":%v}}`, dearDep, accuracy))
	weak := fmt.Sprintf(`"*":%v`, accuracy)
	for _, c := range weakCategories {
		weak += fmt.Sprintf(",%q:%v", c, cheapWeak)
	}
	simControl(t, e, "/_sim/accuracy", fmt.Sprintf(`{"model":%q,"accuracy":{%s}}`, cheapDep, weak))
}

func TestAdaptiveRouting(t *testing.T) {
	seed := *adaptiveSeed
	items := workload.Generate(workload.Options{Seed: seed, N: learnN + windowN + driftN})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()

	clock := newVirtualClock()
	e, recs := newAdaptiveEnv(t, clock, learnedRouteConfig)
	simulate(t, e, seed, items)
	rater, err := workload.NewRater(seed, ratingNoise)
	if err != nil {
		t.Fatal(err)
	}
	d := &driver{t: t, e: e, clock: clock, recs: recs, rater: rater, every: requestEvery}
	la := d.run(ctx, learnedRoute, items[:learnN])
	learning := tallyOf(la)
	for b := 0; b < learnN; b += 350 {
		tb := tallyOf(la[b : b+350])
		line := ""
		for _, c := range llm.Categories {
			line += fmt.Sprintf(" %s=%.0f%%", c[:4], 100*tb.share(c, cheapDep))
		}
		t.Logf("block %d:%s", b, line)
	}
	t.Logf("learning: %s (%v)", learning, time.Since(start))
	window := items[learnN : learnN+windowN]
	adaptive := tallyOf(d.run(ctx, learnedRoute, window))
	t.Logf("adaptive window: %s (%v)", adaptive, time.Since(start))
	for _, c := range llm.Categories {
		t.Logf("  %s: %.1f%% to %s", c, 100*adaptive.share(c, cheapDep), cheapDep)
	}

	// The same window, always on gpt-4o, on simulators of the same seed.
	be, brecs := newAdaptiveEnv(t, newVirtualClock(), nil)
	simulate(t, be, seed, items)
	bd := &driver{t: t, e: be, clock: newVirtualClock(), recs: brecs, every: requestEvery}
	best := tallyOf(bd.run(ctx, dearDep, window))
	t.Logf("always %s: %s (%v)", dearDep, best, time.Since(start))
	saving, ratio := 1-adaptive.costUSD/best.costUSD, adaptive.quality()/best.quality()
	t.Logf("cost saving %.1f%%, quality ratio %.4f", 100*saving, ratio)
	if saving < 0.30 || ratio < 0.98 {
		t.Errorf("adaptive: cost %.1f%% below always %s at %.2f%% of its quality; want ≥ 30%% at ≥ 98%%", 100*saving, dearDep, 100*ratio)
	}

	// gpt-4o-mini degrades on extraction.
	simControl(t, e, "/_sim/drift", fmt.Sprintf(`{"model":%q,"accuracy_drop":{%q:%v}}`, cheapDep, driftCategory, driftDrop))
	n, moved := 0, -1
	var after []answer
	for i := learnN + windowN; i < len(items); i++ {
		a := d.ask(ctx, learnedRoute, &items[i])
		if a.item.Category != driftCategory {
			if moved >= 0 {
				after = append(after, a)
			}
			continue
		}
		n++
		if moved < 0 && a.greedy == dearDep {
			moved = n
		}
		if moved >= 0 {
			after = append(after, a)
		}
	}
	t.Logf("drift: %s moved back to %s after %d %s requests (%v)", driftCategory, dearDep, moved, driftCategory, time.Since(start))
	post := tallyOf(after)
	for _, c := range llm.Categories {
		t.Logf("  after: %s: %.1f%% to %s", c, 100*post.share(c, cheapDep), cheapDep)
	}
}
