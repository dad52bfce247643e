package budget

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/config"
	"switchyard/llm"
)

func testCounter(t testing.TB, v *prometheus.CounterVec, labels ...string) float64 {
	t.Helper()
	return testutil.ToFloat64(v.WithLabelValues(labels...))
}

func softBudget(limit float64) config.Budget {
	b := usdBudget("support-soft", config.ScopeRoute, "support", limit)
	b.Mode, b.Soft = config.BudgetSoft, config.SoftBudget{MaxInputPrice: 1, MaxOutputPrice: 4}
	return b
}

// A soft budget never refuses. Until it is spent it sets no ceiling; its
// alert_at share raises one threshold alert; once spent, every request
// gets its price ceiling and one exhausted alert is raised for the
// period. The next day starts from zero.
func TestSoftBudget(t *testing.T) {
	f := newFixture(t, softBudget(10))
	who := Who{Route: "support"}
	step := func(actual float64) Ceiling {
		t.Helper()
		h, err := f.b.Begin(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Reserve(ctx, Amount{USD: 100}); err != nil {
			t.Fatalf("a soft budget refused: %v", err)
		}
		h.Settle(ctx, true, Amount{USD: actual})
		return h.Ceiling()
	}
	for _, spend := range []float64{5, 2.5, 2} { // 0, 5 and 7.5 used when asked: under alert_at (8)
		if c := step(spend); !c.IsZero() {
			t.Fatalf("ceiling %+v before the budget is spent", c)
		}
	}
	if got := f.alertList(); got != nil {
		t.Errorf("alerts %v under alert_at", got)
	}
	if c := step(1); !c.IsZero() { // 9.5 used: past alert_at, not spent
		t.Errorf("ceiling %+v before the budget is spent", c)
	}
	want := Ceiling{MaxInputPricePerM: 1, MaxOutputPricePerM: 4, By: "support-soft"}
	for range 3 {
		if c := step(1); c != want {
			t.Errorf("ceiling %+v, want %+v", c, want)
		}
	}
	if got, want := f.alertList(), []string{"support-soft/support/threshold", "support-soft/support/exhausted"}; !slices.Equal(got, want) {
		t.Errorf("alerts %v, want %v", got, want)
	}
	if got := testCounter(t, f.b.m.ceiling, "support-soft"); got != 3 {
		t.Errorf("ceiling counted %v times, want 3", got)
	}
	if got := testCounter(t, f.b.m.usd, "support-soft"); got != 13.5 {
		t.Errorf("charged %v USD, want 13.5", got)
	}
	f.clock.Advance(time.Minute) // midnight UTC: a new day
	if c := step(9); !c.IsZero() {
		t.Errorf("ceiling %+v on a new day", c)
	}
	step(0)
	if got := f.alertList(); len(got) != 3 || got[2] != "support-soft/support/threshold" {
		t.Errorf("alerts %v: want the threshold raised again in the new period", got)
	}
}

// Of several spent soft budgets, each price is capped by the lowest.
func TestSoftCeilingsCombine(t *testing.T) {
	a := softBudget(1)
	b := usdBudget("tenant-soft", config.ScopeTenant, "acme", 1)
	b.Mode, b.Soft = config.BudgetSoft, config.SoftBudget{MaxInputPrice: 0.5}
	f := newFixture(t, a, b)
	who := Who{Tenant: "acme", Route: "support"}
	if err := request(t, f.b, who, Amount{}, Amount{USD: 2}); err != nil {
		t.Fatal(err)
	}
	h, _ := f.b.Begin(ctx, who)
	if c := h.Ceiling(); c != (Ceiling{MaxInputPricePerM: 0.5, MaxOutputPricePerM: 4, By: "tenant-soft"}) {
		t.Errorf("ceiling %+v", c)
	}
}

// Two processes sharing one back end raise an alert once between them.
func TestAlertOnceAcrossProcesses(t *testing.T) {
	cfg := config.Budget{Name: "acme", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodMonthly, LimitUSD: 1}
	f := newFixture(t, cfg)
	other := f.on(f.st, cfg)
	who := Who{Tenant: "acme"}
	for i := range 6 {
		b := f.b
		if i%2 == 1 {
			b = other
		}
		_ = request(t, b, who, Amount{USD: 0.3}, Amount{USD: 0.3})
	}
	if got, want := f.alertList(), []string{"acme/acme/threshold", "acme/acme/exhausted"}; !slices.Equal(got, want) {
		t.Errorf("alerts %v, want %v", got, want)
	}
}

// A daily budget starts from zero at midnight UTC, a monthly one on the
// 1st; a request refused before either is admitted after it.
func TestPeriodsReset(t *testing.T) {
	day := config.Budget{Name: "day", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitTokens: 100}
	month := config.Budget{Name: "month", Scope: config.ScopeKey, Match: "app", Period: config.PeriodMonthly, LimitTokens: 100}
	f := newFixture(t, day, month)
	f.clock.Advance(-48 * time.Hour) // Jan 29, 23:59
	dayOnly, monthOnly := Who{Tenant: "acme"}, Who{Key: "app"}
	hundred := Amount{Tokens: 100}
	for _, who := range []Who{dayOnly, monthOnly} {
		if err := request(t, f.b, who, hundred, hundred); err != nil {
			t.Fatal(err)
		}
		if err := request(t, f.b, who, Amount{Tokens: 1}, Amount{}); llm.AsError(err).Code != CodeBudgetExceeded {
			t.Fatalf("%+v: a spent budget admitted a request: %v", who, err)
		}
	}
	f.clock.Advance(time.Minute) // Jan 30: a new day, the same month
	if err := request(t, f.b, dayOnly, hundred, hundred); err != nil {
		t.Errorf("daily budget on a new day: %v", err)
	}
	err := request(t, f.b, monthOnly, Amount{Tokens: 1}, Amount{})
	if e := llm.AsError(err); e.Code != CodeBudgetExceeded || e.RetryAfter != 2*24*time.Hour ||
		!strings.Contains(e.Message, "It resets at 2026-02-01T00:00:00Z.") {
		t.Errorf("monthly budget on a new day: %v (retry after %v)", err, e.RetryAfter)
	}
	f.clock.Advance(48 * time.Hour) // Feb 1
	if err := request(t, f.b, monthOnly, hundred, hundred); err != nil {
		t.Errorf("monthly budget in a new month: %v", err)
	}
}

// Under concurrency a hard budget admits requests until the next estimate
// does not fit: when requests cost what they were estimated at, exactly
// floor(limit / estimate) are admitted and the spend never passes the
// limit; when each costs more than its estimate, the spend passes the
// limit by no more than those excesses.
func TestConcurrentRequestsStopAtTheLimit(t *testing.T) {
	const workers, estimate = 32, 1000 // micro-dollars
	for _, tt := range []struct {
		name   string
		actual int64
	}{{"actual equals estimate", estimate}, {"actual below estimate", 700}} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, usdBudget("acme", config.ScopeTenant, "acme", 0.0155))
			admitted := hammer(t, f.b, workers, estimate, tt.actual)
			u := f.usage(t, "acme", "")
			if u.Reserved != 0 || u.Spent != admitted*tt.actual {
				t.Fatalf("usage %+v after %d admitted", u, admitted)
			}
			limit := int64(15500)
			if u.Spent > limit || u.Spent+estimate <= limit-(estimate-tt.actual)*workers {
				t.Errorf("spent %d of %d with estimate %d", u.Spent, limit, estimate)
			}
			if tt.actual == estimate && admitted != 15 {
				t.Errorf("%d admitted, want 15", admitted)
			}
		})
	}
}

