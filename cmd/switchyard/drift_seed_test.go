package main

import (
	"fmt"
	"testing"
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
