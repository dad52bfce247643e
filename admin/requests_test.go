package admin

import (
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/storetest"
)

// The principals of the scoping tests: one per tenant, and an operator.
var (
	acmeOps   = Principal{Name: "acme-ops", Role: config.RoleViewer, Tenant: acme}
	globexOps = Principal{Name: "globex-ops", Role: config.RoleAdmin, Tenant: globex}
	operator  = Principal{Name: "ops", Role: config.RoleAdmin}
)

// sees reports whether p may see r.
func sees(p Principal, r *store.Request) bool { return p.Tenant == "" || p.Tenant == r.Tenant }

// A key scoped to a tenant sees only its tenant's rows through every
// filter of GET /admin/requests; an unscoped key sees both tenants, or
// the one it asks for.
func TestListIsScoped(t *testing.T) {
	at := func(d time.Duration) time.Time { return storetest.Base.Add(d) }
	filters := []struct {
		query string
		keep  func(*store.Request) bool
	}{
		{"", func(*store.Request) bool { return true }},
		{"route=auto", func(r *store.Request) bool { return r.Route == "auto" }},
		{"category=code", func(r *store.Request) bool { return r.Category == "code" }},
		{"deployment=o3", func(r *store.Request) bool { return r.Deployment == "o3" }},
		{"status=ok", func(r *store.Request) bool { return !r.Failed() }},
		{"status=error", func(r *store.Request) bool { return r.Failed() }},
		{"status=502", func(r *store.Request) bool { return r.Status == 502 }},
		{"stream=true", func(r *store.Request) bool { return r.Stream }},
		{"stream=false", func(r *store.Request) bool { return !r.Stream }},
		{"since=" + at(10*time.Minute).Format(time.RFC3339), func(r *store.Request) bool { return !r.Time.Before(at(10 * time.Minute)) }},
		{"until=" + strconv.FormatInt(at(30*time.Minute).Unix(), 10), func(r *store.Request) bool { return r.Time.Before(at(30 * time.Minute)) }},
		{"since=1400m", func(r *store.Request) bool { return !r.Time.Before(at(40 * time.Minute)) }}, // fixedNow is Base+24h
		{"route=auto-cheap&stream=false&status=ok&category=creative", func(r *store.Request) bool {
			return r.Route == "auto-cheap" && !r.Stream && !r.Failed() && r.Category == "creative"
		}},
		{"deployment=nowhere", func(*store.Request) bool { return false }},
	}
	forEachBackend(t, func(t *testing.T, s store.Store) {
		rows := fixtureRows(60)
		writeRows(t, s, rows)
		for _, p := range []Principal{acmeOps, globexOps, operator} {
			h := newMux(s, &p)
			for _, f := range filters {
				got := listAll(t, h, f.query)
				want := idsWhere(rows, func(r *store.Request) bool { return sees(p, r) && f.keep(r) })
				if !slices.Equal(got, want) {
					t.Errorf("%s, %q:\n got %v\nwant %v", p.Name, f.query, got, want)
				}
			}
			// Its own tenant, named.
			if p.Tenant != "" {
				got := listAll(t, h, "tenant="+p.Tenant)
				if want := idsWhere(rows, func(r *store.Request) bool { return sees(p, r) }); !slices.Equal(got, want) {
					t.Errorf("%s, its own tenant: got %v, want %v", p.Name, got, want)
				}
			}
		}
		// An operator may ask for one tenant.
		h := newMux(s, &operator)
		for _, tenant := range []string{acme, globex} {
			got := listAll(t, h, "tenant="+tenant+"&status=ok")
			want := idsWhere(rows, func(r *store.Request) bool { return r.Tenant == tenant && !r.Failed() })
			if !slices.Equal(got, want) {
				t.Errorf("operator, tenant %s: got %v, want %v", tenant, got, want)
			}
		}
	})
}

// A scoped key asking for another tenant is refused, on the list and on
// the statistics alike, and learns nothing about its rows.
func TestOtherTenantRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		writeRows(t, s, fixtureRows(10))
		h := newMux(s, &acmeOps)
		for _, target := range []string{"/admin/requests?tenant=globex", "/admin/stats?tenant=globex&by=route", "/admin/requests?tenant=nobody"} {
			e := wantError(t, do(h, target), 403, codeTenantNotAllowed, "tenant")
			if !strings.Contains(e.Error.Message, `scoped to tenant "acme"`) {
				t.Errorf("%s: message %q", target, e.Error.Message)
			}
		}
	})
}

// GET /admin/requests/{id} answers a row of the caller's scope in full,
// and another tenant's exactly as an id that does not exist.
func TestGetIsScoped(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		rows := fixtureRows(6)
		writeRows(t, s, rows)
		for _, p := range []Principal{acmeOps, globexOps, operator} {
			h := newMux(s, &p)
			for _, r := range rows {
				rec := do(h, "/admin/requests/"+r.ID)
				if !sees(p, r) {
					other := wantError(t, rec, 404, codeRequestNotFound, "")
					missing := wantError(t, do(h, "/admin/requests/req_9999"), 404, codeRequestNotFound, "")
					if strings.ReplaceAll(other.Error.Message, r.ID, "ID") != strings.ReplaceAll(missing.Error.Message, "req_9999", "ID") {
						t.Errorf("another tenant's id answers %q, a missing one %q", other.Error.Message, missing.Error.Message)
					}
					if strings.Contains(rec.Body.String(), r.Tenant) {
						t.Errorf("the 404 names the tenant: %s", rec.Body)
					}
					continue
				}
				var d RequestDetail
				decode(t, rec, &d)
				if d.ID != r.ID || d.Tenant != r.Tenant || len(d.Attempts) != len(r.Attempts) ||
					!reflect.DeepEqual(d.Explanation, r.Explanation) || !reflect.DeepEqual(d.Features, r.Features) {
					t.Errorf("%s, %s: %+v", p.Name, r.ID, d)
				}
			}
		}
	})
}

