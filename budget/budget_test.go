package budget

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/state"
	"switchyard/state/memory"
	"switchyard/state/statetest"
)

var ctx = context.Background()

// fixture builds Budgets over a memory back end on a fake clock, which it
// returns with the alerts raised.
type fixture struct {
	b      *Budgets
	st     *memory.Backend
	clock  *statetest.Clock
	mu     sync.Mutex
	alerts []Alert
}

func newFixture(t testing.TB, budgets ...config.Budget) *fixture {
	t.Helper()
	f := &fixture{clock: statetest.NewClock()}
	f.st = memory.New(memory.Options{Now: f.clock.Now})
	f.b = f.on(f.st, budgets...)
	return f
}

// on returns another Budgets (another router process) on st.
func (f *fixture) on(st State, budgets ...config.Budget) *Budgets {
	for i := range budgets {
		if budgets[i].Mode == "" {
			budgets[i].Mode = config.BudgetHard
		}
		if budgets[i].AlertAt == 0 {
			budgets[i].AlertAt = config.DefaultAlertAt
		}
	}
	return New(budgets, st, Options{Now: f.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnAlert: func(a Alert) { f.mu.Lock(); f.alerts = append(f.alerts, a); f.mu.Unlock() }})
}

func (f *fixture) alertList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, a := range f.alerts {
		out = append(out, a.Budget+"/"+a.Match+"/"+a.Level)
	}
	return out
}

func (f *fixture) usage(t testing.TB, name, instance string) state.Usage {
	t.Helper()
	u, ok, err := f.b.Usage(ctx, name, instance)
	if err != nil || !ok {
		t.Fatalf("Usage(%s, %s): %v %v", name, instance, ok, err)
	}
	return u
}

func usdBudget(name, scope, match string, limit float64) config.Budget {
	return config.Budget{Name: name, Scope: scope, Match: match, Period: config.PeriodDaily, LimitUSD: limit}
}

// request runs one request's budget life: Begin, Reserve est, Settle
// actual. It returns Reserve's error.
func request(t testing.TB, b *Budgets, who Who, est, actual Amount) error {
	t.Helper()
	h, err := b.Begin(ctx, who)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if err := h.Reserve(ctx, est); err != nil {
		return err
	}
	h.Settle(ctx, true, actual)
	return nil
}

// Each budget applies to the requests its scope and match select: a
// fixed match to that tenant, key or route, "*" to each one separately,
// and nothing to an anonymous caller or a deployment asked by name. Key
// names are unique within a tenant only: a key budget counts each
// tenant's key of a name apart (the two tenants' "app" keys shared one
// amount), and a match of tenant/name selects one tenant's.
func TestMatching(t *testing.T) {
	f := newFixture(t,
		usdBudget("acme", config.ScopeTenant, "acme", 10),
		usdBudget("per-tenant", config.ScopeTenant, config.MatchAll, 10),
		usdBudget("app-key", config.ScopeKey, "app", 10),
		usdBudget("acme-app", config.ScopeKey, "acme/app", 10),
		usdBudget("per-route", config.ScopeRoute, config.MatchAll, 10),
	)
	one := Amount{USD: 1}
	for _, who := range []Who{
		{Tenant: "acme", Key: "app", Route: "auto"},
		{Tenant: "acme", Key: "batch", Route: "support"},
		{Tenant: "globex", Key: "app", Route: "auto"},
		{Tenant: "globex", Key: "other"},
		{},
	} {
		if err := request(t, f.b, who, one, one); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name, instance string
		spent          int64
	}{
		{"acme", "", 2e6},
		{"per-tenant", "acme", 2e6},
		{"per-tenant", "globex", 2e6},
		{"per-tenant", "", 0},
		{"app-key", "acme/app", 1e6},
		{"app-key", "globex/app", 1e6},
		{"acme-app", "acme/app", 1e6},
		{"acme-app", "globex/app", 0},
		{"per-route", "auto", 2e6},
		{"per-route", "support", 1e6},
	} {
		if u := f.usage(t, tt.name, tt.instance); u.Spent != tt.spent || u.Reserved != 0 {
			t.Errorf("%s[%s]: %+v, want spent %d", tt.name, tt.instance, u, tt.spent)
		}
	}
}

