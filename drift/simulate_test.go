package drift

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// This file measures the statistics layer on simulated outcome draws:
// the false-alarm rate on a deployment that does not change, and the
// power to detect the drifts the issue names. docs/drift.md publishes
// the figures TestDriftPowerAndFalseAlarms logs (go test -run
// TestDriftPowerAndFalseAlarms -v ./drift/).

// simPrompt is one golden prompt of the simulated world.
type simPrompt struct {
	id       string
	category llm.Category
	harmful  bool
	acc      float64 // probability of passing when healthy
	chars    float64 // the prompt's typical answer length
}

// simWorld draws runs of a set against one simulated deployment.
type simWorld struct {
	prompts []simPrompt
	rng     *rand.Rand
	// The drift: answers' length factor, refusal rate of benign prompts,
	// accuracy per category (replacing the prompt's).
	verbosity float64
	refusal   float64
	accuracy  map[llm.Category]float64
}

// newSimWorld builds n prompts spread over cats round robin, every tenth
// one harmful (it must be refused), with accuracies (pass rates) around
// acc, 2% refusals of the others, and answer lengths spread over two
// orders of magnitude (within a prompt, ±20%).
func newSimWorld(seed uint64, n int, cats []llm.Category, acc float64) *simWorld {
	w := &simWorld{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), verbosity: 1, refusal: 0.02}
	for i := range n {
		w.prompts = append(w.prompts, simPrompt{
			id: fmt.Sprintf("p%d", i), category: cats[i%len(cats)], harmful: i%10 == 9,
			acc: min(1, max(0.5, acc+0.05*w.rng.NormFloat64())), chars: 400 * math.Exp(0.9*w.rng.NormFloat64()),
		})
	}
	return w
}

// run draws one run: every prompt asked once.
func (w *simWorld) run() []store.DriftResult {
	out := make([]store.DriftResult, 0, len(w.prompts))
	for _, p := range w.prompts {
		r := store.DriftResult{PromptID: p.id, Category: p.category, Expect: string(KindContains)}
		acc := p.acc
		if a, ok := w.accuracy[p.category]; ok {
			acc = a
		}
		if p.harmful {
			r.Expect = string(KindRefuses)
			r.Refusal = w.rng.Float64() < acc
			r.Pass = r.Refusal
		} else {
			// One draw places the answer: a refusal below the refusal
			// rate, a pass above 1-acc (a refusal never passes), else a
			// wrong answer. The pass rate is acc while refusals are rarer
			// than wrong answers.
			u := w.rng.Float64()
			r.Refusal = u < w.refusal
			r.Pass = !r.Refusal && u >= 1-acc
		}
		r.AnswerChars = int(p.chars * w.verbosity * math.Exp(0.2*w.rng.NormFloat64()))
		if r.Refusal {
			r.AnswerChars = 40
		}
		r.Latency = time.Duration((200 + 2*float64(r.AnswerChars)) * math.Exp(0.25*w.rng.NormFloat64()) * float64(time.Millisecond))
		out = append(out, r)
	}
	return out
}

// firstFlag runs baseline healthy runs, then drifts (when drift is not
// nil) and runs up to looks compared runs; it returns the 1-based
// compared run that was first flagged, or 0.
func firstFlag(w *simWorld, o Options, looks int, drift func(*simWorld)) int {
	o = o.WithDefaults()
	var h History
	for h.NeedsBaseline(o) {
		h.AddBaseline(w.run())
	}
	if drift != nil {
		drift(w)
	}
	for look := 1; look <= looks; look++ {
		cur := w.run()
		c := &Comparison{Deployment: "d", Tests: h.Compare(cur, o)}
		Decide([]*Comparison{c}, o)
		if VerdictOf(c.Tests, o) == VerdictFlagged {
			return look
		}
		h.AddCompared(cur, o)
	}
	return 0
}

// scenario is one measured case.
type scenario struct {
	name    string
	prompts int
	cats    []llm.Category
	drift   func(*simWorld)
	looks   int // compared runs allowed
}

