package learn

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"switchyard/cost"
	"switchyard/llm"
	"switchyard/store"
)

// This file is the report's savings: per route, what its requests cost
// and what the same tokens would have cost on a reference deployment, and
// the satisfaction of the reference's requests next to the others'
// (docs/report.md#savings-what-routing-saved).

// Where a route's reference comes from (RouteSavings.ReferenceSource).
const (
	ReferenceOverride = "override" // the report's reference parameter
	ReferenceConfig   = "config"   // routes.NAME.reference
	ReferenceDefault  = "default"  // the route's most expensive deployment with a known price
	ReferenceNone     = "none"     // no deployment to price the traffic at
)

// SavingsEstimate says what the reference figures are, for every output
// that shows them.
const SavingsEstimate = "An estimate: each request's recorded tokens priced at the reference deployment's prices. " +
	"The reference would have written answers of other lengths (and may reason more or less), so its real cost would differ."

// SavingsPolicy is what the savings read of the configuration.
type SavingsPolicy struct {
	// Routes are the routes by name (configured and built in).
	Routes map[string]SavingsRoute
	// Deployments are the configured deployments by name, priced by the
	// cost package (cost.Deployment; PriceUnknown marks a price neither
	// the configuration nor the catalog knows).
	Deployments map[string]*llm.Deployment
}

// SavingsRoute is one route as the savings see it.
type SavingsRoute struct {
	// Deployments are every deployment the route may choose.
	Deployments []string
	// Reference is routes.NAME.reference; empty means the default.
	Reference string
}

// Savings is what routing saved: per route, and in total over the
// routes whose reference has a known price.
type Savings struct {
	// Routes are the routes with requests in the report's range, by name.
	Routes []RouteSavings
	// Total sums the routes whose reference has a known price.
	Total SavingsAccount
	// NoReference counts the requests of the routes left out of Total:
	// no reference, or one without a known price.
	NoReference int64
	// NoRoute counts the requests that went through no route: a
	// deployment named in model (pinned: the caller chose, not routing)
	// or refused before routing. They are in no route's account.
	NoRoute int64
}

// SavingsAccount is the cost of a set of chat requests as served and as
// priced at a reference.
type SavingsAccount struct {
	// Requests are the chat requests. Counted are those priced both ways;
	// the others are left out of every sum: Pinned (the caller chose the
	// deployment, not routing), CostUnknown (an attempt ran on a
	// deployment with no known price: the cost recorded is a lower
	// bound) and NoTokens (no token counts recorded: it failed before an
	// upstream billed anything). Estimated counts the counted requests
	// whose tokens were partly estimated (docs/cost.md).
	Requests, Counted, Pinned, CostUnknown, NoTokens, Estimated int64
	// ActualUSD is what the counted requests cost: every billed attempt,
	// failed ones included (Outcome.CostUSD). ReferenceUSD is the same
	// tokens priced at the reference's prices; SavedUSD their difference,
	// and SavedShare it over ReferenceUSD (0 when ReferenceUSD is 0).
	ActualUSD, ReferenceUSD, SavedUSD, SavedShare float64
}

// RouteSavings is one route's savings and the quality evidence beside
// them.
type RouteSavings struct {
	Route string
	// Reference is the deployment the traffic is priced at; empty when
	// there is none. ReferenceSource is one of the Reference* constants,
	// Why says which and why in a sentence; Priced reports a reference
	// with a known price (otherwise the reference figures are zero and
	// the route is left out of the total).
	Reference, ReferenceSource, Why string
	Priced                          bool
	SavingsAccount
	// ReferenceScore and OthersScore are the satisfaction accounts (the
	// report's: Reward, Wilson) of the route's requests answered by the
	// reference and by every other deployment; pinned requests are left
	// out.
	ReferenceScore, OthersScore Score
	// Quality is one of the Quality* verdicts; QualityText says it with
	// the numbers.
	Quality, QualityText string
}

// savingsRoute accumulates one route: the account, the satisfaction of
// each deployment that answered, and the counted tokens priced at each
// candidate reference.
type savingsRoute struct {
	rs     RouteSavings
	cands  []*llm.Deployment
	priced []float64
	byDep  map[string]*Score
}

// savingsBuilder builds the savings of one report.
type savingsBuilder struct {
	policy     *SavingsPolicy
	references map[string]string
	routes     map[string]*savingsRoute
	noRoute    int64
}

// checkReferences returns store.ErrBadQuery for a reference override
// naming a deployment or a route the policy does not know, or given with
// no policy.
func checkReferences(p *SavingsPolicy, refs map[string]string) error {
	if len(refs) == 0 {
		return nil
	}
	if p == nil {
		return fmt.Errorf("%w: reference needs the configuration (its routes and prices)", store.ErrBadQuery)
	}
	for route, dep := range refs {
		if _, ok := p.Routes[route]; route != "" && !ok {
			return fmt.Errorf("%w: reference: route %q is not configured", store.ErrBadQuery, route)
		}
		if p.Deployments[dep] == nil {
			return fmt.Errorf("%w: reference: deployment %q is not configured", store.ErrBadQuery, dep)
		}
	}
	return nil
}

