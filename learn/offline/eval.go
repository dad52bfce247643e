package offline

import (
	"fmt"
	"math"
)

// Evaluation is several replays of one dataset (repeated held-out
// splits, or one group held out at a time) and the spread of their
// summaries.
type Evaluation struct {
	Runs []*Report `json:"runs"`
	// Aggregate holds, per router ("learned", "knn", "per_task"), the mean
	// and spread of each summary metric over the runs.
	Aggregate map[string]map[string]Stat `json:"aggregate"`
}

// Stat is one metric over several runs: its mean and standard deviation
// over the runs that reached it, and how many did.
type Stat struct {
	Mean    float64 `json:"mean"`
	SD      float64 `json:"sd"`
	Reached int     `json:"reached"`
	Runs    int     `json:"runs"`
}

// Metric names in Evaluation.Aggregate.
const (
	MetricQ25  = "quality_at_25pct_cost"
	MetricQ50  = "quality_at_50pct_cost"
	MetricC95  = "cost_share_at_95pct_quality"
	MetricC100 = "cost_share_at_100pct_quality"
)

// Metrics lists the metric names in report order.
var Metrics = []string{MetricQ25, MetricQ50, MetricC95, MetricC100}

// Values returns the summary's metrics by name (nil: not reached).
func (s *Summary) Values() map[string]*float64 {
	return map[string]*float64{
		MetricQ25: s.QualityAt25PctCost, MetricQ50: s.QualityAt50PctCost,
		MetricC95: s.CostShareAt95PctQuality, MetricC100: s.CostShareAt100PctQuality,
	}
}

// RepeatHoldout replays ds n times, holding out share of the prompts by
// hash with seeds seed, seed+1, …
func RepeatHoldout(ds *Dataset, share float64, seed uint64, n int, o ReplayOptions) (*Evaluation, error) {
	ev := &Evaluation{}
	for k := range n {
		s := seed + uint64(k)
		tr, te := HoldoutIndexes(ds, share, s)
		rep, err := Replay(ds.Subset(tr), ds.Subset(te), fmt.Sprintf("holdout %.2f seed %d", share, s), o)
		if err != nil {
			return nil, err
		}
		ev.Runs = append(ev.Runs, rep)
	}
	ev.aggregate()
	return ev, nil
}

// LeaveOneOut replays ds once per value of column ("task" or "source"),
// training on the other groups and testing on that one.
func LeaveOneOut(ds *Dataset, column string, o ReplayOptions) (*Evaluation, error) {
	groups, err := ds.Groups(column)
	if err != nil {
		return nil, err
	}
	if len(groups) < 2 {
		return nil, fmt.Errorf("offline: leave-one-out needs at least 2 values of %s, found %d", column, len(groups))
	}
	ev := &Evaluation{}
	for _, g := range groups {
		tr, te, _ := GroupIndexes(ds, column, g)
		rep, err := Replay(ds.Subset(tr), ds.Subset(te), fmt.Sprintf("%s=%s held out", column, g), o)
		if err != nil {
			return nil, fmt.Errorf("offline: %s=%s: %w", column, g, err)
		}
		ev.Runs = append(ev.Runs, rep)
	}
	ev.aggregate()
	return ev, nil
}

func (ev *Evaluation) aggregate() {
	ev.Aggregate = map[string]map[string]Stat{}
	routers := map[string]func(*Report) *Summary{
		"learned": func(r *Report) *Summary { return &r.Summary },
	}
	for _, name := range []string{"knn", "per_task"} {
		routers[name] = func(r *Report) *Summary { s := r.Routers[name].Summary; return &s }
	}
	for name, get := range routers {
		stats := map[string]Stat{}
		for _, metric := range Metrics {
			var xs []float64
			for _, r := range ev.Runs {
				if v := get(r).Values()[metric]; v != nil {
					xs = append(xs, *v)
				}
			}
			stats[metric] = stat(xs, len(ev.Runs))
		}
		ev.Aggregate[name] = stats
	}
}

func stat(xs []float64, runs int) Stat {
	s := Stat{Reached: len(xs), Runs: runs}
	if len(xs) == 0 {
		return s
	}
	for _, x := range xs {
		s.Mean += x
	}
	s.Mean /= float64(len(xs))
	for _, x := range xs {
		s.SD += (x - s.Mean) * (x - s.Mean)
	}
	s.SD = math.Sqrt(s.SD / float64(len(xs)))
	return s
}
