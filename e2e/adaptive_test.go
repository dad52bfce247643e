package e2e

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim/workload"
)

// The adaptive routing acceptance test (issue 10; docs/adaptive.md, "End
// to end").
//
// Route "learned" offers gpt-4o (dear: $2.50/$10 per 1M tokens, the demo's
// list prices) and gpt-4o-mini (cheap: $0.15/$0.60), static strategy best
// (gpt-4o first), adaptive on. On the simulators both answer 97% of the
// seeded workload's questions right, except that gpt-4o-mini answers only
// half of the code and reasoning ones right. A simulated user rates every
// answer through POST /v1/feedback, one rating in ten the wrong way.

var adaptiveSeed = flag.Uint64("adaptive-seed", 1, "seed of TestAdaptiveRouting's workload, simulators and simulated users")

const (
	learnedRoute = "learned"
	dearDep      = "gpt-4o"
	cheapDep     = "gpt-4o-mini"
	// accuracy is both models' share of right answers, cheapWeak the
	// cheap one's on weakCategories.
	accuracy  = 0.97
	cheapWeak = 0.5
	// ratingNoise is the share of ratings the wrong way.
	ratingNoise = 0.1
	// The workload runs at 500 requests an hour of the learner's virtual
	// time (about 71 an hour per category); the route's half-life is 6
	// hours, so an arm that serves a category holds about 600 decayed
	// outcomes there.
	requestEvery = 7200 * time.Millisecond
	halfLife     = 6 * time.Hour
	// learnN requests to learn, then windowN measured against always
	// gpt-4o, then at most driftN after the cheap model degrades.
	learnN, windowN, driftN = 1400, 2100, 1400
	// driftCategory is where gpt-4o-mini degrades mid-run, by driftDrop
	// (0.97 → 0.17).
	driftCategory = llm.CategoryExtraction
	driftDrop     = 0.8
	// movedWithin bounds the driftCategory requests after the drift until
	// its traffic has moved back: gpt-4o is the greedy choice for
	// movedStreak of them in a row from then on. The learner notices the
	// change within its window of bandit.ChangeWindow (30) outcomes of
	// gpt-4o-mini there, which serves all but the explored share of them
	// until then; measured worst cases are in docs/adaptive.md.
	movedWithin, movedStreak = 40, 10
	// Of the stayN driftCategory requests from the move on, gpt-4o serves
	// at least stayShare (the rest is exploration, at most 10%, and the
	// greedy streak's tolerance).
	stayN, stayShare = 100, 0.85
	// otherSlack is how much of another category gpt-4o-mini may lose
	// after the drift, against its share in the measured window.
	otherSlack = 0.1
	// heldShare is the share of a category's window requests from which
	// gpt-4o-mini counts as holding it.
	heldShare = 0.5
)

var weakCategories = []llm.Category{llm.CategoryCode, llm.CategoryReasoning}