// measure returns the share of seeded repeats flagged within sc.looks
// compared runs.
func measure(sc scenario, repeats int, o Options) float64 {
	flagged := 0
	for seed := range repeats {
		w := newSimWorld(uint64(seed)+1, sc.prompts, sc.cats, 0.9)
		if look := firstFlag(w, o, sc.looks, sc.drift); look > 0 {
			flagged++
		}
	}
	return float64(flagged) / float64(repeats)
}

var (
	allCategories = llm.Categories
	oneCategory   = []llm.Category{llm.CategoryReasoning}
	verboseRefuse = func(w *simWorld) { w.verbosity, w.refusal = 1.3, 0.15 }
	reasoningDrop = func(w *simWorld) { w.accuracy = map[llm.Category]float64{llm.CategoryReasoning: 0.75} }
)

// TestDriftPowerAndFalseAlarms holds the statistics to the issue's
// figures, on 200 seeded repeats each, with the default options (alarm
// budget α=0.05 over 10 looks, baseline of 5 runs, window of 3):
//   - an unchanged deployment is flagged in at most 5% of repeats of ten
//     runs (5 baseline runs, then 5 compared);
//   - answers 30% longer with refusals up from 2% to 15% are flagged
//     within two runs of 100 prompts;
//   - an accuracy drop from 90% to 75% on one category is flagged within
//     three runs of 100 prompts of that category.
func TestDriftPowerAndFalseAlarms(t *testing.T) {
	const repeats = 200
	o := Options{}
	cases := []struct {
		sc       scenario
		min, max float64
	}{
		{scenario{"unchanged, 10 runs of 100 prompts over 7 categories", 100, allCategories, nil, 5}, 0, 0.05},
		{scenario{"30% longer, refusals 2%→15%, within 2 runs of 100", 100, allCategories, verboseRefuse, 2}, 0.99, 1},
		{scenario{"one category 90%→75%, within 3 runs of 100 prompts of it", 100, oneCategory, reasoningDrop, 3}, 0.95, 1},
	}
	for _, c := range cases {
		got := measure(c.sc, repeats, o)
		t.Logf("%-60s flagged in %5.1f%% of %d repeats", c.sc.name, 100*got, repeats)
		if got < c.min || got > c.max {
			t.Errorf("%s: flagged in %.3f of repeats, want within [%.2f, %.2f]", c.sc.name, got, c.min, c.max)
		}
	}
}

// TestDriftPowerTable logs more cases for docs/drift.md (run it with -v):
// the same drop on a category that is one of seven in a mixed set (about
// 14 prompts a run), smaller drifts, and the false-alarm rate over three
// budgets' worth of runs. It holds that last one to its bound (α per
// Looks runs: 15% over 30) and a longer watch to find at least what a
// shorter one does.
func TestDriftPowerTable(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a table for the docs; single-goroutine arithmetic the race detector only slows")
	}
	const repeats = 200
	got := map[string]float64{}
	for _, sc := range []scenario{
		{"one category of 7 (14 prompts/run) 90%→75%, within 3 runs", 100, allCategories, reasoningDrop, 3},
		{"one category of 7 (14 prompts/run) 90%→75%, within 10 runs", 100, allCategories, reasoningDrop, 10},
		{"one category, 50 prompts/run, 90%→75%, within 3 runs", 50, oneCategory, reasoningDrop, 3},
		{"15% longer only, within 2 runs of 100", 100, allCategories, func(w *simWorld) { w.verbosity = 1.15 }, 2},
		{"refusals 2%→8% only, within 2 runs of 100", 100, allCategories, func(w *simWorld) { w.refusal = 0.08 }, 2},
		{"unchanged, 30 compared runs (3 budgets)", 100, allCategories, nil, 30},
	} {
		got[sc.name] = measure(sc, repeats, Options{})
		t.Logf("%-62s flagged in %5.1f%% of %d repeats", sc.name, 100*got[sc.name], repeats)
	}
	if fa := got["unchanged, 30 compared runs (3 budgets)"]; fa > 0.15 {
		t.Errorf("false alarms over 30 runs: %.3f, over the 0.15 the budget allows", fa)
	}
	if got["one category of 7 (14 prompts/run) 90%→75%, within 10 runs"] < got["one category of 7 (14 prompts/run) 90%→75%, within 3 runs"] {
		t.Error("watching longer found less")
	}
}
