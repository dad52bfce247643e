package logreplay

import "math/rand/v2"

// replicates are one quantity's bootstrap estimates: the IPS (or plain
// mean) and the SNIPS of each resample.
type replicates struct{ ips, snips []float64 }

// setIntervals replaces the bounds of e's intervals (those that exist)
// by the percentile intervals of the replicates.
func (r *replicates) setIntervals(ips, snips *Interval) {
	if ips != nil && len(r.ips) > 0 {
		ips.Low, ips.High = percentileInterval(r.ips)
	}
	if snips != nil && len(r.snips) > 0 {
		snips.Low, snips.High = percentileInterval(r.snips)
	}
}

// bootstrapIntervals replaces the delta-method intervals of ev by
// percentile intervals over o.Bootstrap resamples of the decisions (drawn
// with replacement, the rated ones and their costs together). The point
// estimates stay those of the whole log.
func bootstrapIntervals(ev *Evaluation, ds []Decision, rated []int, weights [][]float64, o Options) {
	n := len(ds)
	if n < 2 {
		return
	}
	isRated := make([]bool, n)
	for _, i := range rated {
		isRated[i] = true
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed_b007_57a9))
	counts := make([]float64, n)
	loggedReward, loggedCost := &replicates{}, &replicates{}
	reward, cost := make([]replicates, len(weights)), make([]replicates, len(weights))
	for range o.Bootstrap {
		clear(counts)
		for range n {
			counts[rng.IntN(n)]++
		}
		nRated, nAll := resampleLogged(ds, isRated, counts, loggedReward, loggedCost)
		for k, w := range weights {
			resamplePolicy(ds, isRated, counts, w, nRated, nAll, &reward[k], &cost[k])
		}
	}
	loggedReward.setIntervals(ev.Logged.Reward, nil)
	loggedCost.setIntervals(ev.Logged.Cost, nil)
	for k := range ev.Policies {
		p := &ev.Policies[k]
		reward[k].setIntervals(p.Reward.IPS, p.Reward.SNIPS)
		cost[k].setIntervals(p.Cost.IPS, p.Cost.SNIPS)
	}
}

// resampleLogged adds the logged policy's means on the resample counts to
// the replicates, and returns the resample's rated and total sizes.
func resampleLogged(ds []Decision, isRated []bool, counts []float64, reward, cost *replicates) (nRated, nAll float64) {
	var sumReward, sumCost float64
	for i, c := range counts {
		if c == 0 {
			continue
		}
		nAll += c
		sumCost += c * ds[i].CostUSD
		if isRated[i] {
			nRated += c
			sumReward += c * ds[i].Reward
		}
	}
	if nRated > 0 {
		reward.ips = append(reward.ips, sumReward/nRated)
	}
	cost.ips = append(cost.ips, sumCost/nAll)
	return nRated, nAll
}

// resamplePolicy adds a policy's IPS and SNIPS estimates on the resample
// counts to the replicates.
func resamplePolicy(ds []Decision, isRated []bool, counts, w []float64, nRated, nAll float64, reward, cost *replicates) {
	var wRated, wvRated, wAll, wvAll float64
	for i, c := range counts {
		if c == 0 || w[i] == 0 {
			continue
		}
		cw := c * w[i]
		wAll += cw
		wvAll += cw * ds[i].CostUSD
		if isRated[i] {
			wRated += cw
			wvRated += cw * ds[i].Reward
		}
	}
	if nRated > 0 {
		reward.ips = append(reward.ips, wvRated/nRated)
	}
	if wRated > 0 {
		reward.snips = append(reward.snips, wvRated/wRated)
	}
	cost.ips = append(cost.ips, wvAll/nAll)
	if wAll > 0 {
		cost.snips = append(cost.snips, wvAll/wAll)
	}
}
