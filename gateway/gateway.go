// Package gateway is the request pipeline behind every inbound API: it
// classifies a chat request, asks the routing policy (switchyard/route)
// for a Plan, calls the plan's candidates tier by tier with failover
// before the first byte, and hands a Record of the outcome to the
// recorder.
package gateway

import (
	"log/slog"
	"sort"
	"time"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/health"
	"switchyard/learn/bandit"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/thinking"
	"switchyard/record"
	"switchyard/route"
	"switchyard/semantic"
	"switchyard/tenant"
)

// Target is one callable deployment.
type Target struct {
	Deployment llm.Deployment
	Provider   provider.Provider
	// Kind is the provider's wire format.
	Kind string
	// Media is the deployment's media price (cost.Pricing.Media: the
	// configuration's over the built-in table's); nil means the table's
	// price for its model, if any (a Target built in Go).
	Media *cost.MediaPrice
	// ServiceTier reports that its provider takes the client's
	// service_tier (config.Provider.TakesServiceTier); a request's tier
	// sent to one that does not is named dropped.
	ServiceTier bool
}

// Gateway runs requests. It is safe for concurrent use.
type Gateway struct {
	// targets is indexed by route.Deployment.Index.
	targets []*Target
	byName  map[string]*Target
	routes  map[string][]*Target // configured routes, for embeddings
	// tiers holds the configured routes' tiers, for the first-token
	// timeouts of embeddings (namedTTFT).
	tiers map[string]config.Tiers
	// firstBytes holds the configured routes' first_byte_timeout, for the
	// first-byte timeouts of the other named endpoints (attemptTimeout).
	firstBytes map[string]config.FirstByteTimeouts
	policy     *route.Policy
	classify   func(*llm.Request) route.Features
	// dtargets mirrors targets for the dispatcher.
	dtargets []*dispatch.Target
	// ttft holds each deployment's configured timeout and declared time
	// to first token, indexed like targets.
	ttft []deploymentTTFT
	// stall bounds a silence of an answer relayed as it arrives
	// (resilience.stall_timeout): speech audio's (stallBody).
	stall      time.Duration
	dispatcher *dispatch.Dispatcher
	health     *health.Tracker
	hedges     map[string]config.Hedge
	noResume   map[string]bool // routes that do not continue broken streams
	// refusalFallback holds the routes with on_refusal: fallback, and
	// refusalFinal those with on_refusal: return (fallbacks.go).
	refusalFallback map[string]bool
	refusalFinal    map[string]bool
	// semantic holds the matcher of each route with semantic categories;
	// nil when no route has any.
	semantic map[string]*semantic.Matcher
	// prompt holds the learned prompt-level model of each route with a
	// learned section; nil when no route has one.
	prompt   map[string]*promptModel
	recorder *record.Recorder
	// budgets charges requests to their budgets; nil when none is
	// configured.
	budgets *budget.Budgets
	// limiter holds callers to their key's and tenant's limits; nil
	// means none is enforced.
	limiter *tenant.Limiter
	// learned returns the adaptive scorer's statistics; nil when no route
	// learns.
	learned func() *bandit.Snapshot
	// demotions returns quality monitoring's demotions; nil when none is
	// configured.
	demotions func() route.Demotions
	// routeDemotions returns the route demotions and their probe share;
	// nil when none is kept.
	routeDemotions func() (route.RouteDemotions, float64)
	// keepAnswers puts requests and answers in records (Options).
	keepAnswers bool
	// maxAnswerBytes is server.max_answer_bytes (restart-only): it bounds
	// the parts of a streamed answer a record keeps (chat.go).
	maxAnswerBytes int
	thoughts       *thinking.Memory
	// noResponses is Options.NoResponses (no_responses.go).
	noResponses *dispatch.NoResponsesRoutes
	// guards scan prompts and sanitize answers (guard.go).
	guards *guards
	models []ModelInfo
	// now is the clock; tests may replace it.
	now func() time.Time
}

// ModelInfo is one entry of the model listing.
type ModelInfo struct {
	ID      string
	OwnedBy string
	// Route reports a virtual model (a route) rather than a deployment.
	Route bool
	// Description describes a route.
	Description string
	// AliasOf is the route or deployment a declared alias stands for;
	// "" for a route's or deployment's own name.
	AliasOf string
}

