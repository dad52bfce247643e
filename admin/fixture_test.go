package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// backends returns a function opening a new, empty store of each back
// end, closed when the test ends.
func backends() map[string]func(t *testing.T) store.Store {
	return map[string]func(t *testing.T) store.Store{
		"sqlite": func(t *testing.T) store.Store {
			db, err := sqlite.Open(context.Background(), t.TempDir()+"/requests.db")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		"postgres": func(t *testing.T) store.Store {
			db, err := postgres.Open(context.Background(), pgtest.FreshSchema(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
	}
}

// forEachBackend runs fn against a new store of each back end.
func forEachBackend(t *testing.T, fn func(t *testing.T, s store.Store)) {
	for _, name := range []string{"sqlite", "postgres"} {
		open := backends()[name]
		t.Run(name, func(t *testing.T) { fn(t, open(t)) })
	}
}

// The two tenants of the fixture.
const (
	acme   = "acme"
	globex = "globex"
)

// fixtureRows returns n rows alternating between the two tenants, with
// every filtered field varying independently of the tenant, one minute
// apart from storetest.Base.
func fixtureRows(n int) []*store.Request {
	rows := make([]*store.Request, n)
	for i := range rows {
		r := storetest.Sample(i)
		r.ID = fmt.Sprintf("req_%04d", i)
		r.Time = storetest.Base.Add(time.Duration(i) * time.Minute)
		r.Tenant = []string{acme, globex}[i%2]
		r.Route = []string{"auto", "auto-cheap", "auto-best"}[i%3]
		r.Category = []llm.Category{llm.CategoryFactual, llm.CategoryCode, llm.CategoryCreative, llm.CategoryReasoning}[(i/2)%4]
		r.Deployment = []string{"gpt-4o-mini", "claude-haiku-4-5", "o3"}[(i/3)%3]
		r.Stream = (i/2)%2 == 0
		r.Status, r.ErrorKind = 200, ""
		if i%5 == 0 {
			r.Status, r.ErrorKind = 502, llm.KindUpstream
		}
		r.Fallback = i%4 == 1
		r.Latency = time.Duration(100+i) * time.Millisecond
		rows[i] = r
	}
	return rows
}

func writeRows(t *testing.T, s store.Store, rows []*store.Request) {
	t.Helper()
	if err := s.Write(context.Background(), rows); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// fixedNow is the handler's clock in tests: an hour after the last
// fixture row.
var fixedNow = storetest.Base.Add(24 * time.Hour)

// newMux returns the admin routes over s (nil: no request log), as p
// would reach them through the server's guard (nil: no principal).
func newMux(s store.Store, p *Principal) http.Handler {
	mux := http.NewServeMux()
	(&Handler{Store: s, Now: func() time.Time { return fixedNow }}).Mount(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p != nil {
			r = r.WithContext(WithPrincipal(r.Context(), *p))
		}
		mux.ServeHTTP(w, r)
	})
}

// do sends GET target to h and returns the recorder.
func do(h http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	return rec
}

// decode decodes a 200 answer into v.
func decode(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("decode: %v: %s", err, rec.Body)
	}
}

// apiError is OpenAI's error shape.
type apiError struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

// wantError checks that rec is an error with status, code and param (""
// for null).
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code, param string) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Message == "" {
		t.Fatalf("not an OpenAI error (%v): %d %s", err, rec.Code, rec.Body)
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	if rec.Code != status || str(e.Error.Code) != code || str(e.Error.Param) != param {
		t.Fatalf("got %d code %q param %q, want %d %q %q: %s", rec.Code, str(e.Error.Code), str(e.Error.Param), status, code, param, rec.Body)
	}
	return e
}

// listAll follows the cursors of GET /admin/requests?query from the
// first page to the last and returns every row's id, in order.
func listAll(t *testing.T, h http.Handler, query string) []string {
	t.Helper()
	var ids []string
	next := ""
	for range 1000 {
		target := "/admin/requests?limit=7"
		if query != "" {
			target += "&" + query
		}
		if next != "" {
			target += "&cursor=" + next
		}
		var page RequestList
		decode(t, do(h, target), &page)
		for _, r := range page.Data {
			ids = append(ids, r.ID)
		}
		if next = page.Next; next == "" {
			return ids
		}
	}
	t.Fatal("more than 1000 pages")
	return nil
}

// idsWhere returns the ids of rows that keep selects, newest first.
func idsWhere(rows []*store.Request, keep func(*store.Request) bool) []string {
	var ids []string
	for _, r := range rows {
		if keep(r) {
			ids = append(ids, r.ID)
		}
	}
	slices.Reverse(ids)
	return ids
}
