package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/drift"
	"switchyard/sim"
)

// driftConfig is a configuration file with an admin key and a drift
// section, DRIFT, after the rest.
const driftConfig = `auth:
  admin_keys: [{key: adm-drift-key, name: adm}]
providers:
  sim: {kind: openai, base_url: "http://SIM/openai/v1", api_key: sim-key}
deployments:
  gpt-4o-mini: {provider: sim, price: {input: 0.15, output: 0.6}}
  gpt-4o: {provider: sim, price: {input: 2.5, output: 10}}
store: {driver: sqlite, path: STORE}
drift:
DRIFT`

// The drift section follows a configuration change, through the admin
// API and a reload of the file (SIGHUP), without a restart: the sets,
// their schedules and deployments, thresholds and actions change in
// place — a change to action demote demotes the deployment whose latest
// run was flagged, a change back lifts it — today's spend and the sets'
// last runs carry over, a set file that does not load is refused with
// nothing changed, a change elsewhere keeps the scheduler, and a
// configuration without the section stops it.
func TestDriftFollowsAConfigChange(t *testing.T) {
	simAddr, simSrv, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	if err := demo.TeachGolden(simSrv, drift.Starter()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	golden := "name: mine\nprompts:\n  - {id: capital, category: factual, prompt: What is the capital of France?, expect: {contains: Paris}, reference: The capital of France is Paris.}\n"
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(golden), 0o600); err != nil {
		t.Fatal(err)
	}
	text := func(section string) string {
		s := strings.NewReplacer("SIM", simAddr, "STORE", filepath.Join(dir, "switchyard.db"), "DRIFT", section).Replace(driftConfig)
		if section == "" {
			s = strings.TrimSuffix(s, "drift:\n")
		}
		return s
	}
	const first = "  daily_cap_usd: 5\n  baseline_runs: 1\n  sets: [{name: starter, deployments: [gpt-4o-mini], interval: 6h}]\n"
	r, _ := driftRouter(t, dir, text(first))
	ts := httptest.NewServer(r)
	defer ts.Close()
	ctx := context.Background()
	put := func(section string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, ts.URL+"/admin/config", strings.NewReader(text(section)))
		req.Header.Set("Authorization", "Bearer adm-drift-key")
		req.Header.Set("Content-Type", "application/yaml")
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	schedules := func(s *drift.Scheduler) string {
		var out []string
		for _, sc := range s.Schedules {
			out = append(out, fmt.Sprintf("%s%v@%s", sc.Set.Name, sc.Deployments, sc.Interval))
		}
		return strings.Join(out, " ")
	}

	s1 := r.DriftScheduler()
	if got := schedules(s1); got != "starter[gpt-4o-mini]@6h0m0s" || s1.Live != nil {
		t.Fatalf("at start: %s, live %v", got, s1.Live)
	}
	if err := s1.RunOnce(ctx, 0); err != nil { // the baseline
		t.Fatal(err)
	}
	if err := simSrv.Behavior.SetDrift(sim.Drift{Model: "gpt-4o-mini", Verbosity: 1.4, RefusalRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	if err := s1.RunOnce(ctx, 0); err != nil { // flagged, but the action is alert
		t.Fatal(err)
	}
	if r.Demoter().Routing() != nil {
		t.Fatalf("demoted with action alert: %+v", r.Demoter().List())
	}
	spent, ran := s1.Runner.Budget.Spent(), s1.LastRuns()["starter"]
	if spent <= 0 || ran.IsZero() {
		t.Fatalf("spent %v, last run %v", spent, ran)
	}

	// Through the admin API: new schedules, a second set, thresholds,
	// actions, the live monitor.
	second := "  daily_cap_usd: 5\n  baseline_runs: 1\n  action: demote\n  alpha: 0.01\n  sets:\n" +
		"    - {name: starter, deployments: [gpt-4o-mini, gpt-4o], interval: 2h}\n    - {name: mine, file: mine.yaml, interval: 1h}\n" +
		"  live: {interval: 15m, action: demote, probe: 0.2}\n"
	if status, body := put(second); status != http.StatusOK {
		t.Fatalf("PUT /admin/config: %d %s", status, body)
	}
	s2 := r.DriftScheduler()
	if got := schedules(s2); s2 == s1 || got != "starter[gpt-4o-mini gpt-4o]@2h0m0s mine[gpt-4o gpt-4o-mini]@1h0m0s" {
		t.Errorf("after the change: %s", got)
	}
	if s2.Live == nil || s2.LiveInterval != 15*time.Minute || s2.Monitor.Options.Alpha != 0.01 || s2.Live.Options.Options.Alpha != 0.01 {
		t.Errorf("live %v every %v, alpha %v", s2.Live, s2.LiveInterval, s2.Monitor.Options.Alpha)
	}
	if _, probe := r.Demoter().RouteRouting(); probe != 0.2 {
		t.Errorf("probe share %v", probe)
	}
	if s2.Runner.Budget.Spent() != spent || !s2.Ran["starter"].Equal(ran) || s2.Runner.Budget.Cap() != 5 {
		t.Errorf("carried spend %v (want %v), last run %v (want %v)", s2.Runner.Budget.Spent(), spent, s2.Ran["starter"], ran)
	}
	if r.Demoter().Routing()["gpt-4o-mini"] == nil {
		t.Errorf("action demote did not demote the deployment whose latest run was flagged: %+v", r.Demoter().List())
	}

	// A set file that does not load is refused; nothing changes.
	if status, body := put(strings.Replace(second, "mine.yaml", "missing.yaml", 1)); status != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "drift.sets[1].file") {
		t.Errorf("a missing set file: %d %s", status, body)
	}
	if r.DriftScheduler() != s2 {
		t.Error("a refused change replaced the scheduler")
	}
	// A change elsewhere keeps the scheduler.
	if status, body := put(second + "routes:\n  fast: {deployments: [gpt-4o]}\n"); status != http.StatusOK || r.DriftScheduler() != s2 {
		t.Errorf("a route added: %d %s; scheduler kept %v", status, body, r.DriftScheduler() == s2)
	}

	// Through the file (SIGHUP): back to action alert lifts the demotion.
	if err := writeFile(filepath.Join(dir, "switchyard.yaml"), text(strings.Replace(second, "  action: demote\n", "", 1))); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Config.ReloadFile(ctx); err != nil {
		t.Fatal(err)
	}
	if r.DriftScheduler() == s2 || r.Demoter().Routing() != nil {
		t.Errorf("after the reload to action alert: demotions %+v", r.Demoter().List())
	}
	// Without the section nothing is monitored.
	if err := writeFile(filepath.Join(dir, "switchyard.yaml"), text("")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Config.ReloadFile(ctx); err != nil {
		t.Fatal(err)
	}
	if s := r.DriftScheduler(); s != nil {
		t.Errorf("a scheduler without a drift section: %s", schedules(s))
	}
}
