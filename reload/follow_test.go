package reload

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/audit"
	"switchyard/store"
)

// replica is a Manager on a file of its own, sharing a history with
// others, as a router among several sharing one store.
type replica struct {
	m      *Manager
	target *fakeTarget
	log    *store.Memory
	reg    *prometheus.Registry
}

func newReplica(t *testing.T, name, text string, h store.ConfigHistory) *replica {
	t.Helper()
	path := filepath.Join(t.TempDir(), "switchyard.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) (string, bool) {
		return map[string]string{"OPENAI_KEY": "sk-env-" + name}[k], k == "OPENAI_KEY"
	}
	f, err := ReadFile(path, getenv)
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{target: &fakeTarget{}, log: new(store.Memory), reg: prometheus.NewRegistry()}
	trail := audit.New(r.log, audit.Options{})
	t.Cleanup(func() { trail.Close(context.Background()) })
	r.m = New(Options{Path: path, Getenv: getenv, History: h, Trail: trail, Prepare: r.target.prepare, Replica: name, Registerer: r.reg})
	if _, err := r.m.Start(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *replica) version() int64 { _, _, v := r.m.Current(); return v }

// follows returns the replica's config.follow events, newest first.
func (r *replica) follows(t *testing.T) []store.AuditEvent {
	t.Helper()
	p, err := r.log.ListAudit(context.Background(), store.AllTenants(), store.AuditFilter{Action: ActionFollow})
	if err != nil {
		t.Fatal(err)
	}
	return p.Events
}

const replicaText = `providers:
  openai: {kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: "${OPENAI_KEY}"}
deployments:
  gpt-4o-mini: {provider: openai}
security:
  upstream_hosts: [127.0.0.1]
`

// TestFollowAppliesTheNewestVersion: a change applied on one router is
// applied by the other at its next poll, as the same version, audited as
// followed by that replica, without a version of its own; its own
// secrets (a ${VAR} of its environment) stay its own.
func TestFollowAppliesTheNewestVersion(t *testing.T) {
	ctx := context.Background()
	h := new(store.Memory)
	a, b := newReplica(t, "a", replicaText, h), newReplica(t, "b", replicaText, h)
	if a.version() != 1 || b.version() != 1 {
		t.Fatalf("versions at start: %d and %d; want 1 and 1", a.version(), b.version())
	}
	if err := b.m.FollowOnce(ctx); err != nil || len(b.target.committed) != 0 {
		t.Fatalf("nothing newer: FollowOnce = %v, %d commits", err, len(b.target.committed))
	}
	changed := replicaText + "routes:\n  fast: {deployments: [gpt-4o-mini]}\n"
	if res, err := a.m.Apply(ctx, Change{Text: []byte(changed), Actor: "ops", Source: store.SourceAPI}); err != nil || res.Version != 2 {
		t.Fatalf("Apply on a: %+v %v", res, err)
	}
	if err := b.m.FollowOnce(ctx); err != nil {
		t.Fatal(err)
	}
	cfg, text, v := b.m.Current()
	if v != 2 || cfg.Routes["fast"] == nil || !strings.Contains(string(text), "fast:") || len(b.target.committed) != 1 {
		t.Fatalf("b after following: version %d, routes %v, %d commits", v, cfg.RouteNames(), len(b.target.committed))
	}
	if got := cfg.Providers["openai"].APIKey; got != "sk-env-b" {
		t.Errorf("b's provider key %q; want its own environment's", got)
	}
	if vs, _ := h.ConfigVersions(ctx, 0, 10); len(vs) != 2 {
		t.Errorf("%d versions stored; following stores none", len(vs))
	}
	evs := b.follows(t)
	if len(evs) != 1 || evs[0].Actor != "replica:b" || evs[0].Outcome != store.AuditOK || evs[0].Target != "config version 2" ||
		!strings.Contains(evs[0].Detail, "stored by ops, source api") {
		t.Errorf("b's audit: %+v", evs)
	}
	if err := b.m.FollowOnce(ctx); err != nil || len(b.target.committed) != 1 {
		t.Errorf("a second poll: %v, %d commits; want nothing done", err, len(b.target.committed))
	}
	if err := a.m.FollowOnce(ctx); err != nil || len(a.target.committed) != 1 || len(a.follows(t)) != 0 {
		t.Errorf("a follows its own version: %v, %d commits, %d follows", err, len(a.target.committed), len(a.follows(t)))
	}
	if got := testutil.ToFloat64(b.m.metrics.version); got != 2 {
		t.Errorf("switchyard_config_version on b = %v", got)
	}
}

// TestFollowRefusesOnceWhatDoesNotBuildHere: a stored version whose base
// URL is off this router's allowlist is refused here — logged, audited
// failed, counted — and not tried again; this router keeps serving its
// version, and applies the next version that builds.
func TestFollowRefusesOnceWhatDoesNotBuildHere(t *testing.T) {
	ctx := context.Background()
	h := new(store.Memory)
	wide := strings.Replace(replicaText, "[127.0.0.1]", "[127.0.0.1, api.example.com]", 1)
	a, b := newReplica(t, "a", wide, h), newReplica(t, "b", replicaText, h)
	if a.version() != 1 || b.version() != 2 {
		t.Fatalf("versions: %d and %d", a.version(), b.version())
	}
	if err := a.m.FollowOnce(ctx); err != nil || a.version() != 2 {
		t.Fatalf("a follows b's start: %v, version %d", err, a.version())
	}
	cfgA, _, _ := a.m.Current()
	if strings.Join(cfgA.Security.UpstreamHosts, ",") != "127.0.0.1,api.example.com" {
		t.Errorf("a's allowlist after following b: %v; want a's file's", cfgA.Security.UpstreamHosts)
	}
	offList := strings.Replace(wide, "deployments:\n", "  example: {kind: openai, base_url: \"https://api.example.com/v1\", api_key: \"${OPENAI_KEY}\"}\ndeployments:\n  ex: {provider: example}\n", 1)
	if res, err := a.m.Apply(ctx, Change{Text: []byte(offList), Actor: "ops", Source: store.SourceAPI}); err != nil || res.Version != 3 {
		t.Fatalf("Apply on a: %+v %v", res, err)
	}
	for range 3 {
		if err := b.m.FollowOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if b.version() != 2 || len(b.target.committed) != 0 {
		t.Errorf("b applied a version off its allowlist: version %d, %d commits", b.version(), len(b.target.committed))
	}
	evs := b.follows(t)
	if len(evs) != 1 || evs[0].Outcome != store.AuditFailed || !strings.Contains(evs[0].Detail, `host "api.example.com" (port 443) is not in security.upstream_hosts`) {
		t.Fatalf("b's audit: %+v", evs)
	}
	if got := testutil.ToFloat64(b.m.metrics.behind); got != 1 {
		t.Errorf("switchyard_config_behind = %v; want 1", got)
	}
	if got := testutil.ToFloat64(b.m.metrics.followed.WithLabelValues("failed")); got != 1 {
		t.Errorf("follow failures counted %v; want 1", got)
	}
	if b.m.Following().Refused != 3 {
		t.Errorf("Following = %+v", b.m.Following())
	}
	// The next version builds here again.
	if _, err := a.m.Apply(ctx, Change{Text: []byte(wide + "routes:\n  fast: {deployments: [gpt-4o-mini]}\n"), Actor: "ops", Source: store.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	if err := b.m.FollowOnce(ctx); err != nil || b.version() != 4 {
		t.Fatalf("b after a version that builds: %v, version %d", err, b.version())
	}
	if got := testutil.ToFloat64(b.m.metrics.behind); got != 0 {
		t.Errorf("switchyard_config_behind = %v; want 0", got)
	}
}

// TestFollowKeepsWhatOnlyARestartChanges: a version whose server section
// differs (another router's own listener) is applied here with this
// router's server section, and the audit says so; a literal secret
// another router wrote, which is stored masked, does not build here.
func TestFollowKeepsWhatOnlyARestartChanges(t *testing.T) {
	ctx := context.Background()
	h := new(store.Memory)
	a := newReplica(t, "a", replicaText+"server: {max_body_bytes: 1000}\n", h)
	b := newReplica(t, "b", replicaText, h)
	if err := a.m.FollowOnce(ctx); err != nil || a.version() != 2 {
		t.Fatalf("a follows b's start: %v, version %d", err, a.version())
	}
	if cfg, _, _ := a.m.Current(); cfg.Server.MaxBodyBytes != 1000 {
		t.Errorf("a's max_body_bytes %d; want its own 1000", cfg.Server.MaxBodyBytes)
	}
	if evs := a.follows(t); len(evs) != 1 || !strings.Contains(evs[0].Detail, "kept this router's own server") {
		t.Errorf("a's audit: %+v", evs)
	}
	literal := strings.Replace(replicaText, "deployments:\n", "  other: {kind: openai, base_url: \"http://127.0.0.1:10/v1\", api_key: sk-literal-SECRET}\ndeployments:\n", 1)
	if _, err := b.m.Apply(ctx, Change{Text: []byte(literal), Actor: "ops", Source: store.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	if err := a.m.FollowOnce(ctx); err != nil || a.version() != 2 {
		t.Fatalf("a applied a version whose secret it lacks: %v, version %d", err, a.version())
	}
	evs := a.follows(t)
	if len(evs) != 2 || evs[0].Outcome != store.AuditFailed || !strings.Contains(evs[0].Detail, "providers.other.api_key") ||
		strings.Contains(evs[0].Detail, "sk-literal-SECRET") {
		t.Errorf("a's audit: %+v", evs)
	}
}

// TestShownSecuritySentBack: a router running a version another router
// stored shows that router's security section; the text sent back as
// shown applies (the file's section stays in force), another section is
// refused, and a rollback to a version of either router applies.
func TestShownSecuritySentBack(t *testing.T) {
	ctx := context.Background()
	h := new(store.Memory)
	wide := strings.Replace(replicaText, "[127.0.0.1]", "[127.0.0.1, api.example.com]", 1)
	a := newReplica(t, "a", wide, h)
	newReplica(t, "b", replicaText, h)
	if err := a.m.FollowOnce(ctx); err != nil || a.version() != 2 {
		t.Fatalf("a follows b's start: %v, version %d", err, a.version())
	}
	_, shown, _ := a.m.Current()
	back := strings.Replace(string(shown), "deployments:\n", "  example: {kind: openai, base_url: \"https://api.example.com/v1\", api_key: \"${OPENAI_KEY}\"}\ndeployments:\n", 1)
	if res, err := a.m.Apply(ctx, Change{Text: []byte(back), Actor: "ops", Source: store.SourceAPI}); err != nil || res.Version != 3 {
		t.Fatalf("the shown text sent back, with a host on a's list: %+v %v", res, err)
	}
	if cfg, _, _ := a.m.Current(); strings.Join(cfg.Security.UpstreamHosts, ",") != "127.0.0.1,api.example.com" {
		t.Errorf("a's allowlist: %v", cfg.Security.UpstreamHosts)
	}
	third := strings.Replace(back, "[127.0.0.1]", "[127.0.0.1, evil.example]", 1)
	if _, err := a.m.Apply(ctx, Change{Text: []byte(third), Actor: "ops", Source: store.SourceAPI}); err == nil ||
		!strings.Contains(err.Error(), "security: differs from the running file's") {
		t.Errorf("a third section: %v", err)
	}
	for _, n := range []int64{1, 2} {
		if res, err := a.m.Rollback(ctx, n, "ops"); err != nil || res.Restores != n {
			t.Errorf("rollback to version %d: %+v %v", n, res, err)
		}
	}
}
