package learn

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"switchyard/store"
)

// Z95 is the normal quantile of a two-sided 95% interval.
const Z95 = 1.959963984540054

// DefaultLambda is the weight of cost in a score when the query sets
// none: quality points per US dollar per request (10 means that a cent
// more per request costs 0.1 of satisfaction).
const DefaultLambda = 10

// ScoreQuery asks for the scores of the chat requests with Since <= Time
// < Until (a zero Until means no upper bound), grouped by the dimensions
// of By (none: one group of everything).
type ScoreQuery struct {
	Since, Until time.Time
	By           []store.Dimension
	// Lambda weighs cost against quality in Score.Value; zero means no
	// weight (the value is the satisfaction).
	Lambda float64
	// RefusalWeight is the refusal signal's weight (learn.signals.refusal):
	// each refusal passed over is an outcome of RefusedReward of it for
	// the deployment that refused. Nil means the default weight; zero
	// counts such refusals without making them outcomes.
	RefusalWeight *float64
}

// refusal returns the reward of a refusal passed over, and whether it is
// an outcome at all.
func refusal(w *float64) (float64, bool) {
	weight := DefaultWeights().Refusal
	if w != nil {
		weight = *w
	}
	return RefusedReward(weight), weight != 0
}

// RefusedReward is the reward of a refusal passed over for another
// candidate when the refusal signal weighs w: the reward the refusal
// would have had as the answer, 0.5 + 0.5·w clamped to [0, 1] (0.25 at
// the default weight −0.5). The adaptive scorer credits it alike.
func RefusedReward(w float64) float64 { return min(1, max(0, 0.5+0.5*w)) }

// Score is the cost-quality account of one group of chat requests.
type Score struct {
	// Group holds the group's value of each dimension of ScoreQuery.By.
	Group map[store.Dimension]string
	// Requests counts the group's chat requests; Outcomes those with any
	// feedback (explicit or implicit), of which Explicit were rated, and
	// the group's refusals passed over.
	Requests, Outcomes, Explicit int64
	// Refused counts the calls of the group's deployment whose refusals
	// were passed over for another candidate (routes.NAME.on_refusal:
	// fallback). Each is an outcome at the refusal's reward (unless its
	// weight is zero), and its cost is in the group's CostUSD, not in the
	// cost of the group of the deployment that answered. refusedApart
	// counts those whose requests are in other groups.
	Refused, refusedApart int64
	// Signals counts the requests with each kind of feedback.
	Signals map[store.FeedbackKind]int64
	// RewardSum is the sum of the outcomes' rewards (see Reward):
	// Satisfaction is RewardSum over Outcomes, and Low and High bound its
	// 95% Wilson score interval. All three are zero without outcomes.
	RewardSum, Satisfaction, Low, High float64
	// CostUSD is what the requests cost; RepromptUSD what the retries and
	// regenerations of their answers cost; CorrectionUSD the correction
	// costs reported with ratings. CostPerRequest is their sum over the
	// group's calls: its Requests and the refusals passed over of
	// requests in other groups.
	CostUSD, RepromptUSD, CorrectionUSD, CostPerRequest float64
	// Value is Satisfaction − λ·CostPerRequest, and ValueLow and ValueHigh
	// its interval (the satisfaction's, shifted by the cost); zero without
	// outcomes.
	Value, ValueLow, ValueHigh float64
}

// Reward returns the reward of a request's outcome in [0, 1], and false
// when it has no feedback: its explicit rating when it has one (the last
// rating counts); else 0.5 + 0.5 × the sum of its implicit signals'
// weights, clamped to [0, 1] (a retry at weight −1 makes it 0, a
// continuation at 0.3 makes it 0.65).
func Reward(o *store.Outcome) (float64, bool) {
	switch {
	case o.Has(store.KindExplicit):
		return o.Explicit, true
	case o.ImplicitN > 0:
		return min(1, max(0, 0.5+0.5*o.Implicit)), true
	}
	return 0, false
}

