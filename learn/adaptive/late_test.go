package adaptive

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/learn/bandit"
	"switchyard/llm"
	"switchyard/store"
)

// This file runs e2e's TestAdaptiveRouting's workload through the
// learner in process, its decisions made as route's adaptive scorer
// makes them (bandit.Greedy and bandit.Decide on the published
// snapshot), and delivers each request's rating on a schedule: at once,
// or some decisions late, out of order, in bursts. Flush after every
// step makes a run depend on its seed alone.

var lateSeeds = &seedList{1, 2}

func init() {
	flag.Var(lateSeeds, "late-seeds", "TestLateFeedbackConverges's seeds, comma-separated (default 1,2)")
}

// seedList is a flag of comma-separated seeds.
type seedList []uint64

func (s seedList) String() string { return fmt.Sprint([]uint64(s)) }

func (s *seedList) Set(v string) error {
	*s = nil
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return err
		}
		*s = append(*s, n)
	}
	return nil
}

// lateModel is the workload: two deployments, the cheap one as good
// except on code and reasoning; a rating in ten the wrong way.
const (
	lateRoute    = "learned"
	lateDear     = "gpt-4o"
	lateCheap    = "gpt-4o-mini"
	lateAccuracy = 0.97
	lateWeak     = 0.5
	lateNoise    = 0.1
	lateLambda   = 0.15
	lateExplore  = 0.1
	lateMin      = 10
	lateEvery    = 7200 * time.Millisecond
	lateHalfLife = 6 * time.Hour
)

// lateArm is one deployment as the model's policy sees it: its configured
// quality (the prior's mean, the demo's) and its normalized cost.
var lateArms = [2]struct {
	dep           string
	quality, cost float64
}{{lateDear, 0.9, 1}, {lateCheap, 0.75, 0.06}}

func lateRight(dep string, c llm.Category) float64 {
	if dep == lateCheap && (c == llm.CategoryCode || c == llm.CategoryReasoning) {
		return lateWeak
	}
	return lateAccuracy
}

// delivery decides when the ratings queued so far are delivered: it is
// called after each decision with the ratings not yet delivered, oldest
// first, and returns those to deliver now, in the order to deliver them.
type delivery func(decision int, pending []*store.Feedback, rng *rand.Rand) (now, later []*store.Feedback)

// atOnce delivers each rating right after its decision.
func atOnce(_ int, pending []*store.Feedback, _ *rand.Rand) (now, later []*store.Feedback) {
	return pending, nil
}

// lateBy delivers the rating of decision i after decision i+k.
func lateBy(k int) delivery {
	return func(_ int, pending []*store.Feedback, _ *rand.Rand) (now, later []*store.Feedback) {
		if len(pending) <= k {
			return nil, pending
		}
		return pending[:len(pending)-k], pending[len(pending)-k:]
	}
}

// shuffledLateBy delivers the ratings in batches of k, each k decisions
// late and in a random order.
func shuffledLateBy(k int) delivery {
	return func(_ int, pending []*store.Feedback, rng *rand.Rand) (now, later []*store.Feedback) {
		if len(pending) < 2*k {
			return nil, pending
		}
		now = append([]*store.Feedback(nil), pending[:k]...)
		rng.Shuffle(len(now), func(i, j int) { now[i], now[j] = now[j], now[i] })
		return now, pending[k:]
	}
}

// inBursts delivers every pending rating once every k decisions.
func inBursts(k int) delivery {
	return func(i int, pending []*store.Feedback, _ *rand.Rand) (now, later []*store.Feedback) {
		if (i+1)%k != 0 {
			return nil, pending
		}
		return pending, nil
	}
}

// lateRun is what one run of the model measured over its window.
type lateRun struct {
	// weakToCheap is the share of code and reasoning the cheap
	// deployment served; goodToCheap that of the other categories.
	weakToCheap, goodToCheap float64
	// quality is the expected share of right answers against always the
	// dear deployment's; saving the cost below it.
	quality, saving float64
}

func (r lateRun) String() string {
	return fmt.Sprintf("code and reasoning %.1f%% to %s, the others %.1f%%; quality %.2f%% of always %s at %.1f%% less cost",
		100*r.weakToCheap, lateCheap, 100*r.goodToCheap, 100*r.quality, lateDear, 100*r.saving)
}