// learnedRouteConfig adds route "learned" to the demo configuration.
func learnedRouteConfig(c *config.Config) {
	c.Routes[learnedRoute] = &config.Route{
		Name: learnedRoute, Deployments: []string{dearDep, cheapDep},
		Policy: config.Policy{Strategy: config.StrategyBest},
		Adaptive: &config.Adaptive{
			Enabled: true, Lambda: 0.15, Explore: 0.1, MinOutcomes: 10, HalfLife: halfLife,
			PriorWeight: config.DefaultAdaptivePriorWeight, Pool: config.DefaultAdaptivePool,
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

// TestAdaptiveRouting: after learning from rated traffic, the adaptive
// route costs at least 30% less than always gpt-4o at 98% of its quality
// or more, on the same requests; when gpt-4o-mini degrades on a category
// it was good at, that category's traffic moves back to gpt-4o within a
// bounded number of requests and stays there, and the other categories
// stay where they were.
func TestAdaptiveRouting(t *testing.T) {
	t.Parallel()
	adaptiveRouting(t, 0)
}

// TestAdaptiveRoutingLateFeedback: the same goals when each rating is
// posted only after the next lateRatings requests were answered, so that
// every decision is taken before the outcomes of the last lateRatings
// (about three per category) are known (docs/adaptive.md, "Late
// feedback").
func TestAdaptiveRoutingLateFeedback(t *testing.T) {
	t.Parallel()
	adaptiveRouting(t, lateRatings)
}

// lateRatings is how many requests late TestAdaptiveRoutingLateFeedback
// posts each rating: 20 requests, 2.4 minutes of the learner's time.
const lateRatings = 20

// adaptiveRouting runs the acceptance test, each rating posted late
// requests after its answer.
func adaptiveRouting(t *testing.T, late int) {
	seed := *adaptiveSeed
	items := workload.Generate(workload.Options{Seed: seed, N: learnN + windowN + driftN})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()

	clock := newVirtualClock()
	e, recs := newAdaptiveEnv(t, clock, learnedRouteConfig)
	simulate(t, e, seed, items)
	rater, err := workload.NewRater(seed, ratingNoise)
	if err != nil {
		t.Fatal(err)
	}
	d := &driver{t: t, e: e, clock: clock, recs: recs, rater: rater, every: requestEvery, late: late}
	d.run(ctx, learnedRoute, items[:learnN])
	window := items[learnN : learnN+windowN]
	adaptive := tallyOf(d.run(ctx, learnedRoute, window))

	best := alwaysDear(ctx, t, seed, items, window)

	saving, ratio := 1-adaptive.costUSD/best.costUSD, adaptive.quality()/best.quality()
	t.Logf("seed %d, ratings %d requests late: adaptive %s; always %s %s: cost %.1f%% lower at %.2f%% of the quality", seed, late, adaptive, dearDep, best, 100*saving, 100*ratio)
	for _, c := range llm.Categories {
		t.Logf("  %-13s %5.1f%% to %s", c, 100*adaptive.share(c, cheapDep), cheapDep)
	}
	if saving < 0.30 || ratio < 0.98 {
		t.Errorf("adaptive: cost %.1f%% below always %s at %.2f%% of its quality; want ≥ 30%% at ≥ 98%%", 100*saving, dearDep, 100*ratio)
	}

	// gpt-4o-mini degrades on extraction, as an operator would make it.
	simControl(t, e, "/_sim/drift", fmt.Sprintf(`{"model":%q,"accuracy_drop":{%q:%v}}`, cheapDep, driftCategory, driftDrop))
	moved, after := d.driftUntilMoved(ctx, items[learnN+windowN:])
	if moved < 0 || moved > movedWithin {
		t.Fatalf("%s traffic did not move back to %s within %d of its requests (moved after %d; −1: not in %d requests)", driftCategory, dearDep, movedWithin, moved, driftN)
	}
	t.Logf("%s moved back to %s after %d %s requests (bound %d); %v in all", driftCategory, dearDep, moved, driftCategory, movedWithin, time.Since(start))
	post := tallyOf(after)
	t.Logf("after the move: %s %.1f%% to %s; the others %s", driftCategory, 100*post.share(driftCategory, dearDep), dearDep, post.cheapShares())
	if share := post.share(driftCategory, dearDep); share < stayShare {
		t.Errorf("after the move %s served %.1f%% of %s, want ≥ %.0f%%", dearDep, 100*share, driftCategory, 100*stayShare)
	}
	// The categories gpt-4o-mini held in the window keep it. One it did
	// not (an unlucky early estimate left it mostly on gpt-4o, as in some
	// runs: the exploration draw hashes the random request id) has only
	// explored requests there, and their share may fall (13.7% then 1.0%
	// of summarization in one loaded run).
	for _, c := range llm.Categories {
		if before, now := adaptive.share(c, cheapDep), post.share(c, cheapDep); !weak(c) && c != driftCategory && before >= heldShare && now < before-otherSlack {
			t.Errorf("after the drift %s served %.1f%% of %s, %.1f%% before", cheapDep, 100*now, c, 100*before)
		}
	}
}

// alwaysDearRuns holds the always-gpt-4o baseline of each seed: both
// acceptance tests measure against the same requests, and one run of
// them (2,100 requests through the router under -race) is enough.
var alwaysDearRuns = struct {
	sync.Mutex
	bySeed map[uint64]tally
}{bySeed: map[uint64]tally{}}

// alwaysDear returns the tally of window sent always to gpt-4o, on fresh
// simulators of the same seed (a request that gpt-4o serves in both runs
// gets the same answer), running it once per seed.
func alwaysDear(ctx context.Context, t *testing.T, seed uint64, items, window []workload.Item) tally {
	t.Helper()
	alwaysDearRuns.Lock()
	defer alwaysDearRuns.Unlock()
	if best, ok := alwaysDearRuns.bySeed[seed]; ok {
		return best
	}
	be, brecs := newAdaptiveEnv(t, newVirtualClock(), nil)
	simulate(t, be, seed, items)
	bd := &driver{t: t, e: be, clock: newVirtualClock(), recs: brecs, every: requestEvery}
	best := tallyOf(bd.run(ctx, dearDep, window))
	alwaysDearRuns.bySeed[seed] = best
	return best
}

// driftUntilMoved sends items until driftCategory's traffic has moved
// back to gpt-4o (movedStreak of its requests in a row with gpt-4o as the
// greedy choice) and stayN of its requests were served from the move on.
// It returns how many driftCategory requests the move took (−1: not
// within the items) and the answers from the move on.
func (d *driver) driftUntilMoved(ctx context.Context, items []workload.Item) (moved int, after []answer) {
	d.t.Helper()
	n, streak, stayed, moved := 0, 0, 0, -1
	var pending []answer // since the current streak began
	for i := range items {
		a := d.ask(ctx, learnedRoute, &items[i])
		if moved >= 0 {
			after = append(after, a)
			if a.item.Category == driftCategory {
				if stayed++; stayed == stayN {
					return moved, after
				}
			}
			continue
		}
		pending = append(pending, a)
		if a.item.Category != driftCategory {
			continue
		}
		n++
		if a.greedy != dearDep {
			streak, pending = 0, pending[:0]
			continue
		}
		if streak++; streak == movedStreak {
			moved, stayed = n-movedStreak+1, movedStreak
			after = append(after, pending...)
		}
	}
	return moved, after
}

func weak(c llm.Category) bool {
	for _, w := range weakCategories {
		if c == w {
			return true
		}
	}
	return false
}
