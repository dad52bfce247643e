package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
)

// listPages reads every page of GET /admin/requests?q with key, limit
// rows a page.
func listPages(t *testing.T, e *env, key string, q url.Values, limit int) []admin.RequestSummary {
	t.Helper()
	q = maps.Clone(q)
	q.Set("limit", strconv.Itoa(limit))
	var out []admin.RequestSummary
	for page := 0; ; page++ {
		code, body := callAs(t, http.MethodGet, e.URL+"/admin/requests?"+q.Encode(), key)
		var list admin.RequestList
		if err := json.Unmarshal(body, &list); code != 200 || err != nil {
			t.Fatalf("GET /admin/requests?%s: %d %s", q.Encode(), code, body)
		}
		out = append(out, list.Data...)
		if list.Next == "" || page > 100 {
			return out
		}
		q.Set("cursor", list.Next)
	}
}

// listFilter is a listing's query and which rows it selects.
type listFilter struct {
	q     url.Values
	match func(admin.RequestSummary) bool
}

// listFilters returns a filter for every value of every listing parameter
// among rows (both tenants'), and some combinations.
func listFilters(rows map[string]admin.RequestSummary) []listFilter {
	var fs []listFilter
	add := func(match func(admin.RequestSummary) bool, kv ...string) {
		q := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		fs = append(fs, listFilter{q, match})
	}
	add(func(admin.RequestSummary) bool { return true })
	values := func(f func(admin.RequestSummary) string) []string {
		seen := map[string]bool{}
		for _, r := range rows {
			if v := f(r); v != "" {
				seen[v] = true
			}
		}
		return slices.Sorted(maps.Keys(seen))
	}
	for _, v := range values(func(r admin.RequestSummary) string { return r.Route }) {
		add(func(r admin.RequestSummary) bool { return r.Route == v }, "route", v)
		add(func(r admin.RequestSummary) bool { return r.Route == v && r.Stream }, "route", v, "stream", "true")
	}
	for _, v := range values(func(r admin.RequestSummary) string { return r.Category }) {
		add(func(r admin.RequestSummary) bool { return r.Category == v }, "category", v)
	}
	for _, v := range values(func(r admin.RequestSummary) string { return r.Deployment }) {
		add(func(r admin.RequestSummary) bool { return r.Deployment == v }, "deployment", v)
	}
	for _, v := range values(func(r admin.RequestSummary) string { return strconv.Itoa(r.Status) }) {
		add(func(r admin.RequestSummary) bool { return strconv.Itoa(r.Status) == v }, "status", v)
	}
	add(func(r admin.RequestSummary) bool { return r.Failed }, "status", "error")
	add(func(r admin.RequestSummary) bool { return !r.Failed }, "status", "ok")
	add(func(r admin.RequestSummary) bool { return r.Stream }, "stream", "true")
	add(func(r admin.RequestSummary) bool { return !r.Stream }, "stream", "false")
	times := make([]time.Time, 0, len(rows))
	for _, r := range rows {
		times = append(times, r.Time)
	}
	slices.SortFunc(times, time.Time.Compare)
	lo, hi := times[len(times)/3], times[2*len(times)/3]
	since, until := lo.Format(time.RFC3339Nano), hi.Format(time.RFC3339Nano)
	add(func(r admin.RequestSummary) bool { return !r.Time.Before(lo) }, "since", since)
	add(func(r admin.RequestSummary) bool { return r.Time.Before(hi) }, "until", until)
	add(func(r admin.RequestSummary) bool { return !r.Time.Before(lo) && r.Time.Before(hi) }, "since", since, "until", until)
	return fs
}

func ids(rows []admin.RequestSummary) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// checkListings: under every filter, p's listing is exactly the rows it
// may read that match, newest first, whatever the page size; naming
// another tenant is refused (scoped) or narrows to it (unscoped).
func checkListings(t *testing.T, e *env, p principal, rows map[string]admin.RequestSummary, visible []admin.RequestSummary) {
	for _, f := range listFilters(rows) {
		var want []admin.RequestSummary
		for _, r := range visible {
			if f.match(r) {
				want = append(want, r)
			}
		}
		for _, limit := range []int{1000, 2} {
			if got := listPages(t, e, p.key, f.q, limit); !slices.Equal(ids(got), ids(want)) {
				t.Errorf("GET /admin/requests?%s (limit %d): %v, want %v", f.q.Encode(), limit, ids(got), ids(want))
			}
		}
	}
	for _, tenant := range []string{tenantA, tenantB, "tenant-nobody"} {
		q := url.Values{"tenant": {tenant}}
		if p.tenant != "" && tenant != p.tenant {
			wantForbidden(t, e, p, "/admin/requests?"+q.Encode())
			continue
		}
		var want []string
		for _, r := range visible {
			if r.Tenant == tenant {
				want = append(want, r.ID)
			}
		}
		if got := ids(listPages(t, e, p.key, q, 1000)); !slices.Equal(got, want) {
			t.Errorf("GET /admin/requests?%s: %v, want %v", q.Encode(), got, want)
		}
	}
}

