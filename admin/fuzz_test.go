package admin

import (
	"errors"
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// FuzzParseAuditQuery: any query string parses to a filter the store
// accepts, or to a 400 naming a parameter; never a panic.
func FuzzParseAuditQuery(f *testing.F) {
	for _, s := range []string{"", "action=config.*&actor=ops&since=1h&limit=5", "action=con*fig", "cursor=x", "since=2026-03-01&until=2026-02-01", "set=golden&deployment=d1&verdict=flagged&since=7d&limit=500", "verdict=nope", "name=monthly&tenant=acme",
		"tenant=acme&tenant=globex", "limit=-1", "limit=99999", "verb=x", "since=7d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseAuditQuery(v, fixedNow)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param == "" && !v.Has("") {
				t.Fatalf("error %v is not a 400 naming its parameter", err)
			}
			return
		}
		if err := q.Filter.Check(); err != nil {
			t.Fatalf("a parsed query the store refuses: %+v: %v", q.Filter, err)
		}
	})
}

// FuzzParseBatchQuery: any query string parses to a page and a filter of
// known statuses, each once, one of the two APIs' id prefixes (Message
// Batches' and some statuses when a processing_status is named) and an
// until after since, or to a 400 naming a parameter; never a panic.
func FuzzParseBatchQuery(f *testing.F) {
	for _, s := range []string{"", "status=completed,failed&api=openai&limit=5", "status=done", "status=,,completed,%20completed", "api=google",
		"api=message_batches&since=7d&until=1h", "since=2026-03-01&until=2026-02-01", "cursor=msgbatch_1", "cursor=x", "status=completed&status=failed",
		"processing_status=in_progress,ended", "processing_status=canceling&status=cancelling,failed", "processing_status=ended&status=in_progress",
		"processing_status=ended&api=openai", "processing_status=,%20,", "processing_status=cancelling", "processing_status=ended&api=batches&status=done"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseBatchQuery(v, fixedNow)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param == "" && !v.Has("") {
				t.Fatalf("error %v is not a 400 naming its parameter", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, s := range q.Filter.Statuses {
			if !slices.Contains(batchStatuses, s) || seen[s] {
				t.Fatalf("status %q parsed from %q", s, raw)
			}
			seen[s] = true
		}
		named := slices.ContainsFunc(strings.Split(v.Get("processing_status"), ","), func(s string) bool { return strings.TrimSpace(s) != "" })
		if named && (q.Filter.IDPrefix != "msgbatch_" || len(q.Filter.Statuses) == 0) {
			t.Fatalf("processing_status in %q lists %+v, not Message Batches of some statuses", raw, q.Filter)
		}
		if p := q.Filter.IDPrefix; p != "" && p != "batch_" && p != "msgbatch_" ||
			!q.Filter.Since.IsZero() && !q.Filter.Until.IsZero() && !q.Filter.Until.After(q.Filter.Since) || q.Limit < 1 || q.Limit > maxBatchPage {
			t.Fatalf("a parsed query out of bounds: %+v from %q", q, raw)
		}
	})
}

// FuzzParseListQueries: any query string parses, for each of GET
// /admin/requests, /admin/requests/{id}, /admin/stats, /admin/report,
// /admin/scores and /admin/feedback, to a query whose time range is in
// order (and that the store accepts, where it checks one), or to a 400
// naming a parameter; never a panic.
func FuzzParseListQueries(f *testing.F) {
	for _, s := range []string{"", "since=1h&until=5m&tenant=acme&route=auto&status=error&stream=true&limit=5&cursor=x",
		"since=2026-03-01&until=2026-02-01", "by=route,deployment&interval=15m", "by=model", "interval=0s", "interval=99999d",
		"min_outcomes=0&large_prompt_tokens=3&reference=auto=d1,d2", "reference==", "lambda=-0", "lambda=NaN", "lambda=1e309",
		"kind=retry&request_id=req_1", "kind=nope", "tenant=", "tenant=a&tenant=b", "limit=0", "stream=maybe", "x=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		checkQueryError := func(what string, err error) bool {
			t.Helper()
			if err == nil {
				return false
			}
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param == "" && !v.Has("") {
				t.Fatalf("%s: error %v is not a 400 naming its parameter", what, err)
			}
			return true
		}
		inOrder := func(what string, since, until time.Time) {
			t.Helper()
			if !since.IsZero() && !until.IsZero() && until.Before(since) {
				t.Fatalf("%s: until %v before since %v", what, until, since)
			}
		}
		if q, err := ParseRequestQuery(v, fixedNow); !checkQueryError("requests", err) {
			inOrder("requests", q.Filter.Since, q.Filter.Until)
		}
		_, err = ParseGetQuery(v)
		checkQueryError("request", err)
		if q, err := ParseStatsQuery(v, fixedNow); !checkQueryError("stats", err) {
			inOrder("stats", q.Query.Since, q.Query.Until)
			if err := q.Query.Check(); err != nil {
				t.Fatalf("stats: a parsed query the store refuses: %+v: %v", q.Query, err)
			}
		}
		if q, err := ParseReportQuery(v, fixedNow); !checkQueryError("report", err) {
			inOrder("report", q.Query.Since, q.Query.Until)
			if q.Query.MinOutcomes < 0 || q.Query.LargePrompt < 0 {
				t.Fatalf("report: %+v", q.Query)
			}
		}
		if q, err := ParseScoresQuery(v, fixedNow); !checkQueryError("scores", err) {
			inOrder("scores", q.Query.Since, q.Query.Until)
			if !(q.Query.Lambda >= 0) || math.IsInf(q.Query.Lambda, 0) {
				t.Fatalf("scores: lambda %v", q.Query.Lambda)
			}
		}
		if q, err := ParseFeedbackQuery(v, fixedNow); !checkQueryError("feedback", err) {
			inOrder("feedback", q.Filter.Since, q.Filter.Until)
			if err := q.Filter.Check(); err != nil {
				t.Fatalf("feedback: a parsed query the store refuses: %+v: %v", q.Filter, err)
			}
		}
		if q, err := parseDriftQuery(v, fixedNow); !checkQueryError("drift runs", err) {
			inOrder("drift runs", q.Since, q.Until)
			if err := q.Check(); err != nil || q.Limit < 0 || q.Limit > store.MaxLimit {
				t.Fatalf("drift runs: a parsed query the store refuses: %+v: %v", q, err)
			}
		}
		if q, err := parseBudgetsQuery(v); !checkQueryError("budgets", err) && (q.Tenant != nil && *q.Tenant == "") {
			t.Fatalf("budgets: an empty tenant from %q", raw)
		}
	})
}
