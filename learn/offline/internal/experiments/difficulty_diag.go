package main

import (
	"fmt"
	"math"
	"slices"

	"switchyard/learn/offline"
)

// auxAUC says how much the difficulty model knows: within each task of
// the auxiliary data, the correlation of its out-of-fold prediction (5
// folds) with the auxiliary models' true mean score; and, within each
// task of the data (the task column is read here for the diagnosis only),
// on the five holdouts' test prompts, the AUC with which its prediction
// ranks GPT-4's correctness and "GPT-4 right where Yi-34B is wrong".
func auxAUC(ds *offline.Dataset) error {
	aux, err := offline.ReadFile(auxPath)
	if err != nil {
		return err
	}
	pred := make([]float64, len(aux.Prompts))
	for _, f := range folds(len(aux.Prompts), 5) {
		m, err := offline.Fit(aux.Subset(f[0]), auxOptions())
		if err != nil {
			return err
		}
		for _, i := range f[1] {
			pred[i] = meanLogit(predict(m, aux.Prompts[i].Text))
		}
	}
	for _, task := range tasksOf(aux) {
		var x, y []float64
		for i, p := range aux.Prompts {
			if p.Task == task {
				x, y = append(x, pred[i]), append(y, mean(p.Score))
			}
		}
		fmt.Printf("aux %s (%d prompts): out-of-fold correlation of predicted and true mean score %.2f\n", task, len(x), correlation(x, y))
	}
	overlapCounts(ds, aux)
	return routerBenchAUC(ds, aux)
}

// overlapCounts prints how many auxiliary prompts near-duplicate a prompt
// of ds, and, as a ceiling, how well the auxiliary models' true mean
// score on the prompt a question contains ranks GPT-4's correctness and
// its gain over the cheaper models, within each task.
func overlapCounts(ds, aux *offline.Dataset) {
	n := 0
	for _, o := range overlapping(aux, ds) {
		if o {
			n++
		}
	}
	fmt.Printf("%d of %d auxiliary prompts near-duplicate a prompt of the data\n", n, len(aux.Prompts))
	index := map[uint64][]int{}
	for i := range aux.Prompts {
		for _, h := range shingles(aux.Prompts[i].Text) {
			index[h] = append(index[h], i)
		}
	}
	ref := slices.Index(ds.Models, "gpt-4-1106-preview")
	byTask := map[string][][]float64{}
	for _, p := range ds.Prompts {
		if a := bestMatch(index, aux, lastBlock(p.Text)); a >= 0 && ref >= 0 {
			byTask[p.Task] = append(byTask[p.Task], append([]float64{mean(aux.Prompts[a].Score)}, p.Score...))
		}
	}
	for _, task := range tasksOf(ds) {
		rows := byTask[task]
		fmt.Printf("%s: %d prompts contain an auxiliary one", task, len(rows))
		if len(rows) == 0 {
			fmt.Println()
			continue
		}
		d, right := column(rows, 0), column(rows, 1+ref)
		fmt.Printf("; the auxiliary models' true mean score ranks GPT-4 right at AUC %.2f", auc(d, right))
		for _, cheap := range []string{"zero-one-ai/Yi-34B-Chat", "mistralai/mixtral-8x7b-chat", "gpt-3.5-turbo-1106"} {
			c := slices.Index(ds.Models, cheap)
			if c < 0 {
				continue
			}
			gain, neg := make([]float64, len(rows)), make([]float64, len(rows))
			for i, r := range rows {
				if r[1+ref] > r[1+c] {
					gain[i] = 1
				}
				neg[i] = -d[i]
			}
			fmt.Printf(", GPT-4 right where %s is wrong at %.2f", cheap, auc(neg, gain))
		}
		fmt.Println()
	}
}

func column(rows [][]float64, j int) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = r[j]
	}
	return out
}

func routerBenchAUC(ds *offline.Dataset, aux *offline.Dataset) error {
	ref, yi := slices.Index(ds.Models, "gpt-4-1106-preview"), slices.Index(ds.Models, "zero-one-ai/Yi-34B-Chat")
	if ref < 0 || yi < 0 {
		return fmt.Errorf("the data has no gpt-4-1106-preview or zero-one-ai/Yi-34B-Chat")
	}
	type pooled struct{ d, right, gain []float64 }
	byTask := map[string]*pooled{}
	for _, h := range holdouts(ds) {
		m, _, _, err := auxModels(aux, h.train, h.test, nil)
		if err != nil {
			return err
		}
		for _, p := range h.test.Prompts {
			t := byTask[p.Task]
			if t == nil {
				t = &pooled{}
				byTask[p.Task] = t
			}
			t.d = append(t.d, meanLogit(predict(m, lastBlock(p.Text))))
			t.right = append(t.right, p.Score[ref])
			g := 0.0
			if p.Score[ref] > p.Score[yi] {
				g = 1
			}
			t.gain = append(t.gain, g)
		}
	}
	for _, task := range tasksOf(ds) {
		t := byTask[task]
		neg := make([]float64, len(t.d))
		for i, x := range t.d {
			neg[i] = -x
		}
		fmt.Printf("%s (%d test prompts over 5 holdouts): AUC of predicted ease for GPT-4 right %.2f; of predicted difficulty for GPT-4 right where Yi-34B is wrong %.2f\n",
			task, len(t.d), auc(t.d, t.right), auc(neg, t.gain))
	}
	return nil
}

func tasksOf(ds *offline.Dataset) []string {
	var out []string
	for _, p := range ds.Prompts {
		if !slices.Contains(out, p.Task) {
			out = append(out, p.Task)
		}
	}
	slices.Sort(out)
	return out
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func correlation(x, y []float64) float64 {
	mx, my := mean(x), mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// auc is the probability that a prompt with outcome 1 scores above one
// with outcome 0 (ties count half).
func auc(score, outcome []float64) float64 {
	var wins, pairs float64
	for i := range score {
		for j := range score {
			if outcome[i] > 0.5 && outcome[j] <= 0.5 {
				pairs++
				switch {
				case score[i] > score[j]:
					wins++
				case score[i] == score[j]:
					wins += 0.5
				}
			}
		}
	}
	return wins / pairs
}
