package admin

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

func TestParseRequestQuery(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	yes, no := true, false
	acmeName := "acme"
	tests := []struct {
		query string
		want  RequestQuery
	}{
		{"", RequestQuery{}},
		{"since=2026-03-01T12:00:00Z&until=2026-03-01T13:00:00.5%2B01:00", RequestQuery{Filter: store.Filter{
			Since: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Until: time.Date(2026, 3, 1, 12, 0, 0, 5e8, time.UTC)}}},
		{"since=1772366400", RequestQuery{Filter: store.Filter{Since: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}}},
		{"since=90m&until=1h", RequestQuery{Filter: store.Filter{
			Since: time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC), Until: time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)}}},
		{"since=2026-03-01&until=2026-03-02", RequestQuery{Filter: store.Filter{
			Since: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}}},
		{"since=7d", RequestQuery{Filter: store.Filter{Since: time.Date(2026, 3, 3, 11, 0, 0, 0, time.UTC)}}},
		{"tenant=acme&route=auto&category=code&deployment=o3", RequestQuery{Tenant: &acmeName,
			Filter: store.Filter{Route: "auto", Category: "code", Deployment: "o3"}}},
		{"status=ok", RequestQuery{Filter: store.Filter{Status: store.StatusOK}}},
		{"status=error", RequestQuery{Filter: store.Filter{Status: store.StatusError}}},
		{"status=429", RequestQuery{Filter: store.Filter{Status: 429}}},
		{"stream=true", RequestQuery{Filter: store.Filter{Stream: &yes}}},
		{"stream=false", RequestQuery{Filter: store.Filter{Stream: &no}}},
		{"limit=20", RequestQuery{Filter: store.Filter{Limit: 20}}},
		{"limit=5000", RequestQuery{Filter: store.Filter{Limit: store.MaxLimit}}},
		{"route=&tenant=&status=", RequestQuery{}}, // empty means not given
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		got, err := ParseRequestQuery(v, now)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %+v, %v; want %+v", tt.query, got, err, tt.want)
		}
	}
	cursor := store.Cursor{Time: time.Unix(5, 0), ID: "req_1"}.Encode()
	got, err := ParseRequestQuery(url.Values{"cursor": {cursor}}, now)
	if err != nil || got.Filter.Cursor != cursor {
		t.Errorf("cursor: %+v, %v", got, err)
	}
}

// Every bad parameter is a 400 in OpenAI's error shape naming it, on the
// list and on the statistics.
func TestBadParameters(t *testing.T) {
	tests := []struct{ target, param, says string }{
		{"/admin/requests?since=yesterday", "since", "is not a time"},
		{"/admin/requests?since=-1h", "since", "is not a time"},
		{"/admin/requests?until=2026-13-01T00:00:00Z", "until", "is not a time"},
		{"/admin/requests?until=2026-02-30", "until", "is not a time"},
		{"/admin/requests?since=2h&until=3h", "until", "is not after since"},
		{"/admin/requests?status=teapot", "status", "neither an HTTP status"},
		{"/admin/requests?status=700", "status", "neither an HTTP status"},
		{"/admin/requests?stream=maybe", "stream", "not true or false"},
		{"/admin/requests?limit=0", "limit", "not a positive number"},
		{"/admin/requests?limit=-5", "limit", "not a positive number"},
		{"/admin/requests?limit=ten", "limit", "not a positive number"},
		{"/admin/requests?cursor=%21%21", "cursor", "not a cursor"},
		{"/admin/requests?cursor=AAAA", "cursor", "not a cursor"},
		{"/admin/requests?deploymnet=o3", "deploymnet", "unknown parameter"},
		{"/admin/requests?by=route", "by", "unknown parameter"},
		{"/admin/requests?route=a&route=b", "route", "given 2 times"},
		{"/admin/stats?by=tenant", "by", "group by route, category, deployment and/or time"},
		{"/admin/stats?by=time&since=24h", "interval", "needs an interval"},
		{"/admin/stats?by=time&interval=1h", "interval", "needs since"},
		{"/admin/stats?since=24h&interval=1h", "interval", "add time to by"},
		{"/admin/stats?by=time&since=24h&interval=10s", "interval", "at least 1m0s"},
		{"/admin/stats?by=time&since=30d&interval=1m", "interval", "at most 1500"},
		{"/admin/stats?by=time&since=24h&interval=often", "interval", "not a duration"},
		{"/admin/stats?by=route,route", "by", "each at most once"},
		{"/admin/stats?since=soon", "since", "is not a time"},
		{"/admin/stats?since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z", "until", "is not after since"},
		{"/admin/stats?route=auto", "route", "unknown parameter"},
	}
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	writeRows(t, db, fixtureRows(3))
	h := newMux(db, &operator)
	for _, tt := range tests {
		e := wantError(t, do(h, tt.target), 400, "", tt.param)
		if e.Error.Type != "invalid_request_error" || !strings.Contains(e.Error.Message, tt.says) ||
			!strings.Contains(e.Error.Message, "parameter "+tt.param) {
			t.Errorf("%s: %+v", tt.target, e.Error)
		}
	}
}

// Without a request log the endpoints say so; without a principal they
// refuse; a failing database is a 503 that hides its cause.
func TestUnavailable(t *testing.T) {
	for _, target := range []string{"/admin/requests", "/admin/requests/req_1", "/admin/stats"} {
		e := wantError(t, do(newMux(nil, &operator), target), 404, codeLogOff, "")
		if !strings.Contains(e.Error.Message, "store.driver is none") {
			t.Errorf("%s: %q", target, e.Error.Message)
		}
		db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
		if err != nil {
			t.Fatal(err)
		}
		writeRows(t, db, fixtureRows(3))
		wantError(t, do(newMux(db, nil), target), 403, codeNoPrincipal, "")
		db.Close()
		e = wantError(t, do(newMux(db, &operator), target), 503, codeLogUnavailable, "")
		if strings.Contains(e.Error.Message, "sql") || strings.Contains(e.Error.Message, "closed") {
			t.Errorf("%s: the 503 shows its cause: %q", target, e.Error.Message)
		}
	}
}

// A cursor is a position in newest-first order: a listing continues
// after it whether or not its row still exists.
func TestCursorIsAPosition(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := fixtureRows(10)
	writeRows(t, db, rows)
	h := newMux(db, &operator)
	for _, c := range []struct {
		cursor store.Cursor
		n      int
		first  string
	}{
		{store.Cursor{Time: storetest.Base.Add(5 * time.Minute), ID: "req_0005"}, 5, "req_0004"},
		{store.Cursor{Time: storetest.Base.Add(5*time.Minute + 30*time.Second), ID: "gone"}, 6, "req_0005"},
	} {
		var page RequestList
		decode(t, do(h, "/admin/requests?cursor="+c.cursor.Encode()), &page)
		if len(page.Data) != c.n || page.Data[0].ID != c.first || page.Next != "" {
			t.Errorf("after %s: %+v", c.cursor.ID, page)
		}
	}
}
