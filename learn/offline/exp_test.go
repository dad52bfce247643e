package offline

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

func auc(p, y []float64) float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(p[a], p[b]) })
	var pos, neg, sum float64
	for r, i := range idx {
		if y[i] > 0.5 {
			pos++
			sum += float64(r + 1)
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return 0.5
	}
	return (sum - pos*(pos+1)/2) / (pos * neg)
}

type variant struct {
	name string
	est  func(train, test *Dataset) *Estimates
}

func runVariants(t *testing.T, vs []variant) {
	path := os.Getenv("EXP_DATA")
	if path == "" {
		t.Skip()
	}
	ds, _ := ReadFile(path)
	only := os.Getenv("EXP_ONLY")
	for _, v := range vs {
		if only != "" && !strings.Contains(v.name, only) {
			continue
		}
		var sums [4]float64
		var cnt [4]int
		var q25 []float64
		for seed := uint64(1); seed <= 5; seed++ {
			tr, te := HoldoutIndexes(ds, 0.3, seed)
			train, test := ds.Subset(tr), ds.Subset(te)
			base := Baselines(test)
			s := Summarize(Sweep(test, v.est(train, test), DefaultLambdas(), 0.005), base)
			for k, p := range []*float64{s.QualityAt25PctCost, s.QualityAt50PctCost, s.CostShareAt95PctQuality, s.CostShareAt100PctQuality} {
				if p != nil {
					sums[k] += *p
					cnt[k]++
				}
			}
			if s.QualityAt25PctCost != nil {
				q25 = append(q25, *s.QualityAt25PctCost)
			}
		}
		fmt.Printf("%-28s", v.name)
		for k := range sums {
			if cnt[k] == 0 {
				fmt.Printf("   -  ")
				continue
			}
			fmt.Printf(" %.3f(%d)", sums[k]/float64(cnt[k]), cnt[k])
		}
		sd := 0.0
		m := sums[0] / float64(len(q25))
		for _, x := range q25 {
			sd += (x - m) * (x - m)
		}
		fmt.Printf("  q25 sd %.3f\n", math.Sqrt(sd/float64(len(q25))))
	}
}

func lrVariant(name string, mod func(*TrainOptions)) variant {
	return variant{name, func(train, test *Dataset) *Estimates {
		o := DefaultTrainOptions()
		mod(&o)
		m, err := Fit(train, o)
		if err != nil {
			panic(err)
		}
		return m.Estimate(test)
	}}
}

func TestExpVariants(t *testing.T) {
	runVariants(t, []variant{
		{"per_task", func(tr, te *Dataset) *Estimates { return PerTask(tr, te) }},
		{"knn20", func(tr, te *Dataset) *Estimates { return NewKNN(tr, DefaultFeatures(), 20).Estimate(te) }},
		{"knn50", func(tr, te *Dataset) *Estimates { return NewKNN(tr, DefaultFeatures(), 50).Estimate(te) }},
		lrVariant("lr default", func(o *TrainOptions) {}),
		lrVariant("lr l2=1e-5", func(o *TrainOptions) { o.L2 = 1e-5 }),
		lrVariant("lr l2=1e-3", func(o *TrainOptions) { o.L2 = 1e-3; o.SharedL2 = 1e-4 }),
		lrVariant("lr epochs 30", func(o *TrainOptions) { o.Epochs = 30 }),
		lrVariant("lr notail", func(o *TrainOptions) { o.Features.TailBytes = 0 }),
		lrVariant("lr nocal", func(o *TrainOptions) { o.CalibrationFolds = 0 }),
	})
}

func TestExpTuned(t *testing.T) {
	runVariants(t, []variant{
		{"tuned", func(tr, te *Dataset) *Estimates {
			res, err := Tune(tr, DefaultTrainOptions(), DefaultGrid(), 4)
			if err != nil {
				panic(err)
			}
			for _, x := range res.Tried {
				fmt.Printf("   k=%d ep=%d shape=%v l2=%g score=%.4f ll=%.4f\n", x.Options.Clusters, x.Options.Epochs, x.Options.ShapeOnly, x.Options.L2, x.Score, x.LogLoss)
			}
			m, err := Fit(tr, res.Best)
			if err != nil {
				panic(err)
			}
			return m.Estimate(te)
		}},
	})
}
