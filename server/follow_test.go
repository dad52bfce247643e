package server

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/reload"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
)

// TestReplicasFollowSQLite: two routers sharing one SQLite file follow
// each other's configuration changes (testReplicasFollow).
func TestReplicasFollowSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	testReplicasFollow(t, func(t testing.TB, _ string) store.Store {
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

// TestReplicasFollowPostgres: the same with two routers sharing the
// real PostgreSQL (a schema of the test's own).
func TestReplicasFollowPostgres(t *testing.T) {
	dsn := pgtest.FreshSchema(t)
	testReplicasFollow(t, func(t testing.TB, _ string) store.Store {
		st, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

// testReplicasFollow starts routers a and b on one store — a's file
// allows one more upstream host than b's — and checks that every
// version either stores (at start, through the API, from its file) is
// applied by the other, audited as followed by it; that a version whose
// upstream is off b's allowlist is refused on b once (audited failed,
// counted, b serving on), and that b follows the next one.
func testReplicasFollow(t *testing.T, open func(t testing.TB, dir string) store.Store) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
	wide := strings.Replace(adminConfig, "upstream_hosts: [127.0.0.1]", "upstream_hosts: [127.0.0.1, localhost]", 1)
	rig := func(name, text string) *adminRig {
		return startRig(t, rigOptions{text: text, open: open, replica: name, interval: 10 * time.Millisecond, simAddr: simAddr})
	}
	a := rig("a", wide)
	b := rig("b", adminConfig) // another text: stored as version 2, which a follows
	waitVersion(t, a, 2)

	fast := strings.Replace(a.running().YAML, "routes:\n", "routes:\n  fast: {deployments: [gpt-4o]}\n", 1)
	if status, body := a.put("", fast); status != 200 || !strings.Contains(body, `"version": 3`) {
		t.Fatalf("PUT on a: %d %s", status, body)
	}
	waitVersion(t, b, 3)
	if status, dep := b.chat("fast"); status != 200 || dep != "gpt-4o" {
		t.Errorf("b after following version 3: fast = %d %s", status, dep)
	}
	followed(t, b, "replica:b", 3, store.AuditOK)

	// Version 4 sends a deployment to localhost: on a's allowlist only.
	_, port, _ := strings.Cut(simAddr, ":")
	local := strings.Replace(a.running().YAML, "deployments:\n", "  local: {kind: openai, base_url: \"http://localhost:"+port+"/openai/v1\", api_key: \"${CLIENT_KEY}\"}\ndeployments:\n  local-mini: {provider: local, model: gpt-4o-mini, price: {input: 0.15, output: 0.6}}\n", 1)
	if status, body := a.put("", local); status != 200 || !strings.Contains(body, `"version": 4`) {
		t.Fatalf("PUT of version 4 on a: %d %s", status, body)
	}
	ev := followed(t, b, "replica:b", 4, store.AuditFailed)
	if !strings.Contains(ev.Detail, `host "localhost"`) || !strings.Contains(ev.Detail, "is not in security.upstream_hosts") {
		t.Errorf("the refusal's detail: %s", ev.Detail)
	}
	for range 3 { // polled again: not tried again
		if err := b.r.Config.FollowOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := countFollows(b, "replica:b", 4); n != 1 {
		t.Errorf("version 4 refused %d times on b; want once", n)
	}
	if v := b.running().Version; v != 3 {
		t.Errorf("b serves version %d after refusing 4; want 3", v)
	}
	if status, _ := b.chat("fast"); status != 200 {
		t.Errorf("b stopped serving after refusing a version: %d", status)
	}
	if _, body := b.call("view", "GET", "/metrics", "", ""); !strings.Contains(body, "switchyard_config_behind 1") ||
		!strings.Contains(body, `switchyard_config_follow_total{outcome="failed"} 1`) {
		t.Errorf("b's metrics lack the refusal:\n%s", linesWith(body, "switchyard_config_"))
	}
	if status, dep := a.chat("local-mini"); status != 200 || dep != "local-mini" {
		t.Errorf("a serves version 4: local-mini = %d %s", status, dep)
	}

	// b's file changes: reloaded, it is stored as version 5, which a follows.
	other := strings.Replace(adminConfig, "routes:\n", "routes:\n  other: {deployments: [gpt-4o-mini]}\n", 1)
	if err := writeFile(b.path, other); err != nil {
		t.Fatal(err)
	}
	if res, err := b.r.Config.ReloadFile(context.Background()); err != nil || res.Version != 5 {
		t.Fatalf("b's reload: %+v %v", res, err)
	}
	waitVersion(t, a, 5)
	if status, dep := a.chat("other"); status != 200 || dep != "gpt-4o-mini" {
		t.Errorf("a after following b's file: other = %d %s", status, dep)
	}
	if status, _ := a.chat("local-mini"); status != 404 {
		t.Errorf("a still serves version 4's deployment: %d", status)
	}
	followed(t, a, "replica:a", 5, store.AuditOK)
	if _, body := b.call("view", "GET", "/metrics", "", ""); !strings.Contains(body, "switchyard_config_behind 0") {
		t.Errorf("b's metrics after version 5:\n%s", linesWith(body, "switchyard_config_"))
	}
	vs, err := a.store.ConfigVersions(context.Background(), 0, 50)
	if err != nil || len(vs) != 5 {
		t.Errorf("versions stored: %d (%v); following stores none", len(vs), err)
	}
}

// followed waits for the config.follow event of actor about version v
// with outcome, and returns it.
func followed(t *testing.T, r *adminRig, actor string, v int64, outcome string) store.AuditEvent {
	t.Helper()
	target := "config version " + strconv.FormatInt(v, 10)
	var found store.AuditEvent
	r.waitAudit(actor+" following "+target, func(evs []store.AuditEvent) bool {
		for _, e := range evs {
			if e.Action == reload.ActionFollow && e.Actor == actor && e.Target == target && e.Outcome == outcome {
				found = e
				return true
			}
		}
		return false
	})
	return found
}

func countFollows(r *adminRig, actor string, v int64) int {
	n := 0
	for _, e := range r.audit() {
		if e.Action == reload.ActionFollow && e.Actor == actor && e.Target == "config version "+strconv.FormatInt(v, 10) {
			n++
		}
	}
	return n
}

// linesWith returns the lines of text that hold s.
func linesWith(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
