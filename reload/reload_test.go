package reload

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"switchyard/audit"
	"switchyard/config"
	"switchyard/store"
)

const fileText = `providers:
  openai: {kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: sk-SECRET-one}
deployments:
  gpt-4o-mini: {provider: openai}
`

// fakeTarget records what a Manager prepares, commits and discards.
type fakeTarget struct {
	mu                   sync.Mutex
	committed, discarded []*config.Config
}

type fakePrepared struct {
	t   *fakeTarget
	cfg *config.Config
}

func (p fakePrepared) Commit() {
	p.t.mu.Lock()
	defer p.t.mu.Unlock()
	p.t.committed = append(p.t.committed, p.cfg)
}

func (p fakePrepared) Discard() {
	p.t.mu.Lock()
	defer p.t.mu.Unlock()
	p.t.discarded = append(p.t.discarded, p.cfg)
}

func (t *fakeTarget) prepare(cfg *config.Config) (Prepared, error) { return fakePrepared{t, cfg}, nil }

// newManager writes text to a file and starts a Manager on it with h.
func newManager(t *testing.T, text string, h store.ConfigHistory) (*Manager, *fakeTarget, *store.Memory, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "switchyard.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := new(store.Memory)
	trail := audit.New(log, audit.Options{})
	t.Cleanup(func() { trail.Close(context.Background()) })
	target := &fakeTarget{}
	m := New(Options{Path: path, Getenv: func(string) (string, bool) { return "", false }, History: h, Trail: trail, Prepare: target.prepare})
	if _, err := m.Start(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return m, target, log, path
}

func TestStartReusesTheStoredVersion(t *testing.T) {
	h := new(store.Memory)
	m, _, _, _ := newManager(t, fileText, h)
	if _, text, v := m.Current(); v != 1 || strings.Contains(string(text), "sk-SECRET") {
		t.Fatalf("first start: version %d, text %s", v, text)
	}
	again, _, _, _ := newManager(t, fileText, h)
	if _, _, v := again.Current(); v != 1 {
		t.Errorf("a start with the same text: version %d; want 1 again", v)
	}
	other, _, log, _ := newManager(t, strings.Replace(fileText, "gpt-4o-mini: {", "gpt-4o: {provider: openai}\n  gpt-4o-mini: {", 1), h)
	if _, _, v := other.Current(); v != 2 {
		t.Errorf("a start with another text: version %d; want 2", v)
	}
	v2, err := h.ConfigVersion(context.Background(), 2)
	if err != nil || v2.Source != store.SourceStart || v2.Base != 1 || !strings.Contains(v2.Diff, "+  gpt-4o: {provider: openai}") {
		t.Errorf("version 2: %+v %v", v2, err)
	}
	p, _ := log.ListAudit(context.Background(), store.AllTenants(), store.AuditFilter{})
	if len(p.Events) != 1 || p.Events[0].Action != "config.start" {
		t.Errorf("audit of the start: %+v", p.Events)
	}
}

// failingHistory fails to append.
type failingHistory struct{ store.Memory }

func (*failingHistory) AppendConfigVersion(context.Context, store.ConfigVersion) (int64, error) {
	return 0, errors.New("database is locked")
}

// TestStoreFailureChangesNothing: a version that cannot be stored is not
// applied: what was built is discarded and the running one stays.
func TestStoreFailureChangesNothing(t *testing.T) {
	h := &failingHistory{}
	m, target, log, _ := newManager(t, fileText, h)
	if _, _, v := m.Current(); v != 0 {
		t.Fatalf("a start whose version cannot be stored: version %d; want 0", v)
	}
	_, err := m.Apply(context.Background(), Change{Text: []byte(strings.Replace(fileText, "sk-SECRET-one", "sk-SECRET-two", 1)), Actor: "ops", Source: store.SourceAPI})
	if err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Fatalf("Apply = %v", err)
	}
	if len(target.committed) != 0 || len(target.discarded) != 1 {
		t.Errorf("committed %d, discarded %d; want 0 and 1", len(target.committed), len(target.discarded))
	}
	if cfg, _, _ := m.Current(); cfg.Providers["openai"].APIKey != "sk-SECRET-one" {
		t.Error("the running configuration changed")
	}
	p, _ := log.ListAudit(context.Background(), store.AllTenants(), store.AuditFilter{Action: "config.update"})
	if len(p.Events) != 1 || p.Events[0].Outcome != store.AuditFailed {
		t.Errorf("audit: %+v", p.Events)
	}
}

