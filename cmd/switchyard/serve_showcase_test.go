package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
)

// TestServeDemoShowcase: serve --demo has budgets on route auto and runs
// the starter golden set at start, so that the dashboard's Budgets and
// Drift views have something to show; the banner names them. The
// simulators know the golden answers: each deployment's baseline passes
// most prompts.
func TestServeDemoShowcase(t *testing.T) {
	banner, addr, stop := startServe(t, "--demo", "--sim-latency", "0", "--quiet", "--addr", "127.0.0.1:0", "--store", filepath.Join(t.TempDir(), "demo.db"))
	defer stop()
	if !strings.Contains(banner, "Budgets:     auto-daily ($100 daily hard of route auto)") || !strings.Contains(banner, "Drift:       golden set starter") {
		t.Errorf("the banner does not name the budgets and the golden set:\n%s", banner)
	}
	base := "http://" + addr
	var budgets admin.BudgetList
	if status, body := demoCall(t, "GET", base+"/admin/budgets", ""); status != 200 || json.Unmarshal([]byte(body), &budgets) != nil || len(budgets.Data) != 2 {
		t.Fatalf("GET /admin/budgets: %d %s", status, body)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var runs admin.DriftRunList
		status, body := demoCall(t, "GET", base+"/admin/drift/runs?set=starter", "")
		if status != 200 || json.Unmarshal([]byte(body), &runs) != nil {
			t.Fatalf("GET /admin/drift/runs: %d %s", status, body)
		}
		if len(runs.Data) == 3 {
			for _, r := range runs.Data {
				if r.Verdict != "baseline" || r.PassRate < 0.5 || r.Errors != 0 {
					t.Errorf("a first golden run: %+v", r)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the starter set's first runs never finished: %s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
