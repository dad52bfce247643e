package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"switchyard/demo"
	"switchyard/drift"
	"switchyard/store"
)

// seededFigures are the figures of a demo drift run that --seed fixes:
// everything but the ids, the start times and the measured latencies.
func seededFigures(out driftOutcome) []string {
	var figs []string
	for _, d := range out.Deployments {
		figs = append(figs, fmt.Sprintf("%s/%s flagged=%v first=%d categories=%v", d.Set, d.Deployment, d.Flagged, d.FirstFlaggedRun, d.Categories))
		for i, r := range d.Runs {
			figs = append(figs, fmt.Sprintf("  run %d %s prompts=%d passed=%d refused=%d errors=%d pass=%g chars=%g cost=%g",
				i+1, r.Verdict, r.Prompts, r.Passed, r.Refused, r.Errors, r.PassRate, r.MedianChars, r.CostUSD))
		}
		for _, x := range d.Tests {
			figs = append(figs, fmt.Sprintf("  test %s[%s] %s %s base=%g cur=%g n=%d,%d effect=%g p=%g q=%g flagged=%v",
				x.Metric, x.Category, x.Scope, x.Test, x.Baseline, x.Current, x.BaselineN, x.CurrentN, x.Effect, x.P, x.Q, x.Flagged))
		}
	}
	return figs
}

// The same --seed gives the same figures: the demo's sample, the
// simulators' draws (a model two deployments share included), the
// tests and verdicts. Only the measured latencies may differ.
func TestDriftRunDemoSeedReproduces(t *testing.T) {
	args := []string{"drift", "run", "--demo", "--seed", "7", "--runs", "3", "--prompts", "70",
		"--sim-drift", "gpt-4o-mini=verbosity:1.3,refusal:0.15",
		"--deployment", "gpt-4o-mini,azure-gpt-4o-mini,claude-haiku-4-5", "--json"}
	var first, second driftOutcome
	runDriftJSON(t, &first, args...)
	runDriftJSON(t, &second, args...)
	a, b := seededFigures(first), seededFigures(second)
	if len(a) != len(b) {
		t.Fatalf("runs differ in shape:\n%v\n%v", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("same seed, different figures:\n  %s\n  %s", a[i], b[i])
		}
	}
	for _, d := range first.Deployments {
		if d.Runs[0].Prompts != 70 {
			t.Errorf("%s asked %d prompts, want 70", d.Deployment, d.Runs[0].Prompts)
		}
	}
	// Another seed draws other answers.
	args[4] = "8"
	var other driftOutcome
	runDriftJSON(t, &other, args...)
	if fmt.Sprint(seededFigures(other)) == fmt.Sprint(a) {
		t.Error("seeds 7 and 8 gave the same figures")
	}
}

// promptsAsked returns the prompt ids of a stored run, in order.
func promptsAsked(t *testing.T, cfgPath, runID string) string {
	t.Helper()
	var one store.DriftRun
	runDriftJSON(t, &one, "drift", "report", "--config", cfgPath, "--json", "--run", runID)
	ids := make([]string, 0, len(one.Results))
	for _, r := range one.Results {
		ids = append(ids, r.PromptID)
	}
	slices.Sort(ids)
	return strings.Join(ids, ",")
}

// drift run --config takes --seed: the same seed asks the same sample of
// --prompts; without it the seed is drawn and printed, and passing the
// printed seed asks that run's sample again.
func TestDriftRunConfigSeed(t *testing.T) {
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
store: {driver: sqlite, path: ` + filepath.Join(dir, "s.db") + `}
drift: {daily_cap_usd: 5, baseline_runs: 1}
`
	if err := writeFile(cfgPath, cfgText); err != nil {
		t.Fatal(err)
	}
	ask := func(extra ...string) (seed uint64, prompts string) {
		var out driftOutcome
		runDriftJSON(t, &out, append([]string{"drift", "run", "--config", cfgPath, "--prompts", "12", "--json"}, extra...)...)
		if len(out.Deployments) != 1 || len(out.Deployments[0].Runs) != 1 {
			t.Fatalf("outcome %+v", out)
		}
		return out.Seed, promptsAsked(t, cfgPath, out.Deployments[0].Runs[0].ID)
	}
	seed5, a := ask("--seed", "5")
	_, b := ask("--seed", "5")
	_, c := ask("--seed", "6")
	if seed5 != 5 || a != b || a == c {
		t.Errorf("seed %d; --seed 5 asked %s then %s; --seed 6 asked %s", seed5, a, b, c)
	}
	drawn, d := ask()
	_, e := ask("--seed", fmt.Sprint(drawn))
	if drawn == 0 || d != e {
		t.Errorf("drawn seed %d asked %s; --seed %d asked %s", drawn, d, drawn, e)
	}
	// The text form says which seed it used.
	var out, errb bytes.Buffer
	if code := run([]string{"drift", "run", "--config", cfgPath, "--prompts", "3", "--seed", "42"}, &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "--seed 42") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}
