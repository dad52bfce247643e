package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// DriftRunColumns are the drift_runs table's columns in the order of
// DriftRunValues and ScanDriftRun.
var DriftRunColumns = []string{"id", "set_name", "deployment", "started_ns", "finished_ns", "prompts", "passed",
	"refused", "errors", "cost_usd", "verdict", "pinned", "tests"}

// DriftResultColumns are the drift_results table's columns in the order
// of DriftResultValues and ScanDriftResult.
var DriftResultColumns = []string{"run_id", "seq", "prompt_id", "category", "expect", "pass", "refusal", "error_kind",
	"answer_chars", "latency_ns", "cost_usd"}

// DriftResultsPerInsert keeps one INSERT of results under both back
// ends' limits on bind parameters.
const DriftResultsPerInsert = 500

// DriftRunValues returns r's column values, its tests as a JSON string.
func DriftRunValues(r *store.DriftRun) ([]any, error) {
	if r.ID == "" {
		return nil, fmt.Errorf("%w: a drift run without an id", store.ErrBadQuery)
	}
	tests := r.Tests
	if tests == nil {
		tests = []store.DriftTest{}
	}
	b, err := json.Marshal(tests)
	if err != nil {
		return nil, fmt.Errorf("store: encode drift run %s tests: %w", r.ID, err)
	}
	return []any{r.ID, r.Set, r.Deployment, r.Started.UnixNano(), r.Finished.UnixNano(), r.Prompts, r.Passed,
		r.Refused, r.Errors, r.CostUSD, r.Verdict, r.Pinned, string(b)}, nil
}

// DriftResultValues returns the column values of the seq-th result of
// run id.
func DriftResultValues(id string, seq int, r *store.DriftResult) []any {
	return []any{id, seq, r.PromptID, string(r.Category), r.Expect, r.Pass, r.Refusal, string(r.ErrorKind),
		r.AnswerChars, int64(r.Latency), r.CostUSD}
}

// InsertDriftRun is the INSERT of one run.
func InsertDriftRun(ph Placeholder) string { return insert("drift_runs", DriftRunColumns, 1, ph) }

// InsertDriftResults is the INSERT of n results.
func InsertDriftResults(n int, ph Placeholder) string {
	return insert("drift_results", DriftResultColumns, n, ph)
}

func insert(table string, columns []string, n int, ph Placeholder) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(columns, ", "))
	k := 1
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range columns {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ph(k))
			k++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// DriftRunExists is the query of whether run id is stored.
func DriftRunExists(ph Placeholder) string {
	return "SELECT count(*) FROM drift_runs WHERE id = " + ph(1)
}

// DriftRuns is the query of DriftRuns and its arguments, or ErrBadQuery.
func DriftRuns(f store.DriftFilter, ph Placeholder) (string, []any, error) {
	if err := f.Check(); err != nil {
		return "", nil, err
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+ph(len(args)))
	}
	if f.ID != "" {
		add("id = ", f.ID)
	}
	if f.Set != "" {
		add("set_name = ", f.Set)
	}
	if f.Deployment != "" {
		add("deployment = ", f.Deployment)
	}
	if !f.Since.IsZero() {
		add("started_ns >= ", f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		add("started_ns < ", f.Until.UnixNano())
	}
	if f.Verdict != "" {
		add("verdict = ", f.Verdict)
	}
	if f.Pinned {
		add("pinned = ", true)
	}
	limit := f.Limit
	switch {
	case limit == 0:
		limit = store.DefaultLimit
	case limit > store.MaxLimit:
		limit = store.MaxLimit
	}
	order, after := "DESC", "<"
	if f.Oldest {
		order, after = "ASC", ">"
	}
	if f.Cursor != "" {
		c, _ := store.DecodeCursor(f.Cursor) // Check decoded it
		ns := c.Time.UnixNano()
		args = append(args, ns, ns, c.ID)
		n := len(args)
		where = append(where, fmt.Sprintf("(started_ns %s %s OR (started_ns = %s AND id %s %s))", after, ph(n-2), ph(n-1), after, ph(n)))
	}
	q := "SELECT " + strings.Join(DriftRunColumns, ", ") + " FROM drift_runs"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY started_ns %s, id %s LIMIT %d", order, order, limit)
	return q, args, nil
}

