package admin

import (
	"errors"
	"net/url"
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
