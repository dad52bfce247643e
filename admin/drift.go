package admin

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"switchyard/drift"
	"switchyard/llm"
	"switchyard/store"
)

// This file serves the golden sets' run history, what `switchyard drift
// report` reads: GET /admin/drift/runs (newest first, a page at a time)
// and GET /admin/drift/runs/{id} (one run: every test and every
// prompt's result). Runs are the router's own prompts against its
// deployments: they hold no tenant's data, so every admin key reads them
// (scope shared), as it reads the demotions they cause in /admin/health.

// Error codes of the drift endpoints.
const (
	// codeDriftLogOff: no store keeps runs (store.driver: none), 404.
	codeDriftLogOff = "drift_log_off"
	// codeDriftRunNotFound: no run of that id, 404.
	codeDriftRunNotFound = "drift_run_not_found"
)

// DriftRunList is the answer of GET /admin/drift/runs.
type DriftRunList struct {
	// Data are the runs, newest first, without their results.
	Data []DriftRunView `json:"data"`
	// Next is the cursor of the next page; empty on the last one.
	Next string `json:"next"`
}

// DriftRunView is one golden run: store.DriftRun with its pass rate,
// its flagged tests counted and described, and (one run only) its
// results.
type DriftRunView struct {
	ID         string    `json:"id"`
	Set        string    `json:"set"`
	Deployment string    `json:"deployment"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished"`
	Prompts    int       `json:"prompts"`
	Passed     int       `json:"passed"`
	Refused    int       `json:"refused"`
	Errors     int       `json:"errors"`
	// PassRate is Passed over the prompts answered (0 when none was).
	PassRate float64 `json:"pass_rate"`
	CostUSD  float64 `json:"cost_usd"`
	Verdict  string  `json:"verdict"`
	Pinned   bool    `json:"pinned"`
	// Flagged counts the flagged tests.
	Flagged int `json:"flagged_tests"`
	// Tests are the comparisons with the baseline; empty for a baseline
	// (or capped, incomplete) run.
	Tests []DriftTestView `json:"tests"`
	// Results are the prompts' results; GET /admin/drift/runs/{id} only.
	Results []DriftResultView `json:"results,omitempty"`
}

// DriftTestView is one statistical test of a run (store.DriftTest) and
// what it says in words, as switchyard drift report prints it.
type DriftTestView struct {
	store.DriftTest
	Description string `json:"description"`
}

// DriftResultView is one golden prompt's result in a run.
type DriftResultView struct {
	PromptID    string  `json:"prompt_id"`
	Category    string  `json:"category"`
	Expect      string  `json:"expect"`
	Pass        bool    `json:"pass"`
	Refusal     bool    `json:"refusal"`
	ErrorKind   string  `json:"error_kind"`
	AnswerChars int     `json:"answer_chars"`
	LatencyMs   float64 `json:"latency_ms"`
	CostUSD     float64 `json:"cost_usd"`
}

var (
	driftParams = []string{"set", "deployment", "verdict", "since", "until", "limit", "cursor"}
	verdicts    = []string{drift.VerdictBaseline, drift.VerdictClean, drift.VerdictWatch, drift.VerdictFlagged,
		drift.VerdictIncomplete, drift.VerdictCapped}
)

// parseDriftQuery parses the parameters of GET /admin/drift/runs.
func parseDriftQuery(v url.Values, now time.Time) (store.DriftFilter, error) {
	var f store.DriftFilter
	p := params{v: v, now: now}
	p.only(driftParams)
	f.Set, f.Deployment = p.str("set"), p.str("deployment")
	if f.Verdict = p.str("verdict"); f.Verdict != "" && !slices.Contains(verdicts, f.Verdict) {
		p.fail("verdict", "%q is not a verdict (baseline, clean, watch, flagged, incomplete, capped)", llm.Clip(f.Verdict))
	}
	f.Since, f.Until = p.time("since"), p.time("until")
	p.order(f.Since, f.Until)
	f.Limit = p.limit("limit")
	f.Cursor = p.cursor("cursor")
	return f, p.err
}