// TestRollbackKeepsTheCurrentSecrets: a version's masked secrets are
// never stored, so a rollback restores the rest of it and keeps the
// secrets the router runs with.
func TestRollbackKeepsTheCurrentSecrets(t *testing.T) {
	m, target, _, _ := newManager(t, fileText, new(store.Memory))
	ctx := context.Background()
	next := strings.Replace(fileText, "sk-SECRET-one", "sk-SECRET-two", 1) + "routes: {fast: {deployments: [gpt-4o-mini]}}\n"
	res, err := m.Apply(ctx, Change{Text: []byte(next), Actor: "ops", Source: store.SourceAPI})
	if err != nil || res.Version != 2 || strings.Join(res.SecretsChanged, ",") != "providers.openai.api_key" {
		t.Fatalf("Apply: %+v %v", res, err)
	}
	res, err = m.Rollback(ctx, 1, "ops")
	if err != nil || res.Version != 3 || res.Restores != 1 {
		t.Fatalf("Rollback: %+v %v", res, err)
	}
	cfg, _, _ := m.Current()
	if cfg.Routes["fast"] != nil || cfg.Providers["openai"].APIKey != "sk-SECRET-two" {
		t.Errorf("after the rollback: routes %v, key kept %v", cfg.RouteNames(), cfg.Providers["openai"].APIKey == "sk-SECRET-two")
	}
	if len(target.committed) != 2 {
		t.Errorf("%d commits; want 2", len(target.committed))
	}
	if _, err := m.Rollback(ctx, 9, "ops"); !errors.Is(err, store.ErrVersionNotFound) {
		t.Errorf("Rollback(9) = %v", err)
	}
}

// TestReloadRefusesAMaskInTheFile: the file holds its secrets; a mask
// there (copied from GET /admin/config) is refused.
func TestReloadRefusesAMaskInTheFile(t *testing.T) {
	m, _, _, path := newManager(t, fileText, new(store.Memory))
	masked, err := config.MaskSecrets([]byte(fileText))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, masked, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = m.ReloadFile(context.Background())
	var inv *Invalid
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "providers.openai.api_key: is masked") {
		t.Errorf("ReloadFile of a masked file: %v", err)
	}
}

// TestErrorsMaskCredentialsNotHosts: a refused configuration's errors
// mask a key pasted where a name belongs and the running credentials, but
// keep the IP addresses and emails a configuration's errors must name.
func TestErrorsMaskCredentialsNotHosts(t *testing.T) {
	m, _, _, _ := newManager(t, fileText, new(store.Memory))
	errs := m.redacted(config.Errors{
		{Path: "providers.x.kind", Problem: `unknown kind "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f"`},
		{Path: "routes.r.deployments[0]", Problem: `deployment "sk-SECRET-one" is not configured`},
		{Path: "providers.y.base_url", Problem: `host "10.0.0.5" (port 8000) is not in security.upstream_hosts`, Hint: "ask ops@example.com"},
	})
	want := []string{`unknown kind "[REDACTED:api_key]"`, `deployment "[REDACTED:secret]" is not configured`,
		`host "10.0.0.5" (port 8000) is not in security.upstream_hosts`}
	for i, e := range errs {
		if e.Problem != want[i] {
			t.Errorf("error %d: %q; want %q", i, e.Problem, want[i])
		}
	}
	if errs[2].Hint != "ask ops@example.com" {
		t.Errorf("hint %q", errs[2].Hint)
	}
}