// ScanDriftRun reads one row of DriftRuns.
func ScanDriftRun(scan func(dest ...any) error) (*store.DriftRun, error) {
	var (
		r                 store.DriftRun
		started, finished int64
		tests             string
	)
	err := scan(&r.ID, &r.Set, &r.Deployment, &started, &finished, &r.Prompts, &r.Passed,
		&r.Refused, &r.Errors, &r.CostUSD, &r.Verdict, &r.Pinned, &tests)
	if err != nil {
		return nil, fmt.Errorf("store: scan drift run: %w", err)
	}
	r.Started, r.Finished = time.Unix(0, started).UTC(), time.Unix(0, finished).UTC()
	if err := json.Unmarshal([]byte(tests), &r.Tests); err != nil {
		return nil, fmt.Errorf("store: decode drift run %s tests: %w", r.ID, err)
	}
	if len(r.Tests) == 0 {
		r.Tests = nil
	}
	return &r, nil
}

// DriftResults is the query of a run's results, in order.
func DriftResults(ph Placeholder) string {
	return "SELECT " + strings.Join(DriftResultColumns[2:], ", ") + " FROM drift_results WHERE run_id = " + ph(1) + " ORDER BY seq"
}

// ScanDriftResult reads one row of DriftResults.
func ScanDriftResult(scan func(dest ...any) error) (store.DriftResult, error) {
	var (
		r         store.DriftResult
		cat, kind string
		latency   int64
	)
	if err := scan(&r.PromptID, &cat, &r.Expect, &r.Pass, &r.Refusal, &kind, &r.AnswerChars, &latency, &r.CostUSD); err != nil {
		return r, fmt.Errorf("store: scan drift result: %w", err)
	}
	r.Category, r.ErrorKind, r.Latency = llm.Category(cat), llm.ErrorKind(kind), time.Duration(latency)
	return r, nil
}

// CountDriftRuns is the count of the runs among ids of set on
// deployment, with its arguments.
func CountDriftRuns(set, deployment string, ids []string, ph Placeholder) (string, []any) {
	args := []any{set, deployment}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = ph(len(args))
	}
	return "SELECT count(*) FROM drift_runs WHERE set_name = " + ph(1) + " AND deployment = " + ph(2) +
		" AND id IN (" + strings.Join(marks, ", ") + ")", args
}

// UnpinDriftRuns unpins the runs of set on deployment.
func UnpinDriftRuns(ph Placeholder) string {
	return "UPDATE drift_runs SET pinned = " + ph(1) + " WHERE set_name = " + ph(2) + " AND deployment = " + ph(3) + " AND pinned = " + ph(4)
}

// PinDriftRuns pins the runs ids, with its arguments.
func PinDriftRuns(ids []string, ph Placeholder) (string, []any) {
	args := []any{true}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = ph(len(args))
	}
	return "UPDATE drift_runs SET pinned = " + ph(1) + " WHERE id IN (" + strings.Join(marks, ", ") + ")", args
}

// DriftSpend is the sum of the runs' cost since a time.
func DriftSpend(ph Placeholder) string {
	return "SELECT COALESCE(SUM(cost_usd), 0) FROM drift_runs WHERE started_ns >= " + ph(1)
}

// SignalRows is the query of SignalRows and its arguments.
func SignalRows(q store.SignalQuery, ph Placeholder) (string, []any) {
	limit := q.Limit
	if limit <= 0 || limit > store.MaxSignalRows {
		limit = store.MaxSignalRows
	}
	args := []any{q.Since.UnixNano()}
	sql := "SELECT time_ns, route, category, deployment, failed, signal_flags, completion_tokens, reasoning_tokens " +
		"FROM requests WHERE endpoint = 'chat' AND deployment <> '' AND time_ns >= " + ph(1)
	if !q.Until.IsZero() {
		args = append(args, q.Until.UnixNano())
		sql += " AND time_ns < " + ph(2)
	}
	return sql + fmt.Sprintf(" ORDER BY time_ns DESC LIMIT %d", limit), args
}

// ScanSignalRow reads one row of SignalRows into r.
func ScanSignalRow(scan func(dest ...any) error, r *store.SignalRow) error {
	var (
		ns, flags           int64
		cat                 string
		completion, reasons int
	)
	if err := scan(&ns, &r.Route, &cat, &r.Deployment, &r.Failed, &flags, &completion, &reasons); err != nil {
		return fmt.Errorf("store: scan signal row: %w", err)
	}
	r.Time, r.Category, r.Flags = time.Unix(0, ns).UTC(), llm.Category(cat), store.SignalFlags(flags)
	r.AnswerTokens = max(completion-reasons, 0)
	return nil
}

// UniqueIDs returns ids without repeats, in order.
func UniqueIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
