// Package budget enforces the configured spending limits (config.Budget)
// on each request, against the shared counters of package state.
//
// A request's budgets are those whose scope (tenant, client key or route)
// and match it meets. Before routing, Begin reads every soft budget that
// applies (a spent one puts a price ceiling on the candidates); after
// routing, Hold.Reserve reserves the plan's estimate against every hard
// one, atomically per budget (state's Reserve checks spent + reserved +
// estimate <= limit), and releases what it reserved if any refuses; after
// the request, Hold.Settle replaces each reservation by what the request
// really cost, or releases it when nothing was dispatched. So the
// reservations granted never sum past a limit, however many requests and
// router processes run at once, and only a request that costs more than
// its estimate can take spending past it.
//
// Each check is one call to the state back end per matching budget: in
// memory a map update under a mutex (well under a microsecond), on Redis
// one round trip running one Lua script.
package budget

import (
	"context"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/config"
	"switchyard/state"
)

// State is what budgets need of a state back end: the budget counters,
// and the values with which processes agree on who sends an alert.
type State interface {
	state.Budgets
	state.Store
}

// DefaultTTL is how long a reservation outlives a process that died
// before settling it, when Options.TTL is zero: the default request
// timeout plus a minute.
const DefaultTTL = config.DefaultRequestTimeout + time.Minute

// Options tune a Budgets. The zero value is usable.
type Options struct {
	// TTL is how long a reservation is held when neither Settle nor
	// Release comes (the process died); give it the request timeout plus
	// a margin. A request whose context has a later deadline is held
	// until that deadline plus a minute. Zero means DefaultTTL.
	TTL time.Duration
	// Now is the clock Retry-After and alerts are computed with; nil
	// means time.Now. Periods follow the state back end's clock.
	Now func() time.Time
	// Logger receives alerts and failures to settle; nil means
	// slog.Default().
	Logger *slog.Logger
	// Registerer, if not nil, registers the budget metrics.
	Registerer prometheus.Registerer
	// OnAlert, if not nil, is called with each alert after it is logged,
	// on the request's goroutine; it must not block.
	OnAlert func(Alert)
	// Async settles requests on goroutines of their own instead of on
	// the request's path: for a remote back end (Redis), whose round trip
	// would otherwise delay every response. Wait waits for them.
	Async bool
}

// Unit is what a budget counts.
type Unit string

// The units: USD is counted in micro-dollars, so sums are exact.
const (
	USD    Unit = "usd"
	Tokens Unit = "tokens"
)

// Who is what budgets match a request by.
type Who struct {
	// Tenant and Key are the client key's tenant and name; empty for an
	// anonymous caller, whom no tenant or key budget matches.
	Tenant, Key string
	// Route is the route the client asked for; empty when it named a
	// deployment, which no route budget matches.
	Route string
}

// Amount is an estimate or an actual cost, in both units.
type Amount struct {
	USD    float64
	Tokens int64
}

// in returns a in unit u as the state's integer: micro-dollars (an
// estimate rounded up, an actual to the nearest) or tokens, within
// [0, state.MaxAmount].
func (a Amount) in(u Unit, up bool) int64 {
	if u == Tokens {
		return clamp(float64(a.Tokens))
	}
	v := a.USD * 1e6
	if up {
		return clamp(math.Ceil(v - 1e-6)) // 0.001 USD is 1000, not 1001
	}
	return clamp(math.Round(v))
}

func clamp(v float64) int64 {
	switch {
	case !(v > 0): // NaN too
		return 0
	case v > state.MaxAmount:
		return state.MaxAmount
	}
	return int64(v)
}

// Budgets checks and charges the configured budgets. It is safe for
// concurrent use.
type Budgets struct {
	// rules are the budgets in force; Update replaces them.
	rules   atomic.Pointer[[]*rule]
	st      State
	ttl     time.Duration
	now     func() time.Time
	log     *slog.Logger
	onAlert func(Alert)
	m       *metrics
	async   bool
	pending sync.WaitGroup // async settlements in flight

	mu      sync.Mutex
	alerted map[string]time.Time // alert key → the period it was sent for (its reset)
}

// Wait waits for the settlements started with Options.Async; call it
// after the last request, before closing the state back end. A nil
// Budgets has none.
func (b *Budgets) Wait() {
	if b != nil {
		b.pending.Wait()
	}
}

// rule is one configured budget, compiled.
type rule struct {
	name, scope string
	match       string // "" for config.MatchAll
	period      state.Period
	unit        Unit
	limit       int64
	threshold   int64 // alert_at of the limit, in the unit
	soft        bool
	// noUnknown keeps requests it applies to off deployments whose price
	// is unknown (a USD budget with unknown_cost: exclude).
	noUnknown bool
	ceiling   Ceiling
	key       string // the state key of a fixed match; the prefix of a MatchAll one
	m         ruleMetrics
	// cfg is the budget as configured, for List.
	cfg config.Budget
}