func (h *Handler) listDriftRuns(w http.ResponseWriter, r *http.Request) {
	if !h.driftLog(w, r) {
		return
	}
	f, err := parseDriftQuery(r.URL.Query(), h.now())
	if err != nil {
		writeError(w, err)
		return
	}
	limit := f.Limit
	if limit == 0 {
		limit = store.DefaultLimit
	}
	f.Limit = limit + 1 // one more says whether there is a next page
	runs, err := h.Store.DriftRuns(r.Context(), f)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := DriftRunList{Data: make([]DriftRunView, 0, min(len(runs), limit))}
	if len(runs) > limit {
		runs = runs[:limit]
		out.Next = store.DriftCursor(runs[limit-1])
	}
	for _, run := range runs {
		out.Data = append(out.Data, driftRunView(run))
	}
	writeJSON(w, out)
}

func (h *Handler) getDriftRun(w http.ResponseWriter, r *http.Request) {
	if !h.driftLog(w, r) {
		return
	}
	p := params{v: r.URL.Query()}
	if p.only(nil); p.err != nil {
		writeError(w, p.err) // it takes no parameter
		return
	}
	id := r.PathValue("id")
	runs, err := h.Store.DriftRuns(r.Context(), store.DriftFilter{ID: id, Limit: 1})
	if err == nil && len(runs) == 0 {
		err = store.ErrNotFound
	}
	var results []store.DriftResult
	if err == nil {
		results, err = h.Store.DriftResults(r.Context(), id)
	}
	if errors.Is(err, store.ErrNotFound) {
		e := llm.Errorf(llm.KindNotFound, "No drift run %q in the store.", llm.Clip(id))
		e.Code = codeDriftRunNotFound
		writeError(w, e)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	v := driftRunView(runs[0])
	v.Results = make([]DriftResultView, len(results))
	for i, res := range results {
		v.Results[i] = DriftResultView{PromptID: res.PromptID, Category: string(res.Category), Expect: res.Expect, Pass: res.Pass,
			Refusal: res.Refusal, ErrorKind: string(res.ErrorKind), AnswerChars: res.AnswerChars, LatencyMs: ms(res.Latency), CostUSD: llm.RoundUSD(res.CostUSD)}
	}
	writeJSON(w, v)
}

// driftLog reports whether the drift endpoints can answer: a principal,
// and a store that keeps the runs; otherwise it answers itself.
func (h *Handler) driftLog(w http.ResponseWriter, r *http.Request) bool {
	if _, ok := principal(w, r); !ok {
		return false
	}
	if h.Store == nil {
		e := llm.Errorf(llm.KindNotFound, "No drift runs are kept: golden runs are stored in the store, and store.driver is none. Set store.driver to sqlite or postgres to keep them.")
		e.Code = codeDriftLogOff
		writeError(w, e)
		return false
	}
	return true
}

// driftRunView is the view of run (without results).
func driftRunView(run *store.DriftRun) DriftRunView {
	v := DriftRunView{ID: run.ID, Set: run.Set, Deployment: run.Deployment, Started: run.Started, Finished: run.Finished,
		Prompts: run.Prompts, Passed: run.Passed, Refused: run.Refused, Errors: run.Errors, CostUSD: llm.RoundUSD(run.CostUSD),
		Verdict: run.Verdict, Pinned: run.Pinned, Tests: make([]DriftTestView, len(run.Tests))}
	if answered := run.Prompts - run.Errors; answered > 0 {
		v.PassRate = float64(run.Passed) / float64(answered)
	}
	for i := range run.Tests {
		t := &run.Tests[i]
		v.Tests[i] = DriftTestView{DriftTest: *t, Description: drift.Describe(t)}
		if t.Flagged {
			v.Flagged++
		}
	}
	return v
}
