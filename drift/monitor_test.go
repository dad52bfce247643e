package drift

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/sqlite"
)

func openSQLite(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "drift.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// simRuns draws one run of w for each named deployment.
func simRuns(w map[string]*simWorld, deps ...string) []*store.DriftRun {
	out := make([]*store.DriftRun, len(deps))
	for i, d := range deps {
		r := &store.DriftRun{ID: NewRunID(time.Now()), Set: "s", Deployment: d, Started: time.Now(), Finished: time.Now(), Results: w[d].run()}
		tally(r)
		out[i] = r
	}
	return out
}

// The monitor builds the baseline, flags the drifting deployment only,
// demotes it for every category (refusals and length are whole-set
// changes), alerts once, keeps the runs, demotes it again after a
// restart, and reinstates it once it is back.
func TestMonitorFlagsDemotesAndReinstates(t *testing.T) {
	db := openSQLite(t)
	reg := prometheus.NewRegistry()
	metrics := NewMetrics(reg)
	var logs bytes.Buffer
	demoter := &Demoter{OnChange: metrics.Demoted}
	newMonitor := func(d *Demoter) *Monitor {
		return &Monitor{Store: db, Options: Options{BaselineRuns: 2}, Demoter: d, Metrics: metrics,
			Alerter: &Alerter{Log: slog.New(slog.NewTextHandler(&logs, nil)), Metrics: metrics}}
	}
	m := newMonitor(demoter)
	worlds := map[string]*simWorld{
		"steady":   newSimWorld(1, 100, allCategories, 0.9),
		"drifting": newSimWorld(2, 100, allCategories, 0.9),
	}
	ctx := context.Background()
	observe := func() []*store.DriftRun {
		t.Helper()
		runs := simRuns(worlds, "steady", "drifting")
		if err := m.Observe(ctx, runs); err != nil {
			t.Fatal(err)
		}
		return runs
	}
	for range 2 {
		for _, r := range observe() {
			if r.Verdict != VerdictBaseline || r.Tests != nil {
				t.Fatalf("baseline run %+v", r)
			}
		}
	}
	verboseRefuse(worlds["drifting"])
	runs := observe()
	if runs[0].Verdict == VerdictFlagged || runs[1].Verdict != VerdictFlagged {
		t.Fatalf("verdicts %s, %s; want the drifting one flagged only", runs[0].Verdict, runs[1].Verdict)
	}
	if got := Flagged(runs[1]); len(got) == 0 || got[0] != AllCategories {
		t.Errorf("flagged categories %v, want * first", got)
	}
	routing := demoter.Routing()
	if reason := routing["drifting"][AllCategories]; !strings.Contains(reason, "quality drift in golden set s") || routing["steady"] != nil {
		t.Fatalf("routing snapshot %v", routing)
	}
	if !strings.Contains(logs.String(), "drift detected") || !strings.Contains(logs.String(), "deployment=drifting") {
		t.Errorf("log:\n%s", logs.String())
	}
	if v := testutil.ToFloat64(metrics.alerts.WithLabelValues(SourceGolden, "drifting")); v != 1 {
		t.Errorf("alerts metric %v", v)
	}
	if v := testutil.ToFloat64(metrics.demoted.WithLabelValues("drifting", "*")); v != 1 {
		t.Errorf("demoted metric %v", v)
	}
	stored, err := db.DriftRuns(ctx, store.DriftFilter{Deployment: "drifting"})
	if err != nil || len(stored) != 3 || stored[0].Verdict != VerdictFlagged || len(stored[0].Tests) == 0 {
		t.Fatalf("stored runs %v, %v", stored, err)
	}

	// A restart reads the history back and demotes again.
	restarted := &Demoter{}
	m = newMonitor(restarted)
	if err := m.Restore(ctx, map[string][]string{"s": {"steady", "drifting"}}); err != nil {
		t.Fatal(err)
	}
	if restarted.Routing()["drifting"] == nil {
		t.Fatal("a restart reinstated the drifting deployment")
	}
	// Back to normal: the window still holds a drifted run for two more
	// runs; then a run without a sign of the change lifts the demotion.
	worlds["drifting"].verbosity, worlds["drifting"].refusal = 1, 0.02
	lifted := false
	for range 6 {
		observe()
		if restarted.Routing()["drifting"] == nil {
			lifted = true
			break
		}
	}
	if !lifted {
		t.Fatalf("still demoted: %+v", restarted.List())
	}
}

// Runs with too many errors are neither baseline nor tested; capped runs
// keep their verdict.
func TestMonitorIncompleteAndCapped(t *testing.T) {
	m := &Monitor{Options: Options{BaselineRuns: 1}}
	errs := make([]store.DriftResult, 10)
	for i := range errs {
		errs[i].ErrorKind = llm.KindTimeout
	}
	incomplete := &store.DriftRun{ID: "a", Set: "s", Deployment: "d", Results: errs}
	capped := &store.DriftRun{ID: "b", Set: "s", Deployment: "d", Verdict: VerdictCapped}
	if err := m.Observe(context.Background(), []*store.DriftRun{incomplete, capped}); err != nil {
		t.Fatal(err)
	}
	if incomplete.Verdict != VerdictIncomplete || capped.Verdict != VerdictCapped {
		t.Errorf("verdicts %s %s", incomplete.Verdict, capped.Verdict)
	}
	if h := m.histories[historyKey{"s", "d"}]; len(h.Baseline) != 0 {
		t.Error("an incomplete run joined the baseline")
	}
}

// A pinned baseline is read back as the baseline, whatever came first.
func TestMonitorPinnedBaseline(t *testing.T) {
	db := openSQLite(t)
	ctx := context.Background()
	w := map[string]*simWorld{"d": newSimWorld(3, 50, allCategories, 0.9)}
	m := &Monitor{Store: db, Options: Options{BaselineRuns: 1}}
	first := simRuns(w, "d")
	m.Observe(ctx, first)
	later := simRuns(w, "d")
	m.Observe(ctx, later)
	if later[0].Verdict == VerdictBaseline {
		t.Fatal("a second run joined a baseline of one")
	}
	if err := db.PinDriftBaseline(ctx, "s", "d", []string{later[0].ID}); err != nil {
		t.Fatal(err)
	}
	m.Reset()
	m.mu.Lock()
	h, err := m.history(ctx, "s", "d")
	m.mu.Unlock()
	if err != nil || !h.Pinned || len(h.Baseline) != 1 || h.Baseline[0][0].PromptID != later[0].Results[0].PromptID {
		t.Fatalf("history after pinning: %+v, %v", h, err)
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
