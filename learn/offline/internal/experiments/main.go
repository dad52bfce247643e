// Command experiments reproduces the attempts docs/learning.md reports
// on improving the offline learner that were not kept: each runs the
// honest protocol of `switchyard replay --repeats 5` (30% of the prompts
// held out by hash, seeds 1-5; every choice made by cross-validation
// inside the training part) and prints per-seed and mean figures.
//
//	go run ./learn/offline/internal/experiments -data FILE.csv.gz -run stack|select|ensemble|costs|gain|difficulty|difficulty-auc
//
// stack: the kinds' priors stacked with the nearest-neighbour estimate,
// a weight per kind in [-1, 1] and K chosen by 4-fold CV. select: the
// tuning search scored by CV log loss, and by the routing score averaged
// over three fold assignments, instead of one. ensemble: the mean of the
// three best options' predictions instead of the best one's. costs: each model's cost
// per kind of prompt instead of one line in the prompt's length. gain:
// how well the text predicts, within a task, that GPT-4 is right where a
// cheaper model is wrong (out-of-fold AUC). difficulty: per-prompt
// difficulty signals — a model of other models' outcomes learned from
// auxiliary data (-aux), hand-made cues, and the ceiling of the auxiliary
// models' true scores — as a shift of the learned router's logits.
package main

import (
	"flag"
	"fmt"
	"os"

	"switchyard/learn/offline"
)

func main() {
	data := flag.String("data", "../shared/datasets/routing/routerbench_train.csv.gz", "outcome data (long format)")
	run := flag.String("run", "", "stack, select, ensemble, costs, gain, difficulty or difficulty-auc")
	flag.StringVar(&auxPath, "aux", "../shared/datasets/routing/routerdc7_train.csv.gz", "auxiliary outcome data for -run difficulty")
	flag.Parse()
	ds, err := offline.ReadFile(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	experiments := map[string]func(*offline.Dataset) error{"stack": stack, "select": selection, "ensemble": ensemble, "costs": kindCosts, "gain": gain, "difficulty": difficulty, "difficulty-auc": auxAUC}
	f := experiments[*run]
	if f == nil {
		fmt.Fprintln(os.Stderr, "-run must be stack, select, ensemble, costs, gain, difficulty or difficulty-auc")
		os.Exit(2)
	}
	if err := f(ds); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// holdout is one of the five held-out splits.
type holdout struct {
	seed        uint64
	train, test *offline.Dataset
}

func holdouts(ds *offline.Dataset) []holdout {
	var out []holdout
	for seed := uint64(1); seed <= 5; seed++ {
		tr, te := offline.HoldoutIndexes(ds, 0.3, seed)
		out = append(out, holdout{seed, ds.Subset(tr), ds.Subset(te)})
	}
	return out
}

// summarize routes test with est at every λ and summarizes the curve.
func summarize(test *offline.Dataset, est *offline.Estimates, scale float64) offline.Summary {
	return offline.Summarize(offline.Sweep(test, est, offline.DefaultLambdas(), scale), offline.Baselines(test))
}

// cvScore is the tuning's routing score of est on ds: the mean share of
// the reference's quality reached at 10, 25, 50, 75 and 100% of its cost.
func cvScore(ds *offline.Dataset, est *offline.Estimates, scale float64) float64 {
	front := offline.Frontier(offline.Sweep(ds, est, offline.DefaultLambdas(), scale))
	_, ref := offline.Reference(offline.Baselines(ds))
	sum := 0.0
	for _, s := range []float64{0.1, 0.25, 0.5, 0.75, 1} {
		if q, ok := offline.QualityAt(front, s*ref.CostPerQuery); ok {
			sum += q / ref.Quality
		}
	}
	return sum / 5
}

func kinds(m *offline.Model, ds *offline.Dataset) []int {
	out := make([]int, len(ds.Prompts))
	var v offline.Vector
	for i := range ds.Prompts {
		out[i] = m.Vectorize(ds.Prompts[i].Text, &v)
	}
	return out
}

// folds splits the indexes of n prompts into k folds' (train, held) pairs.
func folds(n, k int) [][2][]int {
	assign := offline.Folds(n, k, 7)
	out := make([][2][]int, k)
	for i, f := range assign {
		for g := range k {
			side := 0
			if g == f {
				side = 1
			}
			out[g][side] = append(out[g][side], i)
		}
	}
	return out
}

// runs prints each holdout's figures and the mean quality at 25% cost.
type runs struct {
	name string
	q25  []float64
}

func (r *runs) add(seed uint64, s offline.Summary, note string) {
	fmt.Printf("%s seed %d: q25 %s q50 %s c95 %s c100 %s %s\n", r.name, seed, pct(s.QualityAt25PctCost), pct(s.QualityAt50PctCost),
		pct(s.CostShareAt95PctQuality), pct(s.CostShareAt100PctQuality), note)
	if s.QualityAt25PctCost != nil {
		r.q25 = append(r.q25, *s.QualityAt25PctCost)
	}
}

func (r *runs) mean() {
	sum := 0.0
	for _, q := range r.q25 {
		sum += q
	}
	fmt.Printf("%s: mean quality at 25%% cost %.1f%% over %d runs\n", r.name, 100*sum/float64(len(r.q25)), len(r.q25))
}

func pct(p *float64) string {
	if p == nil {
		return "never"
	}
	return fmt.Sprintf("%.1f%%", 100**p)
}