// New returns the Budgets of cfg (validated) on st. It returns nil when
// cfg configures no budget, so callers can skip the checks entirely.
func New(cfg []config.Budget, st State, opts Options) *Budgets {
	if len(cfg) == 0 {
		return nil
	}
	return Open(cfg, st, opts)
}

// Open is New returning a Budgets even when cfg configures none, for a
// router whose configuration changes while it runs (Update).
func Open(cfg []config.Budget, st State, opts Options) *Budgets {
	b := &Budgets{st: st, ttl: opts.TTL, now: opts.Now, log: opts.Logger, onAlert: opts.OnAlert, async: opts.Async,
		m: newMetrics(opts.Registerer), alerted: map[string]time.Time{}}
	if b.ttl <= 0 {
		b.ttl = DefaultTTL
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.log == nil {
		b.log = slog.Default()
	}
	b.Update(cfg)
	return b
}

// Update puts cfg (validated) in force for the requests that begin from
// now on. What was spent is kept: it lives in the state back end under
// each budget's name and unit (and, for match "*", its instance), so a
// budget whose limit, mode, alert threshold or price ceiling changes
// keeps counting from what its period has spent; a budget renamed, or
// switched between USD and tokens, starts from zero. Requests in flight
// settle against the budgets they reserved with. A nil Budgets ignores
// it.
func (b *Budgets) Update(cfg []config.Budget) {
	if b == nil {
		return
	}
	rules := make([]*rule, 0, len(cfg))
	for i := range cfg {
		rules = append(rules, b.compile(&cfg[i]))
	}
	b.rules.Store(&rules)
}

// Active returns b when it has a budget in force, else nil (a request
// then skips every check).
func (b *Budgets) Active() *Budgets {
	if b == nil || len(b.list()) == 0 {
		return nil
	}
	return b
}

// list returns the budgets in force.
func (b *Budgets) list() []*rule {
	if p := b.rules.Load(); p != nil {
		return *p
	}
	return nil
}

func (b *Budgets) compile(c *config.Budget) *rule {
	r := &rule{name: c.Name, scope: c.Scope, period: state.Day, unit: USD, soft: c.Mode == config.BudgetSoft, noUnknown: c.ExcludesUnknownCost(), cfg: *c}
	if c.Match != config.MatchAll {
		r.match = c.Match
	}
	if c.Period == config.PeriodMonthly {
		r.period = state.Month
	}
	r.limit = Amount{USD: c.LimitUSD}.in(USD, false)
	if c.LimitTokens > 0 {
		r.unit, r.limit = Tokens, c.LimitTokens
	}
	r.threshold = int64(math.Ceil(c.AlertAt * float64(r.limit)))
	if r.soft {
		r.ceiling = Ceiling{MaxInputPricePerM: c.Soft.MaxInputPrice, MaxOutputPricePerM: c.Soft.MaxOutputPrice, By: c.Name}
	}
	// The unit is part of the key: a budget switched from USD to tokens
	// must not read micro-dollars as tokens.
	r.key = "budget:" + c.Name + ":" + string(r.unit)
	r.m = b.m.forRule(c.Name, r.unit)
	return r
}

// instance returns the tenant, key or route of who that r matches, and
// whether it matches. A key's instance is its tenant and name
// (KeyInstance): key names are unique within a tenant only, and two
// tenants' keys of one name must not share an amount. A key budget's
// match names a key by its name or by tenant/name.
func (r *rule) instance(who *Who) (string, bool) {
	switch r.scope {
	case config.ScopeTenant:
		return who.Tenant, who.Tenant != "" && (r.match == "" || r.match == who.Tenant)
	case config.ScopeKey:
		in := KeyInstance(who.Tenant, who.Key)
		return in, who.Key != "" && (r.match == "" || r.match == who.Key || r.match == in)
	case config.ScopeRoute:
		return who.Route, who.Route != "" && (r.match == "" || r.match == who.Route)
	}
	return "", false
}

// KeyInstance is the instance of a key budget for the key named name of
// tenant: "tenant/name", or the name alone for a key without a tenant
// (config.Key.TenantOf: its own tenant, of its name).
func KeyInstance(tenant, name string) string {
	if tenant == "" || tenant == name {
		return name
	}
	return tenant + "/" + name
}

// stateKey is the state key of r's budget for instance. A tenant or
// route budget matching one by name has one amount; a key budget has one
// per instance even then (a name may be several tenants' keys).
func (r *rule) stateKey(instance string) string {
	if r.match != "" && r.scope != config.ScopeKey {
		return r.key
	}
	return r.key + ":" + instance
}

// Usage returns the current period's use of the budget called name for
// instance (the tenant, the key's KeyInstance or the route; ignored when
// a tenant or route budget matches one by name), in the budget's unit. ok is false for an unknown name.
func (b *Budgets) Usage(ctx context.Context, name, instance string) (u state.Usage, ok bool, err error) {
	for _, r := range b.list() {
		if r.name == name {
			u, err = b.st.Usage(ctx, r.stateKey(instance), r.period)
			return u, true, err
		}
	}
	return state.Usage{}, false, nil
}