// Options tune a Gateway. The zero value is usable.
type Options struct {
	// Recorder receives a Record per request; nil means records are dropped.
	Recorder *record.Recorder
	// Providers overrides provider construction by provider name (tests).
	Providers map[string]provider.Provider
	// Classify returns what the policy needs to know about a chat request;
	// nil means the embedded classifier (Classifier).
	Classify func(*llm.Request) route.Features
	// Scorer ranks candidates; nil means route.Static.
	Scorer route.Scorer
	// Health tracks deployment health; nil means a tracker built from
	// cfg.Resilience.Health that reports nowhere.
	Health *health.Tracker
	// Logger receives the provider adapters' warnings; nil means
	// slog.Default().
	Logger *slog.Logger
	// KeepAnswers puts each chat request and the answer the client got
	// (a streamed one accumulated from the chunks relayed, partial when
	// the stream was cut) in its Record, for the quality signals and the
	// request log's bodies. False adds no work per streamed chunk.
	KeepAnswers bool
	// Budgets checks and charges each chat and embeddings request's
	// budgets (switchyard/budget); nil means none.
	Budgets *budget.Budgets
	// Limiter holds each request to its caller's key and tenant limits
	// (Caller.Grant); nil means the limits are not enforced (the routes
	// and deployments allowed still are).
	Limiter *tenant.Limiter
	// Learned returns the adaptive scorer's latest statistics
	// (adaptive.Learner.Snapshot); it is called once per chat request and
	// must not block. Nil means every estimate is its prior.
	Learned func() *bandit.Snapshot
	// Demotions returns the deployments quality monitoring demoted, per
	// category (drift.Demoter.Routing); it is called once per chat
	// request and must not block. Nil means none.
	Demotions func() route.Demotions
	// RouteDemotions returns the demotions confined to one route each
	// and the share of requests that waives them
	// (drift.Demoter.RouteRouting); it is called once per chat request
	// and must not block. Nil means none.
	RouteDemotions func() (route.RouteDemotions, float64)
	// Now is the clock of the records (their start and latency); nil
	// means time.Now. Tests pass one ahead or behind to lay hours of
	// traffic in the request log in seconds.
	Now func() time.Time
	// Thinking keeps the extended thinking of answers that call tools for
	// the loop's next turn (switchyard/provider/thinking); the server
	// passes one memory to every gateway it builds, so a configuration
	// change keeps it. Nil means a memory of this gateway's own.
	Thinking *thinking.Memory
	// NoResponses holds the marks of the deployments whose host has no
	// /responses route (dispatch.NoResponsesRoutes); the server passes one
	// to every gateway it builds, so a configuration change keeps those of
	// the deployments it leaves on the same base_url and api. Nil means
	// this gateway's own.
	NoResponses *dispatch.NoResponsesRoutes
}

// New builds the gateway for cfg, which must have passed Validate,
// constructing one provider client per configured provider and loading
// the routes' learned models (LoadLearned). It fails if a provider cannot
// be built or a learned model cannot be used (then with config.Errors).
// For routes with semantic categories it starts embedding their examples
// in the background; Close stops that.
func New(cfg *config.Config, opts Options) (*Gateway, error) {
	models, err := LoadLearned(cfg)
	if err != nil {
		return nil, err
	}
	g := &Gateway{
		byName:         make(map[string]*Target, len(cfg.Deployments)),
		routes:         make(map[string][]*Target, len(cfg.Routes)),
		tiers:          make(map[string]config.Tiers, len(cfg.Routes)),
		firstBytes:     make(map[string]config.FirstByteTimeouts, len(cfg.Routes)),
		policy:         route.New(cfg, route.Options{Scorer: opts.Scorer}),
		classify:       opts.Classify,
		recorder:       opts.Recorder,
		budgets:        opts.Budgets,
		limiter:        opts.Limiter,
		learned:        opts.Learned,
		demotions:      opts.Demotions,
		routeDemotions: opts.RouteDemotions,
		keepAnswers:    opts.KeepAnswers,
		thoughts:       opts.Thinking,
		noResponses:    opts.NoResponses,
		now:            time.Now,
	}
	if g.thoughts == nil {
		g.thoughts = thinking.New(0, 0)
	}
	if opts.Now != nil {
		g.now = opts.Now
	}
	if g.classify == nil {
		g.classify = Classifier()
	}
	if g.guards, err = newGuards(cfg); err != nil {
		return nil, err
	}
	clients, err := buildProviders(cfg, opts.Providers, opts.Logger, g.thoughts)
	if err != nil {
		return nil, err
	}
	names := g.addTargets(cfg, clients)
	g.health = opts.Health
	if g.health == nil {
		g.health = health.NewTracker(HealthConfig(cfg.Resilience.Health), names, health.Options{})
	}
	g.stall = cfg.Resilience.StallTimeout
	if g.stall <= 0 {
		g.stall = config.DefaultStallTimeout
	}
	do := dispatchOptions(cfg.Resilience, g.health)
	do.Logger, do.NoResponses = opts.Logger, opts.NoResponses
	do.MaxAnswerBytes = int(cfg.Server.MaxAnswerBytes) // restart-only: the same in every generation
	g.maxAnswerBytes = do.MaxAnswerBytes
	g.dispatcher = dispatch.New(do)
	g.hedges = make(map[string]config.Hedge)
	g.noResume = nonResumingRoutes(cfg)
	g.refusalFallback = refusalFallbackRoutes(cfg)
	g.refusalFinal = refusalFinalRoutes(cfg)
	g.addRoutes(cfg)
	g.startSemantic(cfg)
	g.startLearned(cfg, models)
	return g, nil
}

