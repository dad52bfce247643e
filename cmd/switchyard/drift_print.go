package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"switchyard/cost"
	"switchyard/drift"
	"switchyard/llm"
	"switchyard/store"
)

// now is the clock of the drift commands.
var now = time.Now

// progressTo returns a progress bar drawn on w when w is a terminal, else
// nil. The bar is cleared when called with done < 0.
func progressTo(w io.Writer, _ bool) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	const width = 30
	last := -1
	return func(done, total int) {
		if done < 0 {
			fmt.Fprint(w, "\r\033[K")
			return
		}
		filled := width * done / max(total, 1)
		if filled == last && done != total {
			return
		}
		last = filled
		fmt.Fprintf(w, "\r  [%s%s] %d/%d prompts", strings.Repeat("#", filled), strings.Repeat("-", width-filled), done, total)
	}
}

// driftOutcome is the JSON of drift run: per deployment, whether a run
// was flagged, the evidence, and every run.
type driftOutcome struct {
	// Seed is the seed of the sample of prompts (--seed); the demo's
	// simulators' too.
	Seed        uint64              `json:"seed"`
	Deployments []deploymentOutcome `json:"deployments"`
}

type deploymentOutcome struct {
	Deployment string `json:"deployment"`
	Set        string `json:"set"`
	Flagged    bool   `json:"flagged"`
	// FirstFlaggedRun is the 1-based run first flagged; 0 for none.
	FirstFlaggedRun int `json:"first_flagged_run,omitempty"`
	// Categories are those the flagged tests name ("*" for every one).
	Categories []llm.Category `json:"categories,omitempty"`
	// Tests are the first flagged run's tests, else the last compared
	// run's.
	Tests []store.DriftTest `json:"tests"`
	Runs  []runSummary      `json:"runs"`
}

type runSummary struct {
	ID          string    `json:"id"`
	Started     time.Time `json:"started"`
	Verdict     string    `json:"verdict"`
	Prompts     int       `json:"prompts"`
	Passed      int       `json:"passed"`
	Refused     int       `json:"refused"`
	Errors      int       `json:"errors"`
	PassRate    float64   `json:"pass_rate"`
	MedianChars float64   `json:"median_answer_chars"`
	P50Latency  float64   `json:"p50_latency_ms"`
	CostUSD     float64   `json:"cost_usd"`
}

// outcomeOf groups runs (in order) by set and deployment.
func outcomeOf(runs []*store.DriftRun) driftOutcome {
	out := driftOutcome{Deployments: []deploymentOutcome{}}
	index := map[[2]string]int{}
	for _, r := range runs {
		k := [2]string{r.Set, r.Deployment}
		i, ok := index[k]
		if !ok {
			i = len(out.Deployments)
			index[k] = i
			out.Deployments = append(out.Deployments, deploymentOutcome{Deployment: r.Deployment, Set: r.Set, Tests: []store.DriftTest{}})
		}
		d := &out.Deployments[i]
		d.Runs = append(d.Runs, summarize(r))
		switch {
		case r.Verdict == drift.VerdictFlagged && !d.Flagged:
			d.Flagged, d.FirstFlaggedRun, d.Tests, d.Categories = true, len(d.Runs), r.Tests, drift.Flagged(r)
		case !d.Flagged && r.Tests != nil:
			d.Tests = r.Tests
		}
	}
	return out
}

func summarize(r *store.DriftRun) runSummary {
	s := runSummary{ID: r.ID, Started: r.Started, Verdict: r.Verdict, Prompts: r.Prompts, Passed: r.Passed,
		Refused: r.Refused, Errors: r.Errors, CostUSD: r.CostUSD}
	if answered := r.Prompts - r.Errors; answered > 0 {
		s.PassRate = float64(r.Passed) / float64(answered)
	}
	var chars, lat []float64
	for _, res := range r.Results {
		if res.ErrorKind == "" {
			chars = append(chars, float64(res.AnswerChars))
			lat = append(lat, float64(res.Latency)/1e6)
		}
	}
	s.MedianChars, s.P50Latency = medianOf(chars), medianOf(lat)
	return s
}

func medianOf(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// printDriftRuns prints the runs as JSON or as a summary table with the
// flagged tests; it returns the exit code.
func printDriftRuns(stdout, stderr io.Writer, runs []*store.DriftRun, seed uint64, asJSON bool) int {
	out := outcomeOf(runs)
	out.Seed = seed
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "switchyard: %v\n", err)
			return 1
		}
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SET\tDEPLOYMENT\tRUN\tPROMPTS\tPASS\tREFUSED\tERRORS\tMEDIAN CHARS\tP50 LATENCY\tCOST\tVERDICT")
	for _, d := range out.Deployments {
		for i, r := range d.Runs {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f%%\t%d\t%d\t%.0f\t%.0fms\t%s\t%s\n", d.Set, d.Deployment, i+1, r.Prompts,
				100*r.PassRate, r.Refused, r.Errors, r.MedianChars, r.P50Latency, cost.USD(r.CostUSD), r.Verdict)
		}
	}
	tw.Flush()
	for _, d := range out.Deployments {
		if !d.Flagged {
			continue
		}
		fmt.Fprintf(stdout, "\n%s changed in %s (run %d):\n", d.Deployment, d.Set, d.FirstFlaggedRun)
		for _, t := range d.Tests {
			if t.Flagged {
				fmt.Fprintf(stdout, "  %s\n", drift.Describe(&t))
			}
		}
	}
	return 0
}
