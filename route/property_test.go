package route

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// TestPropertyPlansStayWithinPolicy checks, over random configurations,
// features, overrides and health, that a plan never holds a deployment
// outside the acceptable set, above a cost or price ceiling, over a caller
// cap, lacking what the request needs, or unavailable — and that the same
// input always gives the same plan. The ceilings are recomputed here from
// the config, not from the compiled tables.
func TestPropertyPlansStayWithinPolicy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	srng := rand.New(rand.NewPCG(3, 4)) // semantic categories and results
	plans, errs := 0, 0
	for iter := range 300 {
		cfg := randomConfig(rng)
		addSemantic(srng, cfg)
		if err := cfg.Validate(); err != nil {
			t.Fatalf("config %d invalid (generator bug): %v", iter, err)
		}
		p := New(cfg, Options{})
		models := append(cfg.RouteNames(), Auto, AutoCheap, AutoBest)
		models = append(models, cfg.DeploymentNames()...)
		for range 40 {
			in := randomInput(rng, cfg, models)
			in.Semantic = randomSemantic(srng, cfg.Routes[in.Model])
			plan, err := p.Plan(in)
			if err != nil {
				var e *llm.Error
				if !errors.As(err, &e) || e.Message == "" {
					t.Fatalf("error %v is not an *llm.Error with a message", err)
				}
				errs++
				continue
			}
			plans++
			if again, _ := p.Plan(in); !reflect.DeepEqual(plan, again) {
				t.Fatalf("same input, different plans:\n%s\n%s", order(plan), order(again))
			}
			if msg := violation(cfg, in, plan); msg != "" {
				t.Fatalf("config %d, input %+v:\nplan %s\n%s", iter, *in, order(plan), msg)
			}
		}
	}
	if plans < 1000 || errs < 100 {
		t.Errorf("weak coverage: %d plans, %d errors", plans, errs)
	}
}

// violation returns what plan breaks, or "".
func violation(cfg *config.Config, in *Input, plan *Plan) string {
	e := &plan.Explanation
	var r *config.Route
	var pol config.Policy
	acceptable := cfg.DeploymentNames() // built-in routes: every chat deployment
	if cr := cfg.Routes[plan.Route]; cr != nil {
		r, pol, acceptable = cr, cr.Policy, cr.Deployments
		if c := cr.Categories[e.Category]; c != nil && e.Policy == "categories."+string(e.Category) {
			pol = mergePolicy(c.Policy, cr.Policy)
			if c.Deployments != nil {
				acceptable = c.Deployments
			}
		}
		if msg := semanticViolation(cr, in, e); msg != "" {
			return msg
		}
		if name, ok := strings.CutPrefix(e.Policy, "semantic."); ok {
			sc := cr.Semantic.Categories[name]
			acceptable, pol = sc.Deployments, cr.Policy
			if c := cr.Categories[sc.Category]; c != nil {
				pol = mergePolicy(c.Policy, cr.Policy)
			}
		}
	}
	inRoute := in.Overrides.Model != "" && cfg.Routes[in.Model] != nil
	for _, t := range plan.Tiers {
		for _, c := range t.Candidates {
			d := cfg.Deployments[c.Deployment.Name]
			name := d.Name
			if c.Pinned != (name == plan.Pinned) {
				return name + ": pinned flag wrong"
			}
			if !c.Pinned && !slices.Contains(acceptable, name) {
				return fmt.Sprintf("%s is outside the acceptable set %v", name, acceptable)
			}
			if in.Health[name].Unavailable {
				return name + " is unavailable"
			}
			f := in.Features
			if c.MaxTokens > 0 { // lowered to its limit: a route chose it
				if c.MaxTokens >= f.MaxTokens || c.Pinned {
					return name + ": max_tokens clamped wrongly"
				}
				f.MaxTokens = c.MaxTokens
			}
			if requestCheck(c.Deployment, &f) != "" {
				return name + " cannot take the request"
			}
			out := e.Limits.ExpectedOutputTokens
			if d.MaxOutputTokens > 0 {
				out = min(out, d.MaxOutputTokens)
			}
			cost := (float64(in.Features.PromptTokens)*d.Price.Input + float64(out)*d.Price.Output) / 1e6
			if in.Overrides.MaxCostUSD > 0 && cost > in.Overrides.MaxCostUSD {
				return fmt.Sprintf("%s costs %g over the caller's cap %g", name, cost, in.Overrides.MaxCostUSD)
			}
			if r == nil || c.Pinned && !inRoute {
				continue
			}
			if pol.MaxCostPerRequest > 0 && cost > pol.MaxCostPerRequest {
				return fmt.Sprintf("%s costs %g over the ceiling %g", name, cost, pol.MaxCostPerRequest)
			}
			if mp := pol.MaxPrice; mp.Input > 0 && d.Price.Input > mp.Input || mp.Output > 0 && d.Price.Output > mp.Output {
				return fmt.Sprintf("%s price %+v over max_price %+v", name, d.Price, mp)
			}
		}
	}
	return ""
}