// GET /admin/requests/{id}?tenant= narrows the scope as on a listing.
func TestGetNamesTenant(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		writeRows(t, s, fixtureRows(2)) // req_0000 is acme's
		tests := []struct {
			p           Principal
			query       string
			status      int
			code, param string
		}{
			{operator, "?tenant=acme", 200, "", ""},
			{operator, "?tenant=globex", 404, codeRequestNotFound, ""},
			{acmeOps, "?tenant=acme", 200, "", ""},
			{acmeOps, "?tenant=globex", 403, codeTenantNotAllowed, "tenant"},
			{operator, "?since=1h", 400, "", "since"},
		}
		for _, tt := range tests {
			rec := do(newMux(s, &tt.p), "/admin/requests/req_0000"+tt.query)
			if tt.status == 200 {
				var d RequestDetail
				decode(t, rec, &d)
				continue
			}
			wantError(t, rec, tt.status, tt.code, tt.param)
		}
	})
}

// GET /admin/stats aggregates only the caller's rows.
func TestStatsIsScoped(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		rows := fixtureRows(60)
		writeRows(t, s, rows)
		for _, p := range []Principal{acmeOps, globexOps, operator} {
			want := map[string]int64{}
			var cost float64
			for _, r := range rows {
				if sees(p, r) {
					want[r.Route]++
					cost += r.CostUSD
				}
			}
			var out StatsList
			decode(t, do(newMux(s, &p), "/admin/stats?by=route"), &out)
			got := map[string]int64{}
			var gotCost float64
			for _, g := range out.Data {
				got[g.Group["route"]] = g.Count
				gotCost += g.CostUSD
			}
			if !maps.Equal(got, want) || fmt.Sprintf("%.6f", gotCost) != fmt.Sprintf("%.6f", cost) {
				t.Errorf("%s: counts %v cost %v, want %v %v", p.Name, got, gotCost, want, cost)
			}
		}
		var one StatsList
		decode(t, do(newMux(s, &operator), "/admin/stats?tenant=globex"), &one)
		if len(one.Data) != 1 || one.Data[0].Count != 30 || len(one.Data[0].Group) != 0 {
			t.Errorf("operator, tenant globex: %+v", one)
		}
	})
}

// GET /admin/stats?by=time groups the caller's rows into buckets of
// interval, each named by its start; with deployment too, one series per
// deployment, as the dashboard's charts read them.
func TestStatsByTime(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		rows := fixtureRows(60) // a row a minute from storetest.Base
		writeRows(t, s, rows)
		since, until := storetest.Base.Format(time.RFC3339), storetest.Base.Add(2*time.Hour).Format(time.RFC3339)
		var out StatsList
		decode(t, do(newMux(s, &acmeOps), "/admin/stats?by=time,deployment&interval=15m&since="+since+"&until="+until), &out)
		want := map[string]int64{}
		for _, r := range rows {
			if r.Tenant == acme {
				want[r.Time.Truncate(15*time.Minute).UTC().Format(time.RFC3339)+" "+r.Deployment]++
			}
		}
		got := map[string]int64{}
		for _, g := range out.Data {
			got[g.Group["time"]+" "+g.Group["deployment"]] = g.Count
		}
		if !maps.Equal(got, want) || !slices.Equal(out.By, []string{"time", "deployment"}) {
			t.Errorf("by time and deployment: %v (by %v), want %v", got, out.By, want)
		}
	})
}

// Paging through a listing while rows are written gives every row that
// existed when it started once, in order, and none written after it
// started that sort before the cursor.
func TestPaginationWhileWriting(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		rows := fixtureRows(40)
		writeRows(t, s, rows)
		h := newMux(s, &acmeOps)
		var got []string
		next, written := "", 0
		for pages := 0; ; pages++ {
			target := "/admin/requests?limit=3"
			if next != "" {
				target += "&cursor=" + url.QueryEscape(next)
			}
			var page RequestList
			decode(t, do(h, target), &page)
			for _, r := range page.Data {
				got = append(got, r.ID)
			}
			if next = page.Next; next == "" {
				if pages < 5 {
					t.Fatalf("only %d pages", pages+1)
				}
				break
			}
			// Between pages: a newer acme row, which sorts
			// before the cursor, and an older acme row, which after it.
			newer, older := fixtureRows(1)[0], fixtureRows(1)[0]
			newer.ID, newer.Time = fmt.Sprintf("new_%04d", written), storetest.Base.Add(time.Hour+time.Duration(written)*time.Second)
			older.ID, older.Time = fmt.Sprintf("old_%04d", written), storetest.Base.Add(-time.Hour-time.Duration(written)*time.Second)
			writeRows(t, s, []*store.Request{newer, older})
			written++
		}
		want := idsWhere(rows, func(r *store.Request) bool { return r.Tenant == acme })
		for i := range written {
			want = append(want, fmt.Sprintf("old_%04d", i))
		}
		if !slices.Equal(got, want) {
			t.Errorf("pages gave\n %v\nwant\n %v", got, want)
		}
	})
}
