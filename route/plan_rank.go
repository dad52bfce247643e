package route

import (
	"time"

	"switchyard/config"
)

// The last steps of a plan: the traffic split, the ranking of the
// candidates, and their tiers.

// split marks the weighted pick among the healthy survivors of the
// policy's split, drawn from the input's seed.
func (d *decision) split(cands []ranked) {
	ws := d.ps.split
	if len(ws) == 0 {
		return
	}
	total, skip := 0, passedOver(cands)
	for _, w := range ws {
		if i := findRanked(cands, w.dep); i >= 0 && !skip(&cands[i].c) {
			total += w.w
		}
	}
	if total == 0 {
		return
	}
	roll := int(mix(d.in.Seed) % uint64(total))
	for _, w := range ws {
		i := findRanked(cands, w.dep)
		if i < 0 || skip(&cands[i].c) {
			continue
		}
		if roll < w.w {
			cands[i].c.Split = true
			d.splitShare = float64(w.w) / float64(total)
			d.plan.Explanation.Split = cands[i].c.Deployment.Name
			return
		}
		roll -= w.w
	}
}

// passedOver reports the candidates a split does not pick: those that
// rank last, and those sent without optional hosted tools
// (Candidate.DroppedHosted) while another runs them.
func passedOver(cands []ranked) func(*Candidate) bool {
	runs := false
	for i := range cands {
		runs = runs || cands[i].c.DroppedHosted == 0
	}
	return func(c *Candidate) bool { return c.ranksLast() || runs && c.DroppedHosted != 0 }
}

func findRanked(cands []ranked, dep int) int {
	for i := range cands {
		if cands[i].c.Deployment.Index == dep && !cands[i].c.Pinned {
			return i
		}
	}
	return -1
}

// mix is the splitmix64 finalizer: a well-spread function of the seed.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// rank sorts the survivors: the pin, then healthy before demoted or rate
// limited, rule preferences, the split's pick, the policy's preferences,
// then the strategy (list order, or score; cheapest puts every known
// price before an unknown one), then name.
func (d *decision) rank(cands []ranked) {
	for i := range cands {
		c := &cands[i]
		c.c.Preferred = !c.c.Pinned && (c.rulePref < noPref || c.catPref < noPref)
	}
	for i := 1; i < len(cands); i++ { // insertion sort: few candidates, stable
		for j := i; j > 0 && d.before(&cands[j], &cands[j-1]); j-- {
			cands[j], cands[j-1] = cands[j-1], cands[j]
		}
	}
}

// before reports whether a ranks before b (see rank).
func (d *decision) before(a, b *ranked) bool {
	ordered := d.plan.Explanation.Strategy == config.StrategyOrdered
	switch {
	case a.c.Pinned != b.c.Pinned:
		return a.c.Pinned
	case (a.c.DroppedHosted == 0) != (b.c.DroppedHosted == 0): // the one that runs the hosted tools first
		return a.c.DroppedHosted == 0
	case a.c.ranksLast() != b.c.ranksLast():
		return b.c.ranksLast()
	case a.rulePref != b.rulePref:
		return a.rulePref < b.rulePref
	case a.c.Split != b.c.Split:
		return a.c.Split
	case a.catPref != b.catPref:
		return a.catPref < b.catPref
	case ordered && a.order != b.order:
		return a.order < b.order
	case d.plan.Explanation.Strategy == config.StrategyCheapest && a.c.CostUnknown != b.c.CostUnknown:
		return b.c.CostUnknown
	case !ordered && a.c.Score != b.c.Score:
		return a.c.Score > b.c.Score
	}
	return a.c.Deployment.Name < b.c.Deployment.Name
}

// tiers lays the ranked candidates out in tiers: a pin alone first, then
// Size candidates per tier, the last tier holding the rest.
func (d *decision) tiers(cands []ranked, pinned bool) {
	n := len(cands)
	if d.in.Overrides.NoFallback {
		n = 1
	}
	all := make([]Candidate, n)
	for i := range all {
		all[i] = cands[i].c
	}
	count, size, ttft := config.DefaultTierCount, 1, []time.Duration{config.DefaultTierTTFTTimeout}
	explicit := false
	if d.r != nil {
		count, size, ttft, explicit = d.r.tierCount, d.r.tierSize, d.r.ttft, d.r.ttftExplicit
	}
	if t := d.in.Overrides.TierTimeout; t > 0 {
		ttft, explicit = []time.Duration{t}, true
	}
	if pinned {
		count++
	}
	tiers := make([]Tier, 0, min(count, n))
	for i := 0; i < n; {
		k := size
		if pinned && len(tiers) == 0 {
			k = 1
		}
		if len(tiers) == count-1 || i+k > n {
			k = n - i
		}
		tiers = append(tiers, Tier{Candidates: all[i : i+k : i+k], TTFTTimeout: ttft[min(len(tiers), len(ttft)-1)], TTFTExplicit: explicit})
		i += k
	}
	d.plan.Tiers = tiers
}
