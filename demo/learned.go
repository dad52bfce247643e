package demo

import (
	"fmt"
	"strings"

	"switchyard/config"
	"switchyard/llm"
	simserver "switchyard/sim/server"
	"switchyard/sim/workload"
)

// This file is the demo's adaptive route: `switchyard serve --demo` adds
// it and teaches the simulators a small workload with checkable answers,
// so that ratings sent to POST /v1/feedback visibly move the estimates
// POST /v1/route shows (docs/adaptive.md, "Try it").

// LearnedRoute is the demo's adaptive route, LearnedCheap the cheaper of
// its two deployments.
const (
	LearnedRoute = "learned"
	LearnedCheap = learnedCheap
)

// Learned's deployments, the simulated models' accuracy on the demo
// workload, and gpt-4o-mini's on its weak categories.
const (
	learnedDear, learnedCheap = "gpt-4o", "gpt-4o-mini"
	learnedAccuracy           = 0.97
	learnedWeakAccuracy       = 0.5
	// learnedMinOutcomes is the outcomes per category the route needs
	// before its estimates count: few, so that a handful of ratings moves
	// it.
	learnedMinOutcomes = 5
	// learnedLambda weighs cost as the adaptive acceptance test does
	// (e2e/adaptive_test.go): gpt-4o-mini takes a category where it is
	// about as good, not one where it is right half the time.
	learnedLambda = 0.15
	// learnedExplore is the share of requests that may explore: four
	// times the default, so that gpt-4o-mini gathers its first outcomes
	// in each category within minutes of the demo's traffic.
	learnedExplore     = 0.2
	learnedDescription = "Learns from ratings (POST /v1/feedback) whether gpt-4o-mini is good enough, per category"
)

var learnedWeak = []llm.Category{llm.CategoryCode, llm.CategoryReasoning}

// AddLearned adds route "learned" to cfg: gpt-4o first (strategy best),
// with adaptive routing on, few outcomes needed (5 per category) and
// more exploration than by default (20%), so that a handful of ratings
// moves it, and cost weighed at λ = 0.15.
func AddLearned(cfg *config.Config) {
	a := config.DefaultAdaptive()
	a.MinOutcomes, a.Lambda, a.Explore = learnedMinOutcomes, learnedLambda, learnedExplore
	cfg.Routes[LearnedRoute] = &config.Route{
		Name:        LearnedRoute,
		Description: learnedDescription,
		Deployments: []string{learnedDear, learnedCheap},
		Policy:      config.Policy{Strategy: config.StrategyBest},
		Adaptive:    a,
	}
}

// LearnedWorkload is the workload serve --demo teaches the simulators:
// ten questions of each category, with their answers.
func LearnedWorkload() []workload.Item {
	return workload.Generate(workload.Options{Seed: 1, N: 10 * len(llm.Categories)})
}

// TrafficWorkload is the workload serve --demo --traffic teaches the
// simulators and asks (package demo/traffic): a hundred questions of each
// category, the first seventy LearnedWorkload's.
func TrafficWorkload() []workload.Item {
	return workload.Generate(workload.Options{Seed: 1, N: 100 * len(llm.Categories)})
}

// Teach makes sim know items: gpt-4o and gpt-4o-mini answer them right
// 97% of the time, except gpt-4o-mini half of the code and reasoning
// ones. Other prompts are answered as before.
func Teach(sim *simserver.Server, items []workload.Item) error {
	if err := workload.Register(&sim.Behavior.Knowledge, items); err != nil {
		return fmt.Errorf("demo: teach the workload: %w", err)
	}
	weak := map[string]float64{"*": learnedAccuracy}
	for _, c := range learnedWeak {
		weak[string(c)] = learnedWeakAccuracy
	}
	if err := sim.Behavior.SetAccuracy(learnedDear, map[string]float64{"*": learnedAccuracy}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := sim.Behavior.SetAccuracy(learnedCheap, weak); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// LearnedHint is the banner's paragraph on route "learned"; simBase is
// the simulated OpenAI's base URL, known the number of questions the
// simulators were taught.
func LearnedHint(simBase string, known int) string {
	knowledge := strings.TrimSuffix(simBase, "/v1") + "/_sim/knowledge"
	return fmt.Sprintf("Learning:    route %q puts %s or %s first by the ratings its answers get: rate one with\n"+
		"             POST /v1/feedback {\"request_id\": <its x-switchyard-request-id>, \"thumbs\": \"up\"|\"down\"}; POST /v1/route\n"+
		"             shows the estimates. The simulators know %d questions with answers (GET %s).",
		LearnedRoute, learnedDear, learnedCheap, known, knowledge)
}
