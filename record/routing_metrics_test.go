package record

import (
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/llm"
	"switchyard/store"
)

// attempt is a trail entry on dep with outcome o.
func attempt(dep, o string) Attempt {
	a := Attempt{Deployment: dep, Outcome: o, Tier: 1}
	if o != store.OutcomeOK {
		a.ErrorKind = llm.KindUpstream
	}
	return a
}

func hedged(a Attempt) Attempt   { a.Hedge = true; return a }
func resumedA(a Attempt) Attempt { a.Resumed = true; return a }

// TestRoutingMetrics feeds a known sequence of records and checks every
// fallback, hedge, tier and resume count it must produce.
func TestRoutingMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	ok, failed, cut, canceled := store.OutcomeOK, store.OutcomeError, store.OutcomeCut, store.OutcomeCanceled
	records := []*Record{
		// Answered by the first deployment tried, tier 1.
		{Route: "auto", Deployment: "a", Status: 200, Tier: 1, Trail: []Attempt{attempt("a", ok)}},
		// Failed over to b in tier 2.
		{Route: "auto", Deployment: "b", Status: 200, Tier: 2, Trail: []Attempt{attempt("a", failed), attempt("b", ok)}},
		// A hedge on b won.
		{Route: "auto", Deployment: "b", Status: 200, Tier: 1, Trail: []Attempt{attempt("a", canceled), hedged(attempt("b", ok))}},
		// A hedge on b lost.
		{Route: "auto", Deployment: "a", Status: 200, Tier: 1, Trail: []Attempt{attempt("a", ok), hedged(attempt("b", canceled))}},
		// Every attempt failed: a fallback, not served.
		{Route: "auto", Deployment: "b", Status: 502, ErrorKind: llm.KindUpstream, Tier: 2,
			Trail: []Attempt{attempt("a", failed), attempt("b", failed)}},
		// A stream broken on a, resumed on b by prefill.
		{Route: "auto", Deployment: "b", Status: 200, Tier: 1, Stream: true, ResumedFrom: "a", ResumeMode: "prefill",
			Trail: []Attempt{attempt("a", cut), resumedA(attempt("b", ok))}},
		// A stream that failed after its first byte: not served.
		{Route: "auto", Deployment: "a", Status: 200, Tier: 1, Stream: true, StreamFailed: true, ErrorKind: llm.KindUpstream,
			Trail: []Attempt{attempt("a", cut)}},
		// Another route, tier 3, and a record without a trail.
		{Route: "cheap", Deployment: "c", Status: 200, Tier: 3},
		{Endpoint: "embeddings", Deployment: "e", Status: 200},
	}
	for _, r := range records {
		if r.Endpoint == "" {
			r.Endpoint = "chat"
		}
		m.Consume(r)
	}
	rm := m.routing
	counters := []struct {
		name string
		c    prometheus.Collector
		want float64
	}{
		{"fallbacks a→b", rm.fallbacks.WithLabelValues("auto", "a", "b"), 4},
		{"hedges started on b", rm.hedgeStarted.WithLabelValues("auto", "b"), 2},
		{"hedges won on b", rm.hedgeWon.WithLabelValues("auto", "b"), 1},
		{"served tier 1", rm.servedTier.WithLabelValues("auto", "1"), 4},
		{"served tier 2", rm.servedTier.WithLabelValues("auto", "2"), 1},
		{"served cheap tier 3", rm.servedTier.WithLabelValues("cheap", "3"), 1},
		{"resumed by prefill", m.resumed.WithLabelValues("auto", "a", "b", "prefill"), 1},
	}
	for _, c := range counters {
		if got := testutil.ToFloat64(c.c); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	series := []struct {
		name string
		c    prometheus.Collector
		want int
	}{
		{"fallbacks", rm.fallbacks, 1}, {"hedges started", rm.hedgeStarted, 1}, {"hedges won", rm.hedgeWon, 1},
		{"served", rm.servedTier, 3}, {"resumed", m.resumed, 1},
	}
	for _, s := range series {
		if n := testutil.CollectAndCount(s.c); n != s.want {
			t.Errorf("%s: %d series, want %d", s.name, n, s.want)
		}
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("metric lint: %v %v", problems, err)
	}
}

func TestTierLabel(t *testing.T) {
	for tier, want := range map[int]string{0: "0", 1: "1", 9: "9", 10: "10", 12: "12"} {
		if got := tierLabel(tier); got != want {
			t.Errorf("tierLabel(%d) = %q, want %q", tier, got, want)
		}
	}
}

