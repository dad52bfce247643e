package e2e

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
)

// The tenant test's two tenants, each with a client key, and the admin
// keys: one scoped to each tenant and one that sees all.
const (
	tenantA, tenantB = "tenant-acme", "tenant-globex"
	keyA, keyB       = "ck-acme-0123456789", "ck-globex-0123456789"
	keyNameA         = "acme-backend"
	keyNameB         = "globex-app"
	adminA, adminB   = "ak-acme-0123456789", "ak-globex-0123456789"
	adminAll         = "ak-ops-0123456789"
)

// principal is an admin key and the tenant it may read ("" for all).
type principal struct {
	name, key, tenant string
}

var principals = []principal{{"acme's key", adminA, tenantA}, {"globex's key", adminB, tenantB}, {"the unscoped key", adminAll, ""}}

// tenantEnv is a router recording to st with two tenants' client keys and
// three admin keys; routes: plain (two deployments), failover (the first
// is down), broken (its only deployment is down) and gem (only tenant B
// uses it).
func tenantEnv(t *testing.T, st store.Store, edit func(*config.Config)) *env {
	e := newEnvWith(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: keyA, Name: keyNameA, Tenant: tenantA}, {Key: keyB, Name: keyNameB, Tenant: tenantB}}
		c.Auth.AdminKeys = []config.AdminKey{
			{Key: adminA, Name: "acme-ops", Role: config.RoleViewer, Tenant: tenantA},
			{Key: adminB, Name: "globex-ops", Role: config.RoleAdmin, Tenant: tenantB},
			{Key: adminAll, Name: "ops", Role: config.RoleAdmin},
		}
		ordered := func(name string, deps ...string) {
			c.Routes[name] = &config.Route{Name: name, Deployments: deps, Policy: config.Policy{Strategy: config.StrategyOrdered}}
		}
		ordered("plain", "gpt-4o-mini", "claude-haiku-4-5")
		ordered("failover", "gpt-4o", "claude-haiku-4-5")
		ordered("broken", "gpt-4o")
		ordered("gem", "gemini-2.5-flash")
		if edit != nil {
			edit(c)
		}
	}, server.RouterOptions{Store: st})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "gpt-4o"})
	return e
}

// sendTenantTraffic sends each tenant's requests, of several kinds,
// routes, deployments and outcomes, and one with an unknown key (a row of
// no tenant). It returns the request ids by tenant.
func sendTenantTraffic(t *testing.T, e *env) map[string][]string {
	ids := map[string][]string{}
	send := func(tenant, key, path string, body []byte, h map[string]string) {
		t.Helper()
		hdr := map[string]string{"Authorization": "Bearer " + key}
		for k, v := range h {
			hdr[k] = v
		}
		resp, b := postH(t, e.URL+path, body, hdr)
		id := resp.Header.Get("x-switchyard-request-id")
		if id == "" {
			t.Fatalf("%s %s: no request id; %d %s", tenant, path, resp.StatusCode, b)
		}
		ids[tenant] = append(ids[tenant], id)
	}
	chat := "/v1/chat/completions"
	for _, p := range []string{"hi there", "Write a Go function that reverses a slice.", "What is the capital of France?"} {
		send(tenantA, keyA, chat, chatBody("plain", p, false), nil)
	}
	send(tenantA, keyA, chat, streamBody("plain", "Tell me a story about a fox."), nil)
	send(tenantA, keyA, chat, streamBody("plain", "hello"), nil)
	send(tenantA, keyA, chat, chatBody("failover", "hello again", false), nil)
	send(tenantA, keyA, chat, chatBody("broken", "are you there?", false), nil)
	emb, _ := json.Marshal(map[string]any{"model": "text-embedding-3-small", "input": []string{"embed me"}})
	send(tenantA, keyA, "/v1/embeddings", emb, nil)
	send(tenantA, keyA, "/v1/route", chatBody("plain", "hi", false), nil)

	send(tenantB, keyB, chat, chatBody("gem", "Summarize the plot of Hamlet in two sentences.", false), nil)
	send(tenantB, keyB, chat, chatBody("gem", "What is 17 times 23?", false), nil)
	send(tenantB, keyB, chat, streamBody("plain", "Write a haiku about rain."), nil)
	send(tenantB, keyB, chat, chatBody("plain", "hi", false), map[string]string{"x-switchyard-max-cost-usd": "0.0000001"})
	send(tenantB, keyB, chat, chatBody("broken", "ping", false), nil)

	send("", "ck-nobody-0123456789", chat, chatBody("plain", "hi", false), nil)
	return ids
}