// runLate runs learnN requests, then measures windowN, the ratings
// delivered by deliver.
func runLate(t *testing.T, seed uint64, deliver delivery, learnN, windowN int) lateRun {
	t.Helper()
	c := newClock()
	l := newLearner(t, c, Options{HalfLife: map[string]time.Duration{lateRoute: lateHalfLife}})
	rng := rand.New(rand.NewPCG(seed, 1))
	var pending []*store.Feedback
	var weak, weakCheap, good, goodCheap int
	var right, cost float64
	for i := range learnN + windowN {
		c.Advance(lateEvery)
		cat := llm.Categories[i%len(llm.Categories)]
		ctx := bandit.ContextOf(bandit.Features{Category: cat, PromptTokens: 100})
		dep := lateDecide(l.Snapshot(), ctx, rng.Uint64())
		id := fmt.Sprintf("req_%d", i)
		l.Served(Served{RequestID: id, Route: lateRoute, Deployment: dep, Context: ctx, Answered: true})
		ok := rng.Float64() < lateRight(dep, cat)
		if rng.Float64() < lateNoise {
			ok = !ok
		}
		v := 0.0
		if ok {
			v = 1
		}
		pending = append(pending, rating(id, "", v))
		var now []*store.Feedback
		now, pending = deliver(i, pending, rng)
		for _, f := range now {
			l.Feedback([]*store.Feedback{f})
		}
		flush(t, l)
		if i < learnN {
			continue
		}
		right += lateRight(dep, cat)
		if dep == lateCheap {
			cost += lateArms[1].cost
		} else {
			cost += lateArms[0].cost
		}
		if cat == llm.CategoryCode || cat == llm.CategoryReasoning {
			weak++
			if dep == lateCheap {
				weakCheap++
			}
		} else {
			good++
			if dep == lateCheap {
				goodCheap++
			}
		}
	}
	return lateRun{
		weakToCheap: float64(weakCheap) / float64(weak), goodToCheap: float64(goodCheap) / float64(good),
		quality: right / (lateAccuracy * float64(windowN)), saving: 1 - cost/float64(windowN),
	}
}

// lateDecide puts first the deployment route's adaptive scorer would,
// from snapshot s (route/adaptive.go: Estimate, Greedy, Decide).
func lateDecide(s *bandit.Snapshot, ctx bandit.Context, seed uint64) string {
	var arms [2]bandit.Arm
	for i, a := range lateArms {
		est := s.Estimate(lateRoute, a.dep, "", ctx, bandit.Prior{Quality: a.quality, Weight: 10, Pool: 10})
		arms[i] = bandit.Arm{Alpha: est.Alpha, Beta: est.Beta, Cost: a.cost, Learned: est.Outcomes >= lateMin-1e-3, Outcomes: est.Outcomes}
	}
	var order [2]int
	bandit.Greedy(arms[:], lateLambda, order[:])
	return lateArms[bandit.Decide(arms[:], order[:], lateLambda, lateExplore, seed).First].dep
}

// TestLateFeedbackConverges: the learner ends up routing the workload
// as well when the ratings arrive 50 decisions late, in shuffled batches
// of 100, or in bursts every 300 decisions (36 minutes of this traffic)
// as when each arrives before the next decision: the goals of e2e's
// TestAdaptiveRouting hold in the measured window, and code and
// reasoning stay on the dear deployment but for exploration. (Ratings
// held back for 1,000 decisions, two hours here, are another matter:
// docs/adaptive.md, "Late feedback".)
func TestLateFeedbackConverges(t *testing.T) {
	const learnN, windowN = 1400, 2100
	schedules := []struct {
		name    string
		deliver delivery
	}{
		{"at once", atOnce},
		{"50 decisions late", lateBy(50)},
		{"in batches of 100, shuffled, 100 late", shuffledLateBy(100)},
		{"in bursts every 300 decisions", inBursts(300)},
	}
	for _, seed := range *lateSeeds {
		for _, s := range schedules {
			r := runLate(t, seed, s.deliver, learnN, windowN)
			t.Logf("seed %d, %s: %s", seed, s.name, r)
			if r.quality < 0.98 || r.saving < 0.3 || r.weakToCheap > 0.1 {
				t.Errorf("seed %d, ratings %s: %s; want ≥ 98%% of the quality at ≥ 30%% less cost, ≤ 10%% of code and reasoning to %s",
					seed, s.name, r, lateCheap)
			}
		}
	}
}