// mergePolicy is the category's policy over the route's, as documented.
func mergePolicy(c, r config.Policy) config.Policy {
	if c.MaxCostPerRequest == 0 {
		c.MaxCostPerRequest = r.MaxCostPerRequest
	}
	if c.MaxPrice.Input == 0 {
		c.MaxPrice.Input = r.MaxPrice.Input
	}
	if c.MaxPrice.Output == 0 {
		c.MaxPrice.Output = r.MaxPrice.Output
	}
	return c
}

var allCaps = []llm.Capability{llm.CapTools, llm.CapJSONMode, llm.CapJSONSchema, llm.CapVision, llm.CapStreaming,
	llm.CapReasoning, llm.CapMultilingual, llm.CapCode, llm.CapMath}

func randomConfig(rng *rand.Rand) *config.Config {
	cfg := &config.Config{
		Providers:   map[string]*config.Provider{"p": {Kind: "openai", BaseURL: "http://127.0.0.1:1/v1"}},
		Deployments: map[string]*config.Deployment{},
		Routes:      map[string]*config.Route{},
	}
	n := 2 + rng.IntN(10)
	var names []string
	for i := range n {
		name := fmt.Sprintf("d%d", i)
		names = append(names, name)
		d := &config.Deployment{Provider: "p", Price: config.Price{Input: rng.Float64() * 5, Output: rng.Float64() * 20}}
		if rng.IntN(4) > 0 {
			for _, c := range allCaps {
				if rng.IntN(2) == 0 {
					d.Capabilities = append(d.Capabilities, c)
				}
			}
		}
		if rng.IntN(8) == 0 {
			d.Capabilities = []llm.Capability{llm.CapEmbeddings}
		}
		if rng.IntN(2) == 0 {
			d.Latency = config.Latency{TTFT: time.Duration(rng.IntN(2000)) * time.Millisecond, TokensPerSecond: 20 + rng.Float64()*200}
		}
		if rng.IntN(3) == 0 {
			d.ContextWindow, d.MaxOutputTokens = 8000+rng.IntN(200000), 1000+rng.IntN(7000)
		}
		d.Quality = rng.Float64()
		cfg.Deployments[name] = d
	}
	for i := range 1 + rng.IntN(3) {
		cfg.Routes[fmt.Sprintf("r%d", i)] = randomRoute(rng, names)
	}
	return cfg
}

func subset(rng *rand.Rand, names []string) []string {
	s := slices.Clone(names)
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s[:1+rng.IntN(len(s))]
}

func randomPolicy(rng *rand.Rand, acceptable []string) config.Policy {
	var p config.Policy
	p.Strategy = config.Strategies[rng.IntN(len(config.Strategies))]
	if rng.IntN(3) == 0 {
		p.MaxCostPerRequest = rng.Float64() * 0.05
	}
	if rng.IntN(4) == 0 {
		p.MaxPrice = config.MaxPrice{Input: rng.Float64() * 5, Output: rng.Float64() * 20}
	}
	if rng.IntN(3) == 0 {
		p.Prefer = subset(rng, acceptable)
	}
	if len(acceptable) >= 2 && rng.IntN(3) == 0 {
		for _, d := range subset(rng, acceptable) {
			p.Split = append(p.Split, config.Weight{Deployment: d, Weight: 1 + rng.IntN(100)})
		}
		if len(p.Split) < 2 {
			p.Split = nil
		}
	}
	if rng.IntN(4) == 0 {
		p.Require = []llm.Capability{allCaps[rng.IntN(len(allCaps))]}
	}
	if rng.IntN(3) == 0 {
		p.LatencyBudget.Total = time.Duration(1+rng.IntN(60)) * time.Second
	}
	return p
}

func randomRoute(rng *rand.Rand, names []string) *config.Route {
	r := &config.Route{Deployments: subset(rng, names)}
	r.Policy = randomPolicy(rng, r.Deployments)
	r.Tiers = config.Tiers{Count: rng.IntN(4), Size: rng.IntN(3)}
	if rng.IntN(3) == 0 {
		r.MinConfidence = rng.Float64()
	}
	for _, c := range llm.Categories {
		if rng.IntN(2) == 0 {
			continue
		}
		rc := &config.RouteCategory{}
		acc := r.Deployments
		if rng.IntN(2) == 0 {
			rc.Deployments = subset(rng, names)
			acc = rc.Deployments
		}
		rc.Policy = randomPolicy(rng, acc)
		if r.Categories == nil {
			r.Categories = map[llm.Category]*config.RouteCategory{}
		}
		r.Categories[c] = rc
	}
	union := slices.Clone(r.Deployments)
	for _, c := range r.Categories {
		for _, d := range c.Deployments {
			if !slices.Contains(union, d) {
				union = append(union, d)
			}
		}
	}
	for i := range rng.IntN(4) {
		rule := &config.Rule{Name: fmt.Sprintf("rule%d", i), Exclude: subset(rng, union)[:rng.IntN(2)]}
		rule.Require = []llm.Capability{allCaps[rng.IntN(len(allCaps))]}
		if rng.IntN(2) == 0 {
			rule.Prefer = subset(rng, union)
		}
		if rng.IntN(2) == 0 {
			rule.When.Categories = []llm.Category{llm.Categories[rng.IntN(7)]}
		}
		if rng.IntN(2) == 0 {
			rule.When.Languages = []string{config.LanguageNonEnglish}
		}
		r.Rules = append(r.Rules, rule)
	}
	return r
}

