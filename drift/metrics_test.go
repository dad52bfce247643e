package drift

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/store"
)

// The metrics follow Prometheus' naming conventions, and a nil *Metrics
// records nothing without failing.
func TestMetricsLint(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.observeRun(&store.DriftRun{Set: "s", Deployment: "d", Verdict: VerdictFlagged, Prompts: 10, Passed: 5, CostUSD: 0.5})
	m.alert(SourceGolden, "d")
	m.Demoted("d", AllCategories, true)
	m.webhookOutcome(false)
	m.liveCheck("clean")
	problems, err := testutil.GatherAndLint(reg)
	if err != nil || len(problems) > 0 {
		t.Fatalf("lint: %v %+v", err, problems)
	}
	if v := testutil.ToFloat64(m.passRate.WithLabelValues("s", "d")); v != 0.5 {
		t.Errorf("pass rate %v", v)
	}
	if v := testutil.ToFloat64(m.spend); v != 0.5 {
		t.Errorf("spend %v", v)
	}
	var none *Metrics
	none.observeRun(&store.DriftRun{})
	none.alert("x", "y")
	none.Demoted("d", "c", true)
}
