package openai

import (
	"net/url"
	"strconv"
	"testing"

	"switchyard/llm"
)

// FuzzListQueries reads any query string as GET /v1/responses/{id}?stream=
// true's resume (resumeQuery), GET /v1/files (fileListQuery) and GET
// /v1/batches (listLimit, after) read it: a 400 naming one of the
// parameters read, or values within bounds that say what the query says.
func FuzzListQueries(f *testing.F) {
	for _, s := range []string{
		"", "starting_after=0&include_obfuscation=false", "starting_after=-1", "starting_after=9223372036854775808",
		"starting_after=+5", "include_obfuscation=TRUE", "limit=0", "limit=10000&order=asc&purpose=batch&after=file-1",
		"limit=10001", "limit=%20", "order=ASC", "limit=100&after=batch_1", "limit=1e2", "order=asc&order=desc", "%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		qv, _ := url.ParseQuery(raw) // as r.URL.Query() does: what parses
		badParam := func(err error, params ...string) {
			t.Helper()
			e := llm.AsError(err)
			if e == nil || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("%q: error %v, want a 400", raw, err)
			}
			for _, p := range params {
				if e.Param == p {
					return
				}
			}
			t.Fatalf("%q: error on %q, want one of %q", raw, e.Param, params)
		}

		after, rerr := resumeQuery(qv)
		if rerr != nil {
			badParam(rerr, "starting_after", "include_obfuscation")
		} else if s := qv.Get("starting_after"); s == "" && after != -1 ||
			s != "" && (after < 0 || !readsAs(s, after)) {
			t.Fatalf("%q: starting_after %d", raw, after)
		}

		q, err := fileListQuery(qv)
		if err != nil {
			badParam(err, "limit", "order")
		} else if q.Limit < 1 || q.Limit > 10000 || q.After != qv.Get("after") || q.Purpose != qv.Get("purpose") ||
			q.Desc != (qv.Get("order") != "asc") || qv.Get("limit") == "" && q.Limit != 10000 {
			t.Fatalf("%q: file query %+v", raw, q)
		}

		n, err := listLimit(qv.Get("limit"), 20, 100)
		if err != nil {
			badParam(err, "limit")
		} else if n < 1 || n > 100 || qv.Get("limit") == "" && n != 20 {
			t.Fatalf("%q: batch limit %d", raw, n)
		}
	})
}

// readsAs reports whether the decimal s (leading zeros and a sign
// allowed, as ParseInt reads them) is the number n.
func readsAs(s string, n int64) bool {
	m, err := strconv.ParseInt(s, 10, 64)
	return err == nil && m == n
}
