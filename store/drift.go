package store

import (
	"context"
	"fmt"
	"time"

	"switchyard/llm"
)

// DriftLog keeps the runs of golden prompt sets (package drift) and
// reads the quality signals its live monitor watches. Runs are kept until
// deleted by hand: baselines outlive the request log's retention.
type DriftLog interface {
	// WriteDriftRun stores run and its Results in one transaction. It
	// returns ErrBadQuery for a run without an ID or one already stored.
	WriteDriftRun(ctx context.Context, run *DriftRun) error
	// DriftRuns lists the runs that match f (without their Results),
	// newest first unless f.Oldest. It returns ErrBadQuery for a
	// malformed f.
	DriftRuns(ctx context.Context, f DriftFilter) ([]*DriftRun, error)
	// DriftResults returns the results of run id in the order written, or
	// ErrNotFound for an unknown run.
	DriftResults(ctx context.Context, id string) ([]DriftResult, error)
	// PinDriftBaseline makes ids the pinned baseline of set on
	// deployment, unpinning the runs pinned before; no ids unpins them
	// all. It returns ErrNotFound when an id is not a run of that set and
	// deployment, and then changes nothing.
	PinDriftBaseline(ctx context.Context, set, deployment string, ids []string) error
	// DriftSpend returns the summed cost of the runs started at or after
	// since.
	DriftSpend(ctx context.Context, since time.Time) (float64, error)
	// SignalRows calls fn with the chat requests answered or failed on a
	// deployment with Since <= Time < Until, every tenant's, newest
	// first, at most q.Limit of them (MaxSignalRows when zero or above).
	// The row passed to fn is reused: copy it to keep it.
	SignalRows(ctx context.Context, q SignalQuery, fn func(*SignalRow) error) error
}

// DriftRun is one run of a golden set against one deployment.
type DriftRun struct {
	// ID is unique.
	ID         string    `json:"id"`
	Set        string    `json:"set"`
	Deployment string    `json:"deployment"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished"`
	// Prompts are the prompts asked; Passed met their expectation,
	// Refused were refusals, Errors failed upstream (no answer).
	Prompts int `json:"prompts"`
	Passed  int `json:"passed"`
	Refused int `json:"refused"`
	Errors  int `json:"errors"`
	// CostUSD is what the run's answers cost.
	CostUSD float64 `json:"cost_usd"`
	// Verdict is the comparison's outcome (drift.Verdict*).
	Verdict string `json:"verdict"`
	// Pinned marks a run of the deployment's pinned baseline.
	Pinned bool `json:"pinned,omitempty"`
	// Tests are the comparisons with the baseline; nil for a baseline run.
	Tests []DriftTest `json:"tests,omitempty"`
	// Results are the answers, one per prompt; DriftRuns leaves them nil.
	Results []DriftResult `json:"results,omitempty"`
}

// DriftTest is one statistical comparison of a run with its baseline.
type DriftTest struct {
	// Metric is what was compared (pass_rate, refusal_rate,
	// answer_length, latency); Category narrows it ("" for every
	// category); Scope is "run" (this run) or "window" (the recent runs
	// pooled).
	Metric   string       `json:"metric"`
	Category llm.Category `json:"category,omitempty"`
	Scope    string       `json:"scope"`
	// Baseline and Current are the rate or median compared, with their
	// sample sizes.
	Baseline  float64 `json:"baseline"`
	Current   float64 `json:"current"`
	BaselineN int     `json:"baseline_n"`
	CurrentN  int     `json:"current_n"`
	// Effect is the size of the change: for a rate, current less
	// baseline; for a length or latency, the ratio of medians less 1.
	Effect float64 `json:"effect"`
	// Test names the test; P is its p-value, Q the p-value adjusted for
	// the false discovery rate across the look's tests.
	Test string  `json:"test"`
	P    float64 `json:"p"`
	Q    float64 `json:"q"`
	// Flagged reports a significant change after every correction.
	Flagged bool `json:"flagged"`
}

// DriftResult is one golden prompt's answer in a run.
type DriftResult struct {
	PromptID string       `json:"prompt_id"`
	Category llm.Category `json:"category"`
	// Expect is the prompt's expectation kind (drift.Kind): the refusal
	// rate is measured over the prompts that must not be refused.
	Expect string `json:"expect"`
	// Pass reports that the answer met its expectation; Refusal that it
	// was a refusal.
	Pass    bool `json:"pass"`
	Refusal bool `json:"refusal,omitempty"`
	// ErrorKind is set when the deployment gave no answer.
	ErrorKind llm.ErrorKind `json:"error_kind,omitempty"`
	// AnswerChars is the answer's length in characters.
	AnswerChars int           `json:"answer_chars"`
	Latency     time.Duration `json:"latency"`
	CostUSD     float64       `json:"cost_usd"`
}

// DriftFilter selects runs for DriftRuns. Zero fields do not filter.
type DriftFilter struct {
	// ID keeps the run of that id.
	ID              string
	Set, Deployment string
	// Since <= Started < Until.
	Since, Until time.Time
	// Verdict keeps the runs with this verdict.
	Verdict string
	// Pinned keeps the runs of a pinned baseline.
	Pinned bool
	// Oldest lists oldest first.
	Oldest bool
	// Limit bounds the runs listed; zero means DefaultLimit, above
	// MaxLimit means MaxLimit.
	Limit int
	// Cursor, DriftCursor of the last run of a page, starts the listing
	// after that run in the same order (by start time, then id).
	Cursor string
}

// DriftCursor returns the cursor of the runs after r (DriftFilter.Cursor).
func DriftCursor(r *DriftRun) string { return Cursor{Time: r.Started, ID: r.ID}.Encode() }

// Check returns ErrBadQuery for a negative limit or Until before Since,
// and ErrBadCursor for a cursor DriftCursor did not make.
func (f *DriftFilter) Check() error {
	if f.Cursor != "" {
		if _, err := DecodeCursor(f.Cursor); err != nil {
			return err
		}
	}
	switch {
	case f.Limit < 0:
		return fmt.Errorf("%w: negative limit %d", ErrBadQuery, f.Limit)
	case !f.Until.IsZero() && f.Until.Before(f.Since):
		return fmt.Errorf("%w: until is before since", ErrBadQuery)
	}
	return nil
}

// MaxSignalRows bounds the rows one SignalRows call reads.
const MaxSignalRows = 200000

// SignalQuery selects the rows of SignalRows.
type SignalQuery struct {
	Since, Until time.Time
	Limit        int
}

// SignalRow is one chat request as the live drift monitor reads it.
type SignalRow struct {
	Time       time.Time
	Route      string
	Category   llm.Category
	Deployment string
	Failed     bool
	Flags      SignalFlags
	// AnswerTokens are the completion tokens less the reasoning ones:
	// the length of the answer the client read.
	AnswerTokens int
}