// addTargets makes each deployment's target, its provider's client from
// clients, and returns the deployments' names.
func (g *Gateway) addTargets(cfg *config.Config, clients map[string]provider.Provider) []string {
	var names []string
	for _, d := range g.policy.Deployments() {
		kind := cfg.Providers[d.Provider].Kind
		cd := cfg.Deployments[d.Name]
		t := &Target{Deployment: withEffortDial(withReasoning(d.Deployment, cfg.Providers[d.Provider]), kind), Provider: clients[d.Provider], Kind: kind,
			Media: cost.Resolve(cfg.Providers[cd.Provider], cd).Media, ServiceTier: cfg.Providers[cd.Provider].TakesServiceTier()}
		g.targets = append(g.targets, t)
		g.dtargets = append(g.dtargets, &dispatch.Target{Deployment: withContinuation(t.Deployment, cd, t.Kind), Provider: t.Provider,
			PrefillTokensPerSecond: cd.Latency.PrefillTokensPerSecond, Host: upstreamHost(cfg.Providers[cd.Provider], cd)})
		g.ttft = append(g.ttft, deploymentTTFT{own: cd.TTFTTimeout, declared: cd.Latency.TTFT, firstByte: cd.FirstByte})
		g.byName[d.Name] = t
		g.models = append(g.models, ModelInfo{ID: d.Name, OwnedBy: d.Provider})
		names = append(names, d.Name)
	}
	return names
}

// addRoutes fills the routes' targets and hedges, and lists the routes
// among the models: routes first, then deployments, each by name.
func (g *Gateway) addRoutes(cfg *config.Config) {
	for name, r := range cfg.Routes {
		if r.Hedge.Enabled() {
			g.hedges[name] = r.Hedge
		}
	}
	for _, name := range cfg.RouteNames() {
		r := cfg.Routes[name]
		ts := make([]*Target, 0, len(r.Deployments))
		for _, dn := range r.Deployments {
			ts = append(ts, g.byName[dn])
		}
		g.routes[name], g.tiers[name], g.firstBytes[name] = ts, r.Tiers, r.FirstByte
	}
	for _, m := range g.policy.Models() {
		g.models = append(g.models, ModelInfo{ID: m.Name, OwnedBy: "switchyard", Route: true, Description: m.Description})
	}
	sort.SliceStable(g.models, func(i, j int) bool {
		if g.models[i].Route != g.models[j].Route {
			return g.models[i].Route
		}
		return g.models[i].ID < g.models[j].ID
	})
	g.addAliases()
}

// addAliases lists the declared aliases after the routes and
// deployments, each owned as what it stands for is.
func (g *Gateway) addAliases() {
	owner := make(map[string]string, len(g.models))
	for _, m := range g.models {
		owner[m.ID] = m.OwnedBy
	}
	for _, a := range g.policy.Aliases() {
		g.models = append(g.models, ModelInfo{ID: a.Name, OwnedBy: owner[a.Of], Route: g.policy.IsRoute(a.Of), AliasOf: a.Of})
	}
}

// Health returns the deployment health tracker.
func (g *Gateway) Health() *health.Tracker { return g.health }

// Models lists routes first (configured ones and the built-in auto,
// auto-cheap and auto-best), then deployments, each sorted by name, then
// the declared aliases (AliasOf set) by name.
func (g *Gateway) Models() []ModelInfo { return g.models }

// Target returns the deployment called name, or nil.
func (g *Gateway) Target(name string) *Target { return g.byName[name] }

// Budgets returns the budgets requests are charged to; nil when none is
// configured.
func (g *Gateway) Budgets() *budget.Budgets { return g.budgets }

// Policy returns the routing policy.
func (g *Gateway) Policy() *route.Policy { return g.policy }