// add accounts one request.
func (b *savingsBuilder) add(o *store.Outcome) {
	if o.Route == "" {
		b.noRoute++
		return
	}
	r := b.routes[o.Route]
	if r == nil {
		r = b.newRoute(o.Route)
		b.routes[o.Route] = r
	}
	a := &r.rs.SavingsAccount
	a.Requests++
	if o.Pinned != "" {
		a.Pinned++
		return
	}
	s := r.byDep[o.Deployment]
	if s == nil {
		s = &Score{}
		r.byDep[o.Deployment] = s
	}
	add(s, o)
	switch {
	case o.CostUnknown:
		a.CostUnknown++
		return
	case o.Tokens == store.Tokens{}:
		a.NoTokens++
		return
	}
	a.Counted++
	if o.CostEstimated {
		a.Estimated++
	}
	a.ActualUSD += o.CostUSD
	u := o.Tokens.Usage()
	for i, d := range r.cands {
		r.priced[i] += cost.Of(d, u)
	}
}

// newRoute starts a route's account: its reference when one is named,
// else the candidates for the default.
func (b *savingsBuilder) newRoute(name string) *savingsRoute {
	r := &savingsRoute{rs: RouteSavings{Route: name}, byDep: map[string]*Score{}}
	ref, src := b.references[name], ReferenceOverride
	if ref == "" {
		ref = b.references[""]
	}
	if ref == "" {
		ref, src = b.policy.Routes[name].Reference, ReferenceConfig
	}
	if ref != "" {
		r.rs.Reference, r.rs.ReferenceSource = ref, src
		if d := b.policy.Deployments[ref]; d != nil && !d.PriceUnknown {
			r.cands = []*llm.Deployment{d}
		}
	} else {
		for _, name := range b.policy.Routes[name].Deployments {
			if d := b.policy.Deployments[name]; d != nil && !d.PriceUnknown {
				r.cands = append(r.cands, d)
			}
		}
	}
	r.priced = make([]float64, len(r.cands))
	return r
}

// finish returns the savings: each route's reference settled, its
// figures and verdict, and the total.
func (b *savingsBuilder) finish(minOutcomes int64) *Savings {
	out := &Savings{NoRoute: b.noRoute}
	names := make([]string, 0, len(b.routes))
	for name := range b.routes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		r := b.routes[name]
		r.settle(b.policy)
		r.judge(minOutcomes)
		rs := r.rs
		if rs.Priced {
			out.Total.add(&rs.SavingsAccount)
		} else {
			out.NoReference += rs.Requests
		}
		out.Routes = append(out.Routes, rs)
	}
	out.Total.finish()
	return out
}

// settle picks the reference (the default: the candidate the counted
// requests would cost most on) and fills in its figures.
func (r *savingsRoute) settle(p *SavingsPolicy) {
	rs := &r.rs
	switch {
	case rs.Reference != "" && len(r.cands) == 0:
		rs.Why = fmt.Sprintf("%s (%s) has no known price: nothing to compare with; set deployments.%s.price", rs.Reference, sourceText(rs.ReferenceSource, rs.Route), rs.Reference)
		return
	case rs.Reference != "":
		rs.Why = fmt.Sprintf("%s: %s", rs.Reference, sourceText(rs.ReferenceSource, rs.Route))
	case len(r.cands) == 0:
		rs.ReferenceSource = ReferenceNone
		rs.Why = noReferenceText(p, rs.Route)
		return
	default:
		i := r.dearest()
		rs.Reference, rs.ReferenceSource = r.cands[i].Name, ReferenceDefault
		rs.Why = r.defaultText(p, i)
		r.cands, r.priced = r.cands[i:i+1], r.priced[i:i+1]
	}
	rs.Priced = true
	rs.ReferenceUSD = r.priced[0]
	rs.SavingsAccount.finish()
}

// dearest returns the index of the candidate the counted requests cost
// most on; of equal costs (no traffic counted, say), the one of the
// highest list price (input + output per 1M tokens), then by name.
func (r *savingsRoute) dearest() int {
	best := 0
	for i := 1; i < len(r.cands); i++ {
		if c := cmp.Or(cmp.Compare(r.priced[i], r.priced[best]), cmp.Compare(listPrice(r.cands[i]), listPrice(r.cands[best])),
			strings.Compare(r.cands[best].Name, r.cands[i].Name)); c > 0 {
			best = i
		}
	}
	return best
}

func listPrice(d *llm.Deployment) float64 { return d.InputPricePerM + d.OutputPricePerM }

// add sums a route's account into a total.
func (a *SavingsAccount) add(b *SavingsAccount) {
	a.Requests += b.Requests
	a.Counted += b.Counted
	a.Pinned += b.Pinned
	a.CostUnknown += b.CostUnknown
	a.NoTokens += b.NoTokens
	a.Estimated += b.Estimated
	a.ActualUSD += b.ActualUSD
	a.ReferenceUSD += b.ReferenceUSD
}

// finish computes what was saved.
func (a *SavingsAccount) finish() {
	a.SavedUSD = a.ReferenceUSD - a.ActualUSD
	a.SavedShare = 0
	if a.ReferenceUSD > 0 {
		a.SavedShare = a.SavedUSD / a.ReferenceUSD
	}
}
