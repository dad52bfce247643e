package logreplay

import (
	"math"
	"reflect"
	"testing"
)

// TestBootstrapIntervals: on a large log the bootstrap's percentile
// intervals agree with the delta method's (both are right there); the
// point estimates are the whole log's; the same seed gives the same
// intervals, another seed others.
func TestBootstrapIntervals(t *testing.T) {
	w := newWorld(0.5)
	ds := w.sample(11, 4000)
	delta := Evaluate(ds, synthPolicies, Options{})
	boot := Evaluate(ds, synthPolicies, Options{Bootstrap: 400, Seed: 1})
	near := func(what string, d, b *Interval) {
		t.Helper()
		dw, bw := d.High-d.Low, b.High-b.Low
		if d.Value != b.Value || math.Abs(bw/dw-1) > 0.15 || math.Abs((b.Low+b.High)/2-d.Value) > 0.15*dw {
			t.Errorf("%s: delta %+v, bootstrap %+v", what, *d, *b)
		}
	}
	near("logged reward", delta.Logged.Reward, boot.Logged.Reward)
	near("logged cost", delta.Logged.Cost, boot.Logged.Cost)
	for k, p := range synthPolicies {
		d, b := &delta.Policies[k], &boot.Policies[k]
		near(p.Name()+" reward IPS", d.Reward.IPS, b.Reward.IPS)
		near(p.Name()+" reward SNIPS", d.Reward.SNIPS, b.Reward.SNIPS)
		near(p.Name()+" cost IPS", d.Cost.IPS, b.Cost.IPS)
		near(p.Name()+" cost SNIPS", d.Cost.SNIPS, b.Cost.SNIPS)
	}
	if again := Evaluate(ds, synthPolicies, Options{Bootstrap: 400, Seed: 1}); !reflect.DeepEqual(again, boot) {
		t.Error("the same seed gave other intervals")
	}
	if other := Evaluate(ds, synthPolicies, Options{Bootstrap: 400, Seed: 2}); reflect.DeepEqual(other, boot) {
		t.Error("another seed gave the same intervals")
	}
}

// TestBootstrapCoverage: over 60 logs of 600 requests the bootstrap's
// intervals hold the true values in at least 85% of the logs.
func TestBootstrapCoverage(t *testing.T) {
	w := newWorld(0.5)
	policies := []Policy{Always("mid"), Adaptive{Lambda: 0, Explore: AsLogged}}
	const seeds = 60
	covered := make([][4]int, len(policies))
	for s := range uint64(seeds) {
		ev := Evaluate(w.sample(100+s, 600), policies, Options{Bootstrap: 200, Seed: s})
		for k, p := range policies {
			reward, cost := w.value(p)
			r := &ev.Policies[k]
			for j, c := range []struct {
				iv    *Interval
				truth float64
			}{{r.Reward.IPS, reward}, {r.Reward.SNIPS, reward}, {r.Cost.IPS, cost}, {r.Cost.SNIPS, cost}} {
				if c.iv.Low <= c.truth && c.truth <= c.iv.High {
					covered[k][j]++
				}
			}
		}
	}
	for k, p := range policies {
		for j, what := range []string{"reward IPS", "reward SNIPS", "cost IPS", "cost SNIPS"} {
			if share := float64(covered[k][j]) / seeds; share < 0.85 {
				t.Errorf("%s %s: the bootstrap interval held the truth in %d of %d logs", p.Name(), what, covered[k][j], seeds)
			}
		}
	}
}