// hammer sends requests from workers goroutines until each is refused,
// and returns how many were admitted.
func hammer(t *testing.T, b *Budgets, workers int, estimate, actual int64) int64 {
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				h, err := b.Begin(ctx, Who{Tenant: "acme"})
				if err != nil {
					t.Error(err)
					return
				}
				if err := h.Reserve(ctx, Amount{USD: float64(estimate) / 1e6}); err != nil {
					if llm.AsError(err).Code != CodeBudgetExceeded {
						t.Error(err)
					}
					return
				}
				admitted.Add(1)
				h.Settle(ctx, true, Amount{USD: float64(actual) / 1e6})
			}
		})
	}
	wg.Wait()
	return admitted.Load()
}

// BenchmarkRequest is one request's budget work on the memory back end:
// Begin, Reserve and Settle against a hard tenant budget and a soft route
// budget.
func BenchmarkRequest(b *testing.B) {
	f := newFixture(b, usdBudget("acme", config.ScopeTenant, config.MatchAll, 1e9), softBudget(1e9))
	who := Who{Tenant: "acme", Key: "app", Route: "support"}
	b.ReportAllocs()
	for b.Loop() {
		h, _ := f.b.Begin(ctx, who)
		if err := h.Reserve(ctx, Amount{USD: 0.001}); err != nil {
			b.Fatal(err)
		}
		h.Settle(ctx, true, Amount{USD: 0.001})
	}
}

// BenchmarkNoMatch is the cost for a request no budget applies to.
func BenchmarkNoMatch(b *testing.B) {
	f := newFixture(b, usdBudget("acme", config.ScopeTenant, "acme", 1e9), softBudget(1e9))
	who := Who{Tenant: "globex", Route: "auto"}
	b.ReportAllocs()
	for b.Loop() {
		h, _ := f.b.Begin(ctx, who)
		_ = h.Reserve(ctx, Amount{USD: 0.001})
		h.Settle(ctx, true, Amount{USD: 0.001})
	}
}

// The budget metrics pass Prometheus' lint.
func TestMetricsLint(t *testing.T) {
	reg := prometheus.NewRegistry()
	New([]config.Budget{usdBudget("acme", config.ScopeTenant, "acme", 1)}, newFixture(t).st, Options{Registerer: reg})
	problems, err := testutil.GatherAndLint(reg)
	if err != nil || len(problems) > 0 {
		t.Errorf("metric lint: %v %v", problems, err)
	}
}
