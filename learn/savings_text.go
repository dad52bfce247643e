package learn

import (
	"fmt"
	"strings"

	"switchyard/cost"
	"switchyard/store"
)

// This file says the savings in words: why each reference, and what the
// satisfaction of its requests and of the others' tells.

// The verdicts of the quality evidence (RouteSavings.Quality).
const (
	// QualityTooFew: either side has fewer outcomes than the report's
	// min_outcomes, or no other deployment answered: nothing to tell.
	QualityTooFew = "insufficient_data"
	// QualityNoDrop: the others' interval reaches the reference's
	// satisfaction — no drop detected, which is not proof of none.
	QualityNoDrop = "no_drop_detected"
	// QualityPossibleDrop: the others' interval lies below the
	// reference's satisfaction (the report's rule for "worse"), but the
	// two intervals overlap: a drop the data cannot confirm.
	QualityPossibleDrop = "possible_drop"
	// QualityLower: the others' interval lies wholly below the
	// reference's interval: the data tell a drop.
	QualityLower = "lower"
	// QualityHigher: the reference's interval lies wholly below the
	// others' interval.
	QualityHigher = "higher"
)

// sourceText says where a named reference comes from.
func sourceText(src, route string) string {
	if src == ReferenceOverride {
		return "named by this report's reference parameter"
	}
	return "routes." + route + ".reference in the configuration"
}

// noReferenceText says why a route has no default reference.
func noReferenceText(p *SavingsPolicy, route string) string {
	r, ok := p.Routes[route]
	if !ok {
		return fmt.Sprintf("route %s is not in the configuration serving now: no deployment to take a reference from; name one with the reference parameter", route)
	}
	return fmt.Sprintf("no deployment of route %s (%s) has a known price: nothing to compare with; set their prices or routes.%s.reference",
		route, strings.Join(r.Deployments, ", "), route)
}

// defaultText says why the i-th candidate is the default reference.
func (r *savingsRoute) defaultText(p *SavingsPolicy, i int) string {
	d := r.cands[i]
	s := fmt.Sprintf("%s: the route's most expensive deployment with a known price (the default; set routes.%s.reference to choose another): the counted requests' tokens cost %s at its prices",
		d.Name, r.rs.Route, dollars(r.priced[i]))
	if next := r.runnerUp(i); next >= 0 {
		s += fmt.Sprintf(", %s at %s's, the next", dollars(r.priced[next]), r.cands[next].Name)
	}
	var unpriced []string
	for _, name := range p.Routes[r.rs.Route].Deployments {
		if d := p.Deployments[name]; d == nil || d.PriceUnknown {
			unpriced = append(unpriced, name)
		}
	}
	if len(unpriced) > 0 {
		s += "; not considered, having no known price: " + strings.Join(unpriced, ", ")
	}
	return s
}

// runnerUp returns the index of the dearest candidate but i, or -1.
func (r *savingsRoute) runnerUp(i int) int {
	next := -1
	for j := range r.cands {
		if j != i && (next < 0 || r.priced[j] > r.priced[next]) {
			next = j
		}
	}
	return next
}

// judge compares the satisfaction of the reference's requests with the
// others' and says what it tells.
func (r *savingsRoute) judge(minOutcomes int64) {
	rs := &r.rs
	if rs.Reference == "" {
		return
	}
	var others Score
	for dep, s := range r.byDep {
		if dep == rs.Reference {
			rs.ReferenceScore = *s
		} else {
			others.merge(s)
		}
	}
	rs.ReferenceScore.finish(0)
	others.finish(0)
	rs.OthersScore = others
	ref, oth := &rs.ReferenceScore, &rs.OthersScore
	rs.Quality = QualityTooFew
	switch {
	case oth.Requests == 0:
		rs.QualityText = fmt.Sprintf("only %s answered the route's requests: nothing to compare it with", rs.Reference)
	case ref.Requests == 0:
		rs.QualityText = fmt.Sprintf("%s answered none of the route's requests: its satisfaction is unmeasured; send it a share (a split) to compare", rs.Reference)
	case ref.Outcomes < minOutcomes || oth.Outcomes < minOutcomes:
		rs.QualityText = fmt.Sprintf("too few outcomes to compare: %d on %s, %d on the others; %d each needed", ref.Outcomes, rs.Reference, oth.Outcomes, minOutcomes)
	case oth.High < ref.Low:
		rs.Quality = QualityLower
		rs.QualityText = fmt.Sprintf("dropped: the others' satisfaction, %s, is below %s's %s, the intervals apart", scoreText(oth), rs.Reference, scoreText(ref))
	case ref.High < oth.Low:
		rs.Quality = QualityHigher
		rs.QualityText = fmt.Sprintf("the others did better: %s against %s's %s, the intervals apart", scoreText(oth), rs.Reference, scoreText(ref))
	case oth.High < ref.Satisfaction:
		rs.Quality = QualityPossibleDrop
		rs.QualityText = fmt.Sprintf("a possible drop: the others' satisfaction, %s, is below %s's %.2f, but the intervals overlap (%s's %s): more outcomes, on %s above all, would tell",
			scoreText(oth), rs.Reference, ref.Satisfaction, rs.Reference, scoreText(ref), rs.Reference)
	default:
		rs.Quality = QualityNoDrop
		rs.QualityText = fmt.Sprintf("no drop detected: the others' satisfaction, %s, reaches %s's %s; not proof of none — the others' may be as low as %.2f",
			scoreText(oth), rs.Reference, scoreText(ref), oth.Low)
	}
	if rs.Quality != QualityTooFew {
		rs.QualityText += " (different requests: routing chose which went where)"
	}
}

// dollars writes USD for the report's text (cost.USD).
func dollars(v float64) string { return cost.USD(v) }

// scoreText is a satisfaction with its interval and outcomes.
func scoreText(s *Score) string {
	return fmt.Sprintf("%.2f [%.2f, %.2f] over %d outcomes", s.Satisfaction, s.Low, s.High, s.Outcomes)
}

// merge adds the requests of o (not finished) to s.
func (s *Score) merge(o *Score) {
	s.Requests += o.Requests
	s.Outcomes += o.Outcomes
	s.Explicit += o.Explicit
	s.RewardSum += o.RewardSum
	s.CostUSD += o.CostUSD
	s.RepromptUSD += o.RepromptUSD
	s.CorrectionUSD += o.CorrectionUSD
	for k, n := range o.Signals {
		if s.Signals == nil {
			s.Signals = map[store.FeedbackKind]int64{}
		}
		s.Signals[k] += n
	}
}
