package budget

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// A reservation is held as long as its request may run: past the
// request's own deadline (a background response's run, up to
// responses.background.timeout, outlives server.request_timeout) plus
// the margin, not only Options.TTL. Before, a run longer than the TTL
// lost its hold while it ran, and other requests took its room: the
// budget was overshot by its whole cost. A hold still lapses once its
// deadline has passed (a process that died does not hold it forever),
// and a request without a deadline keeps Options.TTL.
func TestHoldLastsTheRequestsDeadline(t *testing.T) {
	f := newFixture(t, usdBudget("acme-daily", config.ScopeTenant, "acme", 10))
	f.clock.Advance(2 * time.Minute) // off the month's end: one period throughout
	reserve := func(ctx context.Context) {
		t.Helper()
		h, err := f.b.Begin(ctx, Who{Tenant: "acme"})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Reserve(ctx, Amount{USD: 1}); err != nil {
			t.Fatal(err)
		}
	}
	long, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	reserve(long)
	f.clock.Advance(DefaultTTL + 10*time.Minute)
	if u := f.usage(t, "acme-daily", ""); u.Reserved != 1e6 {
		t.Errorf("%v into a request with an hour to run, it holds %+v, want its $1 held", DefaultTTL+10*time.Minute, u)
	}
	f.clock.Advance(time.Hour)
	if u := f.usage(t, "acme-daily", ""); u.Reserved != 0 {
		t.Errorf("past the request's deadline and the margin, %+v is still held", u)
	}
	reserve(ctx) // no deadline
	f.clock.Advance(DefaultTTL - time.Second)
	if u := f.usage(t, "acme-daily", ""); u.Reserved != 1e6 {
		t.Errorf("within the TTL, %+v held, want $1", u)
	}
	f.clock.Advance(2 * time.Second)
	if u := f.usage(t, "acme-daily", ""); u.Reserved != 0 {
		t.Errorf("past the TTL, %+v is still held", u)
	}
}

// A request whose estimate alone is more than a budget's whole limit can
// never fit: its 429 says so and what to change, with no Retry-After
// (the reset does not help), and raises no exhausted alert for a budget
// that may be nearly unused. Before, it read "is exhausted … It resets
// at …", Retry-After until the reset, and the alert fired.
func TestEstimateAboveTheWholeLimit(t *testing.T) {
	f := newFixture(t, usdBudget("acme-daily", config.ScopeTenant, "acme", 1))
	f.clock.Advance(2 * time.Minute)
	h, _ := f.b.Begin(ctx, Who{Tenant: "acme"})
	err := h.Reserve(ctx, Amount{USD: 1.5})
	e := llm.AsError(err)
	want := `Budget "acme-daily" (tenant acme, daily) cannot hold this request: its estimate, $1.5, is more than the budget's whole limit of $1 per day, so it is refused however little was spent. Lower max_tokens, or ask for a cheaper model (the estimate is the most expensive candidate's).`
	if e == nil || e.Code != CodeBudgetExceeded || e.Kind != llm.KindRateLimit || e.Message != want {
		t.Fatalf("err %#v\nwant message %s", e, want)
	}
	if e.RetryAfter != 0 {
		t.Errorf("Retry-After %v for a request no reset lets through", e.RetryAfter)
	}
	if got := f.alertList(); got != nil {
		t.Errorf("alerts %v for an unused budget", got)
	}
	if u := f.usage(t, "acme-daily", ""); u.Spent != 0 || u.Reserved != 0 {
		t.Errorf("usage %+v after the refusal", u)
	}
}

// A request refused only because requests in flight hold the room it
// needs (what is spent plus its estimate fits the limit) is told to
// retry in a second, retryably (the SDKs then retry it themselves), not
// that the budget is exhausted until the reset: the holds settle at the
// requests' real cost within seconds. It raises no exhausted alert.
// Once the holds are settled, the same request passes. A budget really
// spent is refused as before.
func TestRefusedForHoldsInFlight(t *testing.T) {
	f := newFixture(t, usdBudget("acme-daily", config.ScopeTenant, "acme", 1))
	f.clock.Advance(2 * time.Minute)
	who := Who{Tenant: "acme"}
	first, _ := f.b.Begin(ctx, who)
	if err := first.Reserve(ctx, Amount{USD: 0.6}); err != nil {
		t.Fatal(err)
	}
	h, _ := f.b.Begin(ctx, who)
	e := llm.AsError(h.Reserve(ctx, Amount{USD: 0.6}))
	want := `Budget "acme-daily" (tenant acme, daily) is held by requests in flight: limit $1 per day, spent $0 and $0.6 held by requests and batch lines in flight; this request needs an estimated $0.6, which fits once they settle at their real cost. Retry after 1s.`
	if e == nil || e.Code != CodeBudgetExceeded || e.Kind != llm.KindRateLimit || e.Message != want || !e.Retryable || e.RetryAfter != time.Second {
		t.Fatalf("err %#v\nwant message %s, retryable after 1s", e, want)
	}
	if got := f.alertList(); got != nil {
		t.Errorf("alerts %v for a budget with nothing spent", got)
	}
	first.Settle(ctx, true, Amount{USD: 0.1})
	if err := request(t, f.b, who, Amount{USD: 0.6}, Amount{USD: 0.8}); err != nil {
		t.Fatalf("once the hold settled: %v", err)
	}
	e = llm.AsError(request(t, f.b, who, Amount{USD: 0.3}, Amount{}))
	if e == nil || e.Retryable || e.RetryAfter < time.Hour || !strings.Contains(e.Message, "is exhausted") {
		t.Errorf("a spent budget: %#v", e)
	}
}
