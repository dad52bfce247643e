package logreplay

import (
	"strings"
	"testing"
	"time"
)

// TestWriteTable: the header says what was read and how; each route's
// table has the logged row, every policy, the logged settings marked,
// and the notes on availability and warnings; an empty replay says so.
func TestWriteTable(t *testing.T) {
	w := newWorld(0.3)
	ds := w.sample(5, 400)
	ds[0].Deployments = []string{"dear", "mid", "other"} // cheap is not a candidate once
	log := &Log{Routes: []RouteLog{{Route: "auto", Decisions: ds}}, Requests: 420, Skipped: Skipped{NotAdaptive: 20}, CostUnknown: 3}
	since := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tenant := "acme"
	rep := &Report{
		Since: &since, Route: "auto", Tenant: &tenant, Estimates: EstimatesLogged, Log: log,
		Options: ReportOptions{Clip: 100, Unrated: Unrated{Mode: UnratedValue, Value: 0.6}, Interval: "delta", Lambdas: []float64{0, 5}},
		Routes:  Run(log, Spec{Lambdas: []float64{0, 5}, Explore: AsLogged}, Options{}),
	}
	var b strings.Builder
	if err := WriteTable(&b, rep); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Log replay: 420 chat requests (since 2026-03-01T00:00:00Z, route auto, tenant \"acme\"), 400 decisions of the adaptive scorer; not replayed: 20 not decided by it, 0 without its recorded estimates, 0 with a bad propensity.",
		"at each request's logged ε. Weights clipped at 100. Requests without feedback: reward 0.6. 95% intervals: delta method.",
		"note: 3 decisions include a deployment with no known price",
		"route auto: 400 decisions, ", "logged λ 0.2, ε 0.3; deployments cheap, dear, mid, other",
		"\nlogged ", "\nstatic ", "\nalways cheap ", "\nalways other ", "\nadaptive λ=0 ", "\nadaptive λ=0.2 (logged) ", "\nadaptive λ=5 ",
		"! always cheap: a candidate on 99.8% of requests; on the others it takes the static first",
		"! always other: a candidate on 0.2% of requests", "! always mid: effective sample size 24.1 of 282 rated requests",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	if err := WriteTable(&b, &Report{Log: &Log{}, Options: ReportOptions{Clip: 100}}); err != nil || !strings.Contains(b.String(), "No decision of the adaptive scorer to replay") ||
		!strings.Contains(b.String(), "(all time)") {
		t.Errorf("empty replay: %v\n%s", err, b.String())
	}
}

// TestUSDDigits: costs show three significant digits.
func TestUSDDigits(t *testing.T) {
	for v, want := range map[float64]int{0.000412: 6, 0.0123: 4, 1.5: 2, 250: 2, 0: 2, -0.00031: 6} {
		if got := usdDigits(v); got != want {
			t.Errorf("usdDigits(%v) = %d, want %d", v, got, want)
		}
	}
}