// labelNames returns the label names of the metric family name in reg.
func labelNames(t *testing.T, reg *prometheus.Registry, name string) []string {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) > 0 {
			var names []string
			for _, lp := range mf.GetMetric()[0].GetLabel() {
				names = append(names, lp.GetName())
			}
			return names
		}
	}
	t.Fatalf("no metric %s", name)
	return nil
}

// TestMetricsTenantLabel: the tenant label appears on requests, tokens
// and cost only when asked for, and splits them by tenant.
func TestMetricsTenantLabel(t *testing.T) {
	recs := []*Record{
		{Endpoint: "chat", Route: "auto", Deployment: "d", Status: 200, Tenant: "acme", Usage: llm.Usage{PromptTokens: 10}, CostUSD: 0.5},
		{Endpoint: "chat", Route: "auto", Deployment: "d", Status: 200, Tenant: "acme", Usage: llm.Usage{PromptTokens: 5}, CostUSD: 0.25},
		{Endpoint: "chat", Route: "auto", Deployment: "d", Status: 200, Tenant: "globex", Usage: llm.Usage{PromptTokens: 1}, CostUSD: 1},
	}
	t.Run("off", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		m := NewMetrics(reg)
		for _, r := range recs {
			m.Consume(r)
		}
		for _, name := range []string{"switchyard_requests_total", "switchyard_tokens_total", "switchyard_cost_usd_total"} {
			if names := labelNames(t, reg, name); slices.Contains(names, "tenant") {
				t.Errorf("%s has labels %v, want no tenant", name, names)
			}
		}
		if got := testutil.ToFloat64(m.requests.WithLabelValues("chat", "auto", "d", "200")); got != 3 {
			t.Errorf("requests = %v, want 3", got)
		}
	})
	t.Run("on", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		m := NewMetricsWith(reg, MetricsOptions{TenantLabel: true})
		for _, r := range recs {
			m.Consume(r)
		}
		for _, name := range []string{"switchyard_requests_total", "switchyard_tokens_total", "switchyard_cost_usd_total"} {
			if names := labelNames(t, reg, name); !slices.Contains(names, "tenant") {
				t.Errorf("%s has labels %v, want tenant", name, names)
			}
		}
		if names := labelNames(t, reg, "switchyard_request_duration_seconds"); slices.Contains(names, "tenant") {
			t.Errorf("latency has a tenant label: %v", names)
		}
		checks := []struct {
			name string
			c    prometheus.Collector
			want float64
		}{
			{"acme requests", m.requests.WithLabelValues("chat", "auto", "d", "200", "acme"), 2},
			{"globex requests", m.requests.WithLabelValues("chat", "auto", "d", "200", "globex"), 1},
			{"acme prompt tokens", m.tokens.WithLabelValues("d", "prompt", "acme"), 15},
			{"acme cost", m.cost.WithLabelValues("d", "acme"), 0.75},
			{"globex cost", m.cost.WithLabelValues("d", "globex"), 1},
		}
		for _, c := range checks {
			if got := testutil.ToFloat64(c.c); got != c.want {
				t.Errorf("%s = %v, want %v", c.name, got, c.want)
			}
		}
		if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
			t.Errorf("metric lint: %v %v", problems, err)
		}
	})
}

// TestRecorderMetrics: the queue gauge follows the records waiting, and
// drops are counted, read at gather time.
func TestRecorderMetrics(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	sink := SinkFunc(func(r *Record) {
		if r.RequestID == "first" {
			close(entered)
			<-release
		}
	})
	rec := NewRecorder(3, sink)
	reg := prometheus.NewRegistry()
	rec.Register(reg)
	rec.Add(&Record{RequestID: "first"})
	<-entered // the goroutine holds "first"; the queue is empty
	for range 5 {
		rec.Add(&Record{})
	}
	want := map[string]float64{
		"switchyard_record_queue_length":   3,
		"switchyard_record_queue_capacity": 3,
		"switchyard_records_dropped_total": 2,
	}
	for name, v := range want {
		if got := gathered(t, reg, name); got != v {
			t.Errorf("%s = %v, want %v", name, got, v)
		}
	}
	close(release)
	if err := rec.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := gathered(t, reg, "switchyard_record_queue_length"); got != 0 {
		t.Errorf("queue length after close = %v, want 0", got)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("metric lint: %v %v", problems, err)
	}
}