func randomInput(rng *rand.Rand, cfg *config.Config, models []string) *Input {
	deps := cfg.DeploymentNames()
	in := &Input{
		Model: models[rng.IntN(len(models))],
		Features: Features{
			Category: llm.Categories[rng.IntN(7)], Confidence: rng.Float64(), PromptTokens: rng.IntN(20000),
			Turn: rng.IntN(3), Language: []string{"", "en", "es", "zh"}[rng.IntN(4)], Needs: Needs(rng.IntN(16)),
		},
		Overrides: Overrides{Allowed: AllowAll},
		Seed:      rng.Uint64(),
	}
	if rng.IntN(3) == 0 {
		in.Features.MaxTokens = 1 + rng.IntN(8000)
	}
	if rng.IntN(5) == 0 {
		in.Overrides.Model = deps[rng.IntN(len(deps))]
	}
	if rng.IntN(4) == 0 {
		in.Overrides.MaxCostUSD = rng.Float64() * 0.02
	}
	if rng.IntN(5) == 0 {
		in.Overrides.Category = llm.Categories[rng.IntN(7)]
	}
	if rng.IntN(6) == 0 {
		in.Overrides.NoFallback = true
	}
	if rng.IntN(2) == 0 {
		in.Health = Health{}
		for _, d := range deps {
			switch rng.IntN(6) {
			case 0:
				in.Health[d] = Status{Unavailable: true, Reason: "down"}
			case 1:
				in.Health[d] = Status{Demoted: true}
			}
		}
	}
	return in
}

// semanticViolation returns how the plan ignored a semantic match, or "".
func semanticViolation(cr *config.Route, in *Input, e *Explanation) string {
	if in.Semantic.Outcome != SemanticMatched || cr.Semantic == nil || in.Overrides.Category != "" || in.Model != cr.Name {
		return ""
	}
	sc := cr.Semantic.Categories[in.Semantic.Category]
	if sc == nil {
		return ""
	}
	if sc.Deployments != nil && e.Policy != "semantic."+in.Semantic.Category {
		return fmt.Sprintf("matched %s but policy %s", in.Semantic.Category, e.Policy)
	}
	if sc.Category != "" && (e.Category != sc.Category || e.CategorySource != "semantic") {
		return fmt.Sprintf("matched %s (category %s) but category %s from %s", in.Semantic.Category, sc.Category, e.Category, e.CategorySource)
	}
	return ""
}

// addSemantic gives some routes semantic categories, embedded by a
// deployment that may embed.
func addSemantic(rng *rand.Rand, cfg *config.Config) {
	var embedder string
	for _, n := range cfg.DeploymentNames() {
		if caps := cfg.Deployments[n].Capabilities; len(caps) == 0 || slices.Contains(caps, llm.CapEmbeddings) {
			embedder = n
		}
	}
	if embedder == "" {
		return
	}
	for _, name := range cfg.RouteNames() {
		r := cfg.Routes[name]
		if rng.IntN(2) == 0 {
			continue
		}
		r.Semantic = &config.Semantic{Embeddings: embedder, Categories: map[string]*config.SemanticCategory{}}
		for i := range 1 + rng.IntN(3) {
			sc := &config.SemanticCategory{Examples: []string{"example"}}
			acc := r.Deployments
			if rng.IntN(2) == 0 {
				sc.Category = llm.Categories[rng.IntN(7)]
				if c := r.Categories[sc.Category]; c != nil && c.Deployments != nil {
					acc = c.Deployments
				}
			}
			if sc.Category == "" || rng.IntN(2) == 0 {
				sc.Deployments = subset(rng, acc)
			}
			r.Semantic.Categories[fmt.Sprintf("s%d", i)] = sc
		}
	}
}

// randomSemantic is a matching result for route r (nil for none).
func randomSemantic(rng *rand.Rand, r *config.Route) Semantic {
	if r == nil || r.Semantic == nil || rng.IntN(4) == 0 {
		return Semantic{}
	}
	s := Semantic{Outcome: SemanticMatched, Category: fmt.Sprintf("s%d", rng.IntN(4)), Score: 0.8, Threshold: 0.75}
	switch rng.IntN(4) {
	case 0:
		s.Outcome = SemanticNoMatch
	case 1:
		s = Semantic{Outcome: SemanticSkipped, Reason: SemanticTimeout}
	}
	return s
}