// wantForbidden checks that p is refused path with 403 tenant_not_allowed.
func wantForbidden(t *testing.T, e *env, p principal, path string) {
	t.Helper()
	code, body := callAs(t, http.MethodGet, e.URL+path, p.key)
	var eb errorBody
	json.Unmarshal(body, &eb)
	if code != http.StatusForbidden || eb.Error.Code == nil || *eb.Error.Code != "tenant_not_allowed" {
		t.Errorf("GET %s with %s: %d %s, want 403 tenant_not_allowed", path, p.name, code, body)
	}
}

// checkDetails: p reads the detail of every row it may read; any other id
// is a 404 identical to that of an id that does not exist.
func checkDetails(t *testing.T, e *env, p principal, rows map[string]admin.RequestSummary, visible []admin.RequestSummary) {
	const unknown = "req_000000000000000000000000"
	_, notFound := callAs(t, http.MethodGet, e.URL+"/admin/requests/"+unknown, p.key)
	for id, r := range rows {
		paths := []string{"/admin/requests/" + id}
		if p.tenant != "" {
			paths = append(paths, "/admin/requests/"+id+"?tenant="+p.tenant)
			other := map[string]string{tenantA: tenantB, tenantB: tenantA}[p.tenant]
			wantForbidden(t, e, p, "/admin/requests/"+id+"?tenant="+other)
		}
		for _, path := range paths {
			code, body := callAs(t, http.MethodGet, e.URL+path, p.key)
			if !slices.ContainsFunc(visible, func(v admin.RequestSummary) bool { return v.ID == id }) {
				if code != http.StatusNotFound || strings.ReplaceAll(string(body), id, unknown) != string(notFound) {
					t.Errorf("GET %s (%s's) with %s: %d %s, want the 404 of an unknown id: %s", path, r.Tenant, p.name, code, body, notFound)
				}
				continue
			}
			var d admin.RequestDetail
			if err := json.Unmarshal(body, &d); code != 200 || err != nil || d.ID != id || d.Tenant != r.Tenant {
				t.Errorf("GET %s with %s: %d %s", path, p.name, code, body)
			}
		}
	}
}

// checkStats: p's statistics, by every dimension and over a time range,
// are those of the rows it may read, and of no other.
func checkStats(t *testing.T, e *env, p principal, visible []admin.RequestSummary) {
	since := visible[len(visible)/2].Time
	for _, by := range []string{"", "route", "category", "deployment", "route,category,deployment"} {
		for _, from := range []*time.Time{nil, &since} {
			q := url.Values{}
			if by != "" {
				q.Set("by", by)
			}
			rows := visible
			if from != nil {
				q.Set("since", from.Format(time.RFC3339Nano))
				rows = slices.DeleteFunc(slices.Clone(visible), func(r admin.RequestSummary) bool { return r.Time.Before(*from) })
			}
			compareStats(t, e, p, q, rows)
		}
	}
	if p.tenant != "" {
		other := map[string]string{tenantA: tenantB, tenantB: tenantA}[p.tenant]
		wantForbidden(t, e, p, "/admin/stats?tenant="+other)
		compareStats(t, e, p, url.Values{"tenant": {p.tenant}, "by": {"route"}}, visible)
		return
	}
	for _, tenant := range []string{tenantA, tenantB} {
		rows := slices.DeleteFunc(slices.Clone(visible), func(r admin.RequestSummary) bool { return r.Tenant != tenant })
		compareStats(t, e, p, url.Values{"tenant": {tenant}, "by": {"deployment"}}, rows)
	}
}

// compareStats checks GET /admin/stats?q against the aggregates of rows.
func compareStats(t *testing.T, e *env, p principal, q url.Values, rows []admin.RequestSummary) {
	t.Helper()
	code, body := callAs(t, http.MethodGet, e.URL+"/admin/stats?"+q.Encode(), p.key)
	var got admin.StatsList
	if err := json.Unmarshal(body, &got); code != 200 || err != nil {
		t.Fatalf("GET /admin/stats?%s with %s: %d %s", q.Encode(), p.name, code, body)
	}
	want := expectedStats(rows, strings.Split(q.Get("by"), ","))
	gotByKey := map[string]admin.StatsGroup{}
	for _, g := range got.Data {
		gotByKey[groupKey(g.Group)] = g
	}
	if len(gotByKey) != len(want) {
		t.Errorf("GET /admin/stats?%s with %s: groups %v, want %d groups", q.Encode(), p.name, slices.Sorted(maps.Keys(gotByKey)), len(want))
	}
	for k, w := range want {
		g, ok := gotByKey[k]
		switch {
		case !ok:
			t.Errorf("GET /admin/stats?%s with %s: no group %s", q.Encode(), p.name, k)
		case g.Count != w.Count || g.Errors != w.Errors || g.Fallbacks != w.Fallbacks || g.Tokens != w.Tokens ||
			!near(g.CostUSD, w.CostUSD, 1e-12) || !nearPct(g.LatencyMs, w.LatencyMs) || !nearPct(g.TTFTMs, w.TTFTMs):
			t.Errorf("GET /admin/stats?%s with %s: group %s\n got %+v\nwant %+v", q.Encode(), p.name, k, g, w)
		}
	}
}

