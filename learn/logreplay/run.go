package logreplay

import (
	"slices"
)

// Spec says which policies Run values on each route, besides the logged
// one, the static scorer and always each candidate deployment.
type Spec struct {
	// Lambdas are the trade-offs at which to value the adaptive scorer;
	// each λ a route's requests were decided at is added.
	Lambdas []float64
	// Explore is the adaptive policies' exploration share: AsLogged for
	// each request's recorded share, 0 for greedy only.
	Explore float64
}

// DefaultLambdas are Spec.Lambdas' usual values: from cost-blind (0) to
// strongly cost-minded.
var DefaultLambdas = []float64{0, 0.1, 0.25, 0.5, 1, 2}

// RouteResult is the replay of one route.
type RouteResult struct {
	Route string `json:"route"`
	// LoggedLambda and LoggedExplore are the distinct settings the
	// route's requests were decided with (one each unless the config
	// changed), sorted.
	LoggedLambda  []float64 `json:"logged_lambda"`
	LoggedExplore []float64 `json:"logged_explore"`
	// Deployments are those that were among the candidates, sorted.
	Deployments []string `json:"deployments"`
	Evaluation
}

// Run values, on each route of log, the logged policy, the static
// scorer, always each deployment and the adaptive scorer at each λ.
func Run(log *Log, spec Spec, o Options) []RouteResult {
	out := make([]RouteResult, 0, len(log.Routes))
	for _, rl := range log.Routes {
		r := RouteResult{Route: rl.Route}
		for i := range rl.Decisions {
			d := &rl.Decisions[i]
			r.LoggedLambda = appendNew(r.LoggedLambda, d.Lambda)
			r.LoggedExplore = appendNew(r.LoggedExplore, d.Explore)
			for _, dep := range d.Deployments {
				if !slices.Contains(r.Deployments, dep) {
					r.Deployments = append(r.Deployments, dep)
				}
			}
		}
		slices.Sort(r.LoggedLambda)
		slices.Sort(r.LoggedExplore)
		slices.Sort(r.Deployments)
		r.Evaluation = Evaluate(rl.Decisions, policies(r.Deployments, r.LoggedLambda, spec), o)
		out = append(out, r)
	}
	return out
}

// policies lists the static scorer, always each deployment, then the
// adaptive scorer at each λ of spec and of the log, in increasing order.
func policies(deployments []string, logged []float64, spec Spec) []Policy {
	ps := []Policy{Static{}}
	for _, d := range deployments {
		ps = append(ps, Always(d))
	}
	lambdas := slices.Clone(spec.Lambdas)
	for _, l := range logged {
		lambdas = appendNew(lambdas, l)
	}
	slices.Sort(lambdas)
	for _, l := range slices.Compact(lambdas) {
		ps = append(ps, Adaptive{Lambda: l, Explore: spec.Explore})
	}
	return ps
}

func appendNew(xs []float64, x float64) []float64 {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}
