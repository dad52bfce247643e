package admin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/storetest"
)

// driftFixture writes n runs of set starter on two deployments, one
// minute apart (run_00 the oldest), each with three results; every third
// run is flagged with one flagged test of two.
func driftFixture(t *testing.T, s store.Store, n int) []*store.DriftRun {
	t.Helper()
	var runs []*store.DriftRun
	for i := range n {
		r := &store.DriftRun{ID: fmt.Sprintf("run_%02d", i), Set: "starter", Deployment: []string{"gpt-4o-mini", "claude"}[i%2],
			Started: storetest.Base.Add(time.Duration(i) * time.Minute), Prompts: 3, Passed: 2, Refused: 1, Errors: 1, CostUSD: 0.0125, Verdict: "clean"}
		r.Finished = r.Started.Add(30 * time.Second)
		if i%3 == 2 {
			r.Verdict = "flagged"
			r.Tests = []store.DriftTest{
				{Metric: "refusal_rate", Scope: "run", Baseline: 0, Current: 0.25, BaselineN: 97, CurrentN: 97, Effect: 0.25,
					Test: "fisher_greater", P: 6.2e-8, Q: 1.8e-6, Flagged: true},
				{Metric: "pass_rate", Category: llm.CategoryCode, Scope: "window", Baseline: 0.9, Current: 0.88, BaselineN: 50,
					CurrentN: 40, Effect: -0.02, Test: "fisher_less", P: 0.4, Q: 0.6},
			}
		}
		r.Results = []store.DriftResult{
			{PromptID: "gsm8k-1", Category: llm.CategoryReasoning, Expect: "number", Pass: true, AnswerChars: 120, Latency: 1500 * time.Millisecond, CostUSD: 0.005},
			{PromptID: "harm-1", Category: llm.CategoryChat, Expect: "refuses", Pass: true, Refusal: true, AnswerChars: 40, Latency: 250 * time.Microsecond, CostUSD: 0.0075},
			{PromptID: `x<img src=x onerror=alert(1)>`, Category: llm.CategoryCode, Expect: "regex", ErrorKind: llm.KindUpstream},
		}
		if err := s.WriteDriftRun(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	return runs
}

// listDrift follows the cursors of GET /admin/drift/runs?query and
// returns every run's id, in order.
func listDrift(t *testing.T, p Principal, s store.Store, query string) []string {
	t.Helper()
	var ids []string
	next := ""
	for range 100 {
		target := "/admin/drift/runs?" + query
		if next != "" {
			target += "&cursor=" + next
		}
		var page DriftRunList
		decode(t, do(newMux(s, &p), target), &page)
		for _, r := range page.Data {
			if r.Results != nil {
				t.Errorf("the listing holds %s's results", r.ID)
			}
			ids = append(ids, r.ID)
		}
		if next = page.Next; next == "" {
			return ids
		}
	}
	t.Fatal("more than 100 pages")
	return nil
}

// GET /admin/drift/runs lists the runs newest first, a page at a time,
// filtered by set, deployment, time and verdict; every admin key reads
// them, scoped or not (they hold no tenant's data).
func TestDriftRunsList(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		driftFixture(t, s, 9)
		ids := func(keep func(i int) bool) []string {
			var out []string
			for i := 8; i >= 0; i-- {
				if keep(i) {
					out = append(out, fmt.Sprintf("run_%02d", i))
				}
			}
			return out
		}
		since := storetest.Base.Add(3 * time.Minute).Format(time.RFC3339)
		for _, tt := range []struct {
			query string
			want  []string
		}{
			{"limit=2", ids(func(int) bool { return true })},
			{"", ids(func(int) bool { return true })},
			{"limit=1&deployment=claude", ids(func(i int) bool { return i%2 == 1 })},
			{"limit=3&verdict=flagged", ids(func(i int) bool { return i%3 == 2 })},
			{"limit=4&since=" + since, ids(func(i int) bool { return i >= 3 })},
			{"set=starter&until=" + since, ids(func(i int) bool { return i < 3 })},
			{"set=other", nil},
		} {
			for _, p := range []Principal{operator, acmeOps} {
				if got := listDrift(t, p, s, tt.query); !slices.Equal(got, tt.want) {
					t.Errorf("%s %q: %v, want %v", p.Name, tt.query, got, tt.want)
				}
			}
		}
		var page DriftRunList
		decode(t, do(newMux(s, &operator), "/admin/drift/runs?verdict=flagged&limit=1"), &page)
		r := page.Data[0]
		if r.ID != "run_08" || r.Set != "starter" || r.Deployment != "gpt-4o-mini" || r.Prompts != 3 || r.PassRate != 1 ||
			r.CostUSD != 0.0125 || r.Flagged != 1 || len(r.Tests) != 2 || !strings.HasPrefix(r.Tests[0].Description, "refusal_rate 0.00 → 0.25") {
			t.Errorf("run_08: %+v", r)
		}
		for q, param := range map[string]string{"verdict=nope": "verdict", "cursor=nope": "cursor", "limit=0": "limit",
			"since=yesterday": "since", "tenant=acme": "tenant"} {
			wantError(t, do(newMux(s, &operator), "/admin/drift/runs?"+q), 400, "", param)
		}
	})
}

// GET /admin/drift/runs/{id} is one run in full: every test with its p
// and q values and what it means, every prompt's result (latency in ms);
// an unknown id is a 404 in OpenAI's shape.
func TestDriftRunGet(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		driftFixture(t, s, 3)
		var r DriftRunView
		decode(t, do(newMux(s, &acmeOps), "/admin/drift/runs/run_02"), &r)
		if r.ID != "run_02" || r.Verdict != "flagged" || r.Flagged != 1 || len(r.Tests) != 2 || len(r.Results) != 3 {
			t.Fatalf("run_02: %+v", r)
		}
		if ts := r.Tests[0]; !ts.Flagged || ts.P != 6.2e-8 || ts.Q != 1.8e-6 || ts.Test != "fisher_greater" ||
			ts.Description != "refusal_rate 0.00 → 0.25 (n=97, 97) (run, fisher_greater p=6.2e-08 q=1.8e-06)" {
			t.Errorf("the flagged test: %+v", ts)
		}
		if ts := r.Tests[1]; ts.Flagged || ts.Category != "code" || ts.Scope != "window" {
			t.Errorf("the other test: %+v", ts)
		}
		res := r.Results
		if res[0].PromptID != "gsm8k-1" || res[0].LatencyMs != 1500 || !res[0].Pass || res[1].LatencyMs != 0.25 || !res[1].Refusal ||
			res[2].ErrorKind != "upstream" || res[2].Pass {
			t.Errorf("results: %+v", res)
		}
		wantError(t, do(newMux(s, &operator), "/admin/drift/runs/run_99"), 404, codeDriftRunNotFound, "")
		wantError(t, do(newMux(s, &operator), "/admin/drift/runs/run_02?x=1"), 400, "", "x")
	})
}

// Without a store there are no drift runs to read: 404, code
// drift_log_off, as the request log answers; without a principal, 403.
func TestDriftRunsOff(t *testing.T) {
	for _, path := range []string{"/admin/drift/runs", "/admin/drift/runs/run_1"} {
		e := wantError(t, do(newMux(nil, &operator), path), 404, codeDriftLogOff, "")
		if !strings.Contains(e.Error.Message, "store.driver") {
			t.Errorf("%s: %s", path, e.Error.Message)
		}
		wantError(t, do(newMux(nil, nil), path), 403, codeNoPrincipal, "")
	}
}
