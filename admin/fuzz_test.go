package admin

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

// FuzzParseAuditQuery: any query string parses to a filter the store
// accepts, or to a 400 naming a parameter; never a panic.
func FuzzParseAuditQuery(f *testing.F) {
	for _, s := range []string{"", "action=config.*&actor=ops&since=1h&limit=5", "action=con*fig", "cursor=x", "since=2026-03-01&until=2026-02-01",
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