// Wilson returns the Wilson score interval of a proportion p observed
// over n trials at normal quantile z (Z95 for 95%); for rewards in
// [0, 1], p is their mean. It returns 0, 1 for n = 0. At p = 1 the upper
// end is exactly 1, and at p = 0 the lower end exactly 0, as in the
// formula (the floating-point sum rounds them off by an ulp for some n).
func Wilson(p float64, n int64, z float64) (low, high float64) {
	if n <= 0 {
		return 0, 1
	}
	nf := float64(n)
	z2 := z * z
	den := 1 + z2/nf
	center := (p + z2/(2*nf)) / den
	half := z / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	low, high = max(0, center-half), min(1, center+half)
	if p >= 1 {
		high = 1
	}
	if p <= 0 {
		low = 0
	}
	return low, high
}

// Scores returns the score of each group of the chat requests in scope
// and q's range, ordered by the groups' values. It returns the store's
// errors, and store.ErrBadQuery for a malformed q.
func Scores(ctx context.Context, st store.FeedbackLog, scope store.Scope, q ScoreQuery) ([]Score, error) {
	sq := store.StatsQuery{Since: q.Since, Until: q.Until, By: q.By}
	if err := sq.Check(); err != nil {
		return nil, err
	}
	groups := map[string]*Score{}
	reward, counts := refusal(q.RefusalWeight)
	err := st.Outcomes(ctx, scope, store.OutcomeQuery{Since: q.Since, Until: q.Until}, func(o *store.Outcome) error {
		served := group(groups, q.By, o, o.Deployment)
		add(served, o)
		for _, c := range o.Refused {
			g := group(groups, q.By, o, c.Deployment)
			addRefused(g, c, reward, counts, g != served)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]Score, len(keys))
	for i, k := range keys {
		s := groups[k]
		s.finish(q.Lambda)
		out[i] = *s
	}
	return out, nil
}

// group returns the Score of o's group with o's deployment taken to be
// dep, creating it.
func group(groups map[string]*Score, by []store.Dimension, o *store.Outcome, dep string) *Score {
	vals := make([]string, len(by))
	for i, d := range by {
		switch d {
		case store.ByRoute:
			vals[i] = o.Route
		case store.ByCategory:
			vals[i] = o.Category
		case store.ByDeployment:
			vals[i] = dep
		}
	}
	k := strings.Join(vals, "\x00")
	s := groups[k]
	if s == nil {
		s = &Score{Group: make(map[store.Dimension]string, len(by)), Signals: map[store.FeedbackKind]int64{}}
		for i, d := range by {
			s.Group[d] = vals[i]
		}
		groups[k] = s
	}
	return s
}

// add accumulates one request: its cost but that of its refusals passed
// over (addRefused).
func add(s *Score, o *store.Outcome) {
	s.Requests++
	s.CostUSD += o.CostUSD
	for _, c := range o.Refused {
		s.CostUSD -= c.CostUSD
	}
	s.RepromptUSD += o.RepromptUSD
	s.CorrectionUSD += o.CorrectionUSD
	for _, k := range store.FeedbackKinds {
		if o.Has(k) && k != store.KindExplicit {
			if s.Signals == nil {
				s.Signals = map[store.FeedbackKind]int64{}
			}
			s.Signals[k]++
		}
	}
	if o.Has(store.KindExplicit) {
		s.Explicit++
	}
	if r, ok := Reward(o); ok {
		s.Outcomes++
		s.RewardSum += r
	}
}

// addRefused accumulates one refusal passed over: its cost, and, when
// outcome, an outcome of reward; apart reports that its request is
// counted in another group (the group's calls then include it).
func addRefused(s *Score, c store.RefusedCall, reward float64, outcome, apart bool) {
	s.Refused++
	if apart {
		s.refusedApart++
	}
	s.CostUSD += c.CostUSD
	if outcome {
		s.Outcomes++
		s.RewardSum += reward
	}
}

// finish computes the group's means, interval and value.
func (s *Score) finish(lambda float64) {
	if calls := s.Requests + s.refusedApart; calls > 0 {
		s.CostPerRequest = (s.CostUSD + s.RepromptUSD + s.CorrectionUSD) / float64(calls)
	}
	if s.Outcomes == 0 {
		return
	}
	s.Satisfaction = s.RewardSum / float64(s.Outcomes)
	s.Low, s.High = Wilson(s.Satisfaction, s.Outcomes, Z95)
	penalty := lambda * s.CostPerRequest
	s.Value, s.ValueLow, s.ValueHigh = s.Satisfaction-penalty, s.Low-penalty, s.High-penalty
}