// Amounts are exact: USD in micro-dollars (an estimate rounded up, an
// actual to the nearest), tokens as they are.
func TestAmounts(t *testing.T) {
	for _, tt := range []struct {
		a    Amount
		u    Unit
		up   bool
		want int64
	}{
		{Amount{USD: 0.001}, USD, true, 1000},
		{Amount{USD: 0.0010000004}, USD, true, 1001},
		{Amount{USD: 0.0010000004}, USD, false, 1000},
		{Amount{USD: 1e-7}, USD, true, 1},
		{Amount{USD: -1}, USD, true, 0},
		{Amount{USD: 1e12}, USD, false, state.MaxAmount},
		{Amount{USD: 5, Tokens: 1234}, Tokens, true, 1234},
	} {
		if got := tt.a.in(tt.u, tt.up); got != tt.want {
			t.Errorf("%+v in %s (up %v) = %d, want %d", tt.a, tt.u, tt.up, got, tt.want)
		}
	}
}

// A hard budget admits estimates while spent + held + estimate fits, and
// refuses with a 429 that names the budget, its limit, what is spent and
// held, and when it resets, with Retry-After until then — when what is
// spent leaves no room for the estimate (else TestRefusedForHoldsInFlight).
func TestHardBudgetRefuses(t *testing.T) {
	f := newFixture(t, config.Budget{Name: "acme-tokens", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitTokens: 1000})
	who := Who{Tenant: "acme"}
	if err := request(t, f.b, who, Amount{Tokens: 600}, Amount{Tokens: 500}); err != nil {
		t.Fatal(err)
	}
	inflight, err := f.b.Begin(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	if err := inflight.Reserve(ctx, Amount{Tokens: 300}); err != nil {
		t.Fatal(err)
	}
	h, _ := f.b.Begin(ctx, who)
	err = h.Reserve(ctx, Amount{Tokens: 501})
	e := llm.AsError(err)
	if e == nil || e.Kind != llm.KindRateLimit || e.HTTPStatus() != 429 || e.Code != CodeBudgetExceeded || e.Retryable {
		t.Fatalf("err %#v", err)
	}
	want := `Budget "acme-tokens" (tenant acme, daily) is exhausted: limit 1000 tokens per day, spent 500 tokens and 300 tokens held by requests and batch lines in flight; ` +
		"this request needs an estimated 501 tokens. It resets at 2026-02-01T00:00:00Z."
	if e.Message != want {
		t.Errorf("message\n%s\nwant\n%s", e.Message, want)
	}
	if e.RetryAfter != time.Minute { // the clock is at 23:59 UTC
		t.Errorf("RetryAfter %v, want 1m", e.RetryAfter)
	}
	if err := h.Reserve(ctx, Amount{Tokens: 200}); err != nil {
		t.Errorf("200 tokens fit exactly: %v", err)
	}
	if got := testCounter(t, f.b.m.rejections, "acme-tokens"); got != 1 {
		t.Errorf("rejections counted %v, want 1", got)
	}
}

// When one of a request's budgets refuses, what the others reserved is
// released; a request that never dispatched releases everything and is
// charged nothing.
func TestRefusalAndUndispatchedRelease(t *testing.T) {
	f := newFixture(t, usdBudget("wide", config.ScopeTenant, "acme", 100), usdBudget("narrow", config.ScopeRoute, "auto", 1))
	who := Who{Tenant: "acme", Route: "auto"}
	h, _ := f.b.Begin(ctx, who)
	if err := h.Reserve(ctx, Amount{USD: 2}); llm.AsError(err).Code != CodeBudgetExceeded || !strings.Contains(err.Error(), `"narrow"`) {
		t.Fatalf("err %v", err)
	}
	if u := f.usage(t, "wide", ""); u != (state.Usage{Resets: u.Resets}) {
		t.Errorf("wide still holds %+v after narrow refused", u)
	}
	h, _ = f.b.Begin(ctx, who)
	if err := h.Reserve(ctx, Amount{USD: 0.5}); err != nil {
		t.Fatal(err)
	}
	if u := f.usage(t, "wide", ""); u.Reserved != 500000 {
		t.Errorf("wide %+v, want 0.5 USD held", u)
	}
	if names := h.Settle(ctx, false, Amount{USD: 0.5}); names != nil {
		t.Errorf("undispatched request charged to %v", names)
	}
	for _, n := range []string{"wide", "narrow"} {
		if u := f.usage(t, n, ""); u.Spent != 0 || u.Reserved != 0 {
			t.Errorf("%s %+v after release", n, u)
		}
	}
	h, _ = f.b.Begin(ctx, who)
	_ = h.Reserve(ctx, Amount{USD: 0.5})
	if names := h.Settle(ctx, true, Amount{USD: 0.75}); !slices.Equal(names, []string{"wide", "narrow"}) {
		t.Errorf("charged %v", names)
	}
	if u := f.usage(t, "narrow", ""); u.Spent != 750000 || u.Reserved != 0 {
		t.Errorf("narrow %+v, want the actual 0.75 USD spent", u)
	}
}

// The zero Hold (no budget applies) and a nil Budgets do nothing.
func TestNoBudgets(t *testing.T) {
	var b *Budgets
	h, err := b.Begin(ctx, Who{Tenant: "acme"})
	if err != nil || !h.Ceiling().IsZero() || h.Reserve(ctx, Amount{USD: 1}) != nil || h.Settle(ctx, true, Amount{USD: 1}) != nil {
		t.Errorf("nil Budgets: %v", err)
	}
	if New(nil, nil, Options{}) != nil {
		t.Error("New of no budgets is not nil")
	}
}

// With Async, a request's settlement runs off its path: the budget holds
// the estimate until it is done, and Wait waits for it.
func TestAsyncSettle(t *testing.T) {
	f := newFixture(t)
	cfg := []config.Budget{{Name: "acme", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitTokens: 100,
		Mode: config.BudgetHard, AlertAt: 1}}
	b := New(cfg, f.st, Options{Now: f.clock.Now, Async: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	h, _ := b.Begin(ctx, Who{Tenant: "acme"})
	if err := h.Reserve(ctx, Amount{Tokens: 60}); err != nil {
		t.Fatal(err)
	}
	if names := h.Settle(ctx, true, Amount{Tokens: 30}); !slices.Equal(names, []string{"acme"}) {
		t.Errorf("charged %v", names)
	}
	if names := h.Settle(ctx, true, Amount{Tokens: 30}); names != nil {
		t.Errorf("settled twice: %v", names)
	}
	b.Wait()
	if u, _, _ := b.Usage(ctx, "acme", ""); u.Spent != 30 || u.Reserved != 0 {
		t.Errorf("usage %+v after Wait", u)
	}
}

// A request under a USD budget with unknown_cost exclude (the default)
// learns which budget keeps it off deployments of unknown cost; a token
// budget or unknown_cost allow keeps nothing off.
func TestUnknownCostExcludedBy(t *testing.T) {
	f := newFixture(t,
		config.Budget{Name: "acme-tokens", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitTokens: 100},
		config.Budget{Name: "acme-open", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitUSD: 1, UnknownCost: config.UnknownCostAllow},
		config.Budget{Name: "support-usd", Scope: config.ScopeRoute, Match: "support", Period: config.PeriodDaily, LimitUSD: 1},
		config.Budget{Name: "soft-usd", Scope: config.ScopeKey, Match: "*", Period: config.PeriodDaily, LimitUSD: 1,
			Mode: config.BudgetSoft, Soft: config.SoftBudget{MaxOutputPrice: 1}, UnknownCost: config.UnknownCostExclude},
	)
	for _, tt := range []struct {
		who  Who
		want string
	}{
		{Who{Tenant: "acme"}, ""},
		{Who{Tenant: "acme", Route: "support"}, "support-usd"},
		{Who{Tenant: "globex", Key: "bot"}, "soft-usd"},
		{Who{}, ""},
	} {
		h, err := f.b.Begin(ctx, tt.who)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.UnknownCostExcludedBy(); got != tt.want {
			t.Errorf("%+v: excluded by %q, want %q", tt.who, got, tt.want)
		}
		h.Settle(ctx, false, Amount{})
	}
}
