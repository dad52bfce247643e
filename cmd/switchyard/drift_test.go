package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"switchyard/demo"
	"switchyard/drift"
	"switchyard/sim"
	"switchyard/store"
)

// runDriftJSON runs a drift command that prints JSON into v.
func runDriftJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("switchyard %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	if err := json.Unmarshal(out.Bytes(), v); err != nil {
		t.Fatalf("switchyard %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
}

// The demo command: the named deployment drifts from the second run and
// is flagged, with the tests that flagged it; the steady one is not.
func TestDriftRunDemo(t *testing.T) {
	var got driftOutcome
	runDriftJSON(t, &got, "drift", "run", "--demo", "--sim-drift", "gpt-4o-mini=verbosity:1.3,refusal:0.15",
		"--runs", "3", "--deployment", "gpt-4o-mini,claude-haiku-4-5", "--json")
	if len(got.Deployments) != 2 {
		t.Fatalf("deployments %+v", got.Deployments)
	}
	for _, d := range got.Deployments {
		if len(d.Runs) != 3 || d.Runs[0].Verdict != drift.VerdictBaseline || d.Set != "starter" {
			t.Errorf("%s runs %+v", d.Deployment, d.Runs)
		}
		switch d.Deployment {
		case "gpt-4o-mini":
			flagged := 0
			for _, x := range d.Tests {
				if x.Flagged {
					flagged++
				}
			}
			if !d.Flagged || d.FirstFlaggedRun != 2 || flagged == 0 {
				t.Errorf("gpt-4o-mini: flagged %v at run %d with %d flagged tests", d.Flagged, d.FirstFlaggedRun, flagged)
			}
		case "claude-haiku-4-5":
			if d.Flagged {
				t.Errorf("claude-haiku-4-5 flagged: %+v", d.Tests)
			}
		}
	}
	// Without a drift nothing is flagged; the text form has the table.
	var out, errb bytes.Buffer
	if code := run([]string{"drift", "run", "--demo", "--runs", "2", "--deployment", "gpt-4o"}, &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "VERDICT") || strings.Contains(out.String(), "changed in") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}

func TestDriftRunFlagMistakes(t *testing.T) {
	for _, args := range [][]string{
		{"drift"},
		{"drift", "wat"},
		{"drift", "run", "--runs", "2"},
		{"drift", "run", "--demo", "--set", "starter"},
		{"drift", "run", "--demo", "--no-alert"},
		{"drift", "run", "--demo", "--sim-drift", "nope=verbosity:2"},
		{"drift", "run", "--demo", "--sim-drift", "gpt-4o=volume:2"},
		{"drift", "run", "--set", "a", "--file", "b"},
		{"drift", "pin", "--store", "x.db", "--set", "s"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("switchyard %s: exit %d, want 2\n%s", strings.Join(args, " "), code, errb.String())
		}
	}
}

// drift run with a config: runs are stored and compared with the
// baseline; report lists them; pin pins a baseline.
func TestDriftRunConfigReportPin(t *testing.T) {
	simAddr, simSrv, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	if err := demo.TeachGolden(simSrv, drift.Starter()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "switchyard.yaml")
	cfgText := `providers:
  sim: {kind: openai, base_url: "http://` + simAddr + `/openai/v1", api_key: sim-key}
deployments:
  mini: {provider: sim, model: gpt-4o-mini, price: {input: 0.15, output: 0.6}}
  big: {provider: sim, model: gpt-4o, price: {input: 2.5, output: 10}}
store: {driver: sqlite, path: ` + filepath.Join(dir, "s.db") + `}
drift:
  daily_cap_usd: 5
  baseline_runs: 1
  sets: [{name: starter, interval: 6h}]
`
	if err := writeFile(cfgPath, cfgText); err != nil {
		t.Fatal(err)
	}
	var first, second driftOutcome
	runDriftJSON(t, &first, "drift", "run", "--config", cfgPath, "--json")
	if len(first.Deployments) != 2 || first.Deployments[0].Runs[0].Verdict != drift.VerdictBaseline {
		t.Fatalf("first run %+v", first)
	}
	if err := simSrv.Behavior.SetDrift(sim.Drift{Model: "gpt-4o-mini", Verbosity: 1.4, RefusalRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	runDriftJSON(t, &second, "drift", "run", "--config", cfgPath, "--json")
	for _, d := range second.Deployments {
		if want := d.Deployment == "mini"; d.Flagged != want {
			t.Errorf("%s flagged %v, want %v: %+v", d.Deployment, d.Flagged, want, d.Runs)
		}
	}
	var report struct{ Runs []*store.DriftRun }
	runDriftJSON(t, &report, "drift", "report", "--config", cfgPath, "--json")
	if len(report.Runs) != 4 || report.Runs[0].Tests == nil {
		t.Fatalf("report %+v", report.Runs)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"drift", "report", "--config", cfgPath, "--deployment", "mini"}, &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "flagged") || !strings.Contains(out.String(), "mini on starter") {
		t.Errorf("report: exit %d\n%s%s", code, out.String(), errb.String())
	}
	baseline := first.Deployments[0].Runs[0].ID
	out.Reset()
	if code := run([]string{"drift", "pin", "--config", cfgPath, "--set", "starter", "--deployment", first.Deployments[0].Deployment, baseline}, &out, &errb); code != 0 {
		t.Fatalf("pin: exit %d %s", code, errb.String())
	}
	runDriftJSON(t, &report, "drift", "report", "--config", cfgPath, "--json", "--deployment", first.Deployments[0].Deployment)
	pinned := 0
	for _, r := range report.Runs {
		if r.Pinned {
			pinned++
			if r.ID != baseline {
				t.Errorf("pinned %s, want %s", r.ID, baseline)
			}
		}
	}
	if pinned != 1 {
		t.Errorf("%d pinned runs", pinned)
	}
	var one store.DriftRun
	runDriftJSON(t, &one, "drift", "report", "--config", cfgPath, "--json", "--run", baseline)
	if one.ID != baseline || len(one.Results) != len(drift.Starter().Prompts) {
		t.Errorf("one run: %s with %d results", one.ID, len(one.Results))
	}
	out.Reset()
	if code := run([]string{"drift", "starter"}, &out, &errb); code != 0 {
		t.Fatal(code)
	}
	if _, err := drift.ParseSet(out.Bytes(), "starter"); err != nil {
		t.Errorf("drift starter does not parse: %v", err)
	}
}

// drift run raises the config's alerts for a flagged run — a log line on
// stderr and a POST to the webhook, with its headers — and none with
// --no-alert; neither shows the webhook's URL or header values.
func TestDriftRunAlerts(t *testing.T) {
	simAddr, simSrv, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	if err := demo.TeachGolden(simSrv, drift.Starter()); err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		alerts []drift.Alert
		auth   []string
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var al drift.Alert
		if err := json.NewDecoder(r.Body).Decode(&al); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		mu.Lock()
		alerts, auth = append(alerts, al), append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer hook.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "switchyard.yaml")
	cfgText := `providers:
  sim: {kind: openai, base_url: "http://` + simAddr + `/openai/v1", api_key: sim-key}
deployments:
  mini: {provider: sim, model: gpt-4o-mini, price: {input: 0.15, output: 0.6}}
  big: {provider: sim, model: gpt-4o, price: {input: 2.5, output: 10}}
store: {driver: sqlite, path: ` + filepath.Join(dir, "s.db") + `}
drift:
  daily_cap_usd: 5
  baseline_runs: 1
  webhook: {url: "` + hook.URL + `/hook?token=hook-secret-123", headers: {Authorization: "Bearer hook-secret-456"}}
  sets: [{name: starter, interval: 6h}]
`
	if err := writeFile(cfgPath, cfgText); err != nil {
		t.Fatal(err)
	}
	runText := func(args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(append([]string{"drift", "run", "--config", cfgPath, "--json"}, args...), &out, &errb); code != 0 {
			t.Fatalf("exit %d\n%s", code, errb.String())
		}
		return out.String(), errb.String()
	}
	posted := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(alerts)
	}
	if _, stderr := runText(); posted() != 0 || strings.Contains(stderr, "drift detected") {
		t.Fatalf("the baseline run alerted: %d posts\n%s", posted(), stderr)
	}
	if err := simSrv.Behavior.SetDrift(sim.Drift{Model: "gpt-4o-mini", Verbosity: 1.4, RefusalRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args  []string
		posts int
	}{{nil, 1}, {[]string{"--no-alert"}, 1}} {
		stdout, stderr := runText(tt.args...)
		var got driftOutcome
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		for _, d := range got.Deployments {
			if want := d.Deployment == "mini"; d.Flagged != want {
				t.Fatalf("%v: %s flagged %v, want %v", tt.args, d.Deployment, d.Flagged, want)
			}
		}
		if n := posted(); n != tt.posts {
			t.Errorf("%v: %d alerts posted, want %d", tt.args, n, tt.posts)
		}
		logged := strings.Contains(stderr, `msg="drift detected"`) && strings.Contains(stderr, "deployment=mini")
		if logged != (tt.posts > 0 && len(tt.args) == 0) {
			t.Errorf("%v: alert logged %v:\n%s", tt.args, logged, stderr)
		}
		if strings.Contains(stderr, "hook-secret") {
			t.Errorf("%v: stderr shows the webhook's secrets:\n%s", tt.args, stderr)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if al := alerts[0]; al.Source != drift.SourceGolden || al.Deployment != "mini" || al.Set != "starter" || al.RunID == "" ||
		len(al.Tests) == 0 || len(al.Demoted) != 0 || auth[0] != "Bearer hook-secret-456" {
		t.Errorf("alert %+v with Authorization %q", al, auth[0])
	}
}