// expectedStats aggregates rows by the dimensions of by, as the stats
// endpoint documents: counts, errors, fallbacks, tokens and cost summed,
// nearest-rank latency and TTFT percentiles (TTFT over the rows with one).
func expectedStats(rows []admin.RequestSummary, by []string) map[string]admin.StatsGroup {
	type acc struct {
		g         admin.StatsGroup
		lat, ttft []float64
	}
	groups := map[string]*acc{}
	for _, r := range rows {
		group := map[string]string{}
		for _, d := range by {
			switch d {
			case "route":
				group[d] = r.Route
			case "category":
				group[d] = r.Category
			case "deployment":
				group[d] = r.Deployment
			}
		}
		k := groupKey(group)
		a := groups[k]
		if a == nil {
			a = &acc{}
			groups[k] = a
		}
		a.g.Count++
		a.g.Errors += b2i(r.Failed)
		a.g.Fallbacks += b2i(r.Fallback)
		t := &a.g.Tokens
		t.Prompt, t.CachedRead, t.CacheWrite = t.Prompt+r.Tokens.Prompt, t.CachedRead+r.Tokens.CachedRead, t.CacheWrite+r.Tokens.CacheWrite
		t.Completion, t.Reasoning = t.Completion+r.Tokens.Completion, t.Reasoning+r.Tokens.Reasoning
		a.g.CostUSD += r.CostUSD
		a.lat = append(a.lat, r.LatencyMs)
		if r.TTFTMs > 0 {
			a.ttft = append(a.ttft, r.TTFTMs)
		}
	}
	out := map[string]admin.StatsGroup{}
	for k, a := range groups {
		a.g.LatencyMs, a.g.TTFTMs = nearestRank(a.lat), nearestRank(a.ttft)
		out[k] = a.g
	}
	return out
}

func groupKey(g map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(g)) {
		parts = append(parts, k+"="+g[k])
	}
	return fmt.Sprint(parts)
}

func nearestRank(v []float64) admin.Percentiles {
	if len(v) == 0 {
		return admin.Percentiles{}
	}
	slices.Sort(v)
	at := func(p float64) float64 { return v[max(0, int(math.Ceil(p*float64(len(v))))-1)] }
	return admin.Percentiles{P50: at(0.5), P90: at(0.9), P99: at(0.99)}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func nearPct(a, b admin.Percentiles) bool {
	return math.Abs(a.P50-b.P50) < 0.002 && math.Abs(a.P90-b.P90) < 0.002 && math.Abs(a.P99-b.P99) < 0.002
}

// checkTenantCLI: `switchyard requests` against the router, with p's key,
// lists exactly what p may read, shows its requests and no other's, and
// is refused another tenant.
func checkTenantCLI(t *testing.T, e *env, p principal, rows map[string]admin.RequestSummary, visible []admin.RequestSummary) {
	src := []string{"--url", e.URL, "--key", p.key}
	cli := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, append(append([]string{"requests", args[0]}, src...), args[1:]...)...)
	}
	code, out, errOut := cli("list", "--limit", "1000", "--json")
	var list admin.RequestList
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || !slices.Equal(ids(list.Data), ids(visible)) {
		t.Errorf("requests list --json with %s: exit %d, %v %s, want %v", p.name, code, ids(list.Data), errOut, ids(visible))
	}
	_, table, _ := cli("list", "--limit", "1000")
	for id := range rows {
		mine := slices.ContainsFunc(visible, func(v admin.RequestSummary) bool { return v.ID == id })
		if strings.Contains(table, id) != mine {
			t.Errorf("requests list with %s: %s listed %v, want %v", p.name, id, !mine, mine)
		}
		if p.tenant == "" && id != visible[0].ID {
			continue // the unscoped key: one show is enough
		}
		if code, out, errOut := cli("show", id); (code == 0) != mine || mine && !strings.Contains(out, id) || !mine && (out != "" || !strings.Contains(errOut, "No request")) {
			t.Errorf("requests show %s (%s's) with %s: exit %d: %s%s", id, rows[id].Tenant, p.name, code, out, errOut)
		}
	}
	if p.tenant != "" {
		other := map[string]string{tenantA: tenantB, tenantB: tenantA}[p.tenant]
		if code, out, errOut := cli("list", "--tenant", other); code != 1 || strings.Contains(out, other) || !strings.Contains(errOut, "may not read tenant") {
			t.Errorf("requests list --tenant %s with %s: exit %d: %s%s", other, p.name, code, out, errOut)
		}
	}
}