// TestTenantIsolation: an admin key scoped to a tenant sees exactly its
// tenant's requests through every endpoint — listings under every filter
// and page size, every request's detail, statistics by every dimension,
// and the requests CLI against the router — and is refused the other
// tenant's; the unscoped key sees both. /metrics and /admin/health name
// no tenant while telemetry.metrics_tenant_label is off. On SQLite and
// PostgreSQL.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	for _, be := range storeBackends {
		t.Run(be.name, func(t *testing.T) {
			st := be.open(t)
			e := tenantEnv(t, st, nil)
			sent := sendTenantTraffic(t, e)
			all := sent[tenantA]
			all = append(append(all, sent[tenantB]...), sent[""]...)
			rows := allRows(t, e, st, all)
			for id, r := range rows {
				if want := tenantOf(sent, id); r.Tenant != want {
					t.Fatalf("row %s has tenant %q, want %q", id, r.Tenant, want)
				}
			}
			for _, p := range principals {
				t.Run(p.name, func(t *testing.T) {
					visible := visibleTo(p, rows)
					checkListings(t, e, p, rows, visible)
					checkDetails(t, e, p, rows, visible)
					checkStats(t, e, p, visible)
					checkTenantCLI(t, e, p, rows, visible)
				})
			}
			for _, path := range []string{"/metrics", "/admin/health"} {
				for _, p := range principals {
					code, body := callAs(t, http.MethodGet, e.URL+path, p.key)
					if code != 200 {
						t.Fatalf("%s with %s: %d %s", path, p.name, code, body)
					}
					for _, s := range []string{tenantA, tenantB, keyNameA, keyNameB} {
						if strings.Contains(string(body), s) {
							t.Errorf("%s with %s names %q while metrics_tenant_label is off", path, p.name, s)
						}
					}
				}
			}
		})
	}
}

// TestTenantMetricsLabel: with telemetry.metrics_tenant_label on, /metrics
// carries each tenant's series, so only an unscoped admin key reads it; a
// key scoped to a tenant is refused rather than shown the other's.
func TestTenantMetricsLabel(t *testing.T) {
	t.Parallel()
	e := tenantEnv(t, nil, func(c *config.Config) { c.Telemetry.MetricsTenantLabel = true })
	sendTenantTraffic(t, e)
	e.recorded(t, 15)
	code, body := callAs(t, http.MethodGet, e.URL+"/metrics", adminAll)
	if code != 200 {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	for _, tenant := range []string{tenantA, tenantB} {
		if !strings.Contains(string(body), `tenant="`+tenant+`"`) {
			t.Errorf("/metrics has no series of %s", tenant)
		}
	}
	for _, p := range principals[:2] {
		code, body := callAs(t, http.MethodGet, e.URL+"/metrics", p.key)
		var eb errorBody
		json.Unmarshal(body, &eb)
		if code != http.StatusForbidden || eb.Error.Code == nil || *eb.Error.Code != "tenant_not_allowed" {
			t.Errorf("/metrics with %s: %d %s, want 403 tenant_not_allowed", p.name, code, body)
		}
	}
	if code, body := callAs(t, http.MethodGet, e.URL+"/admin/health", adminA); code != 200 || strings.Contains(string(body), tenantB) {
		t.Errorf("/admin/health with acme's key: %d %s", code, body)
	}
}

// allRows waits until st holds the requests of ids, then returns each
// one's summary as the unscoped key lists it.
func allRows(t *testing.T, e *env, st store.Store, ids []string) map[string]admin.RequestSummary {
	t.Helper()
	waitForRows(t, st, ids)
	out := map[string]admin.RequestSummary{}
	for _, r := range listPages(t, e, adminAll, url.Values{}, 1000) {
		out[r.ID] = r
	}
	if got := slices.Sorted(maps.Keys(out)); !slices.Equal(got, slices.Sorted(slices.Values(ids))) {
		t.Fatalf("rows %v, want %v", got, ids)
	}
	return out
}

func tenantOf(sent map[string][]string, id string) string {
	for tenant, ids := range sent {
		if slices.Contains(ids, id) {
			return tenant
		}
	}
	return "?"
}

// visibleTo returns the rows p may read, newest first.
func visibleTo(p principal, rows map[string]admin.RequestSummary) []admin.RequestSummary {
	var out []admin.RequestSummary
	for _, r := range rows {
		if p.tenant == "" || r.Tenant == p.tenant {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, newestFirst)
	return out
}

func newestFirst(a, b admin.RequestSummary) int {
	if c := b.Time.Compare(a.Time); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}
