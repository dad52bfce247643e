package reload

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// TestAPICannotShortenTheAuditTrail: the admin API (a change, a dry run,
// a rollback) may not keep the audit trail or the configuration versions
// for less than the running configuration does — an admin key could
// otherwise erase the trail of what it did at the next pruning; the file
// (SIGHUP, a restart) can. Lengthening it is a change like any other.
func TestAPICannotShortenTheAuditTrail(t *testing.T) {
	ctx := context.Background()
	withAudit := func(section string) []byte { return []byte(fileText + section) }
	m, _, log, path := newManager(t, string(withAudit("audit: {retention: 90d, keep_versions: 20}\n")), new(store.Memory))
	for _, tt := range []struct{ section, field string }{
		{"audit: {retention: 1s, keep_versions: 20}\n", "audit.retention"},
		{"audit: {retention: 89d, keep_versions: 20}\n", "audit.retention"},
		{"audit: {retention: 90d, keep_versions: 1}\n", "audit.keep_versions"},
	} {
		_, err := m.Apply(ctx, Change{Text: withAudit(tt.section), Actor: "ops", Source: store.SourceAPI})
		var inv *Invalid
		if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.field+": ") {
			t.Errorf("PUT %q: %v; want a refusal naming %s", tt.section, err, tt.field)
		}
		if _, err := m.DryRun(ctx, Change{Text: withAudit(tt.section)}, 0); !errors.As(err, &inv) {
			t.Errorf("dry run of %q: %v; want the same refusal", tt.section, err)
		}
	}
	if cfg, _, v := m.Current(); v != 1 || cfg.Audit.Retention != 90*24*time.Hour {
		t.Fatalf("after the refusals: version %d, retention %v", v, cfg.Audit.Retention)
	}
	p, _ := log.ListAudit(ctx, store.AllTenants(), store.AuditFilter{Action: "config.update"})
	if len(p.Events) != 3 || p.Events[0].Outcome != store.AuditRefused {
		t.Errorf("the refusals' audit: %+v", p.Events)
	}
	// Longer, or forever: applied.
	for i, section := range []string{"audit: {retention: 180d, keep_versions: 50}\n", "audit: {retention: forever, keep_versions: 50}\n"} {
		if res, err := m.Apply(ctx, Change{Text: withAudit(section), Actor: "ops", Source: store.SourceAPI}); err != nil || res.Version != int64(i+2) {
			t.Fatalf("PUT %q: %+v %v", section, res, err)
		}
	}
	// A rollback to version 1 (90d) would shorten it: refused.
	if _, err := m.Rollback(ctx, 1, "ops"); err == nil || !strings.Contains(err.Error(), "audit.retention: ") {
		t.Errorf("Rollback to a shorter retention: %v", err)
	}
	// The file may.
	if err := os.WriteFile(path, withAudit("audit: {retention: 1h, keep_versions: 1}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := m.ReloadFile(ctx); err != nil {
		t.Fatalf("ReloadFile: %v", err)
	}
	if cfg, _, _ := m.Current(); cfg.Audit.Retention != time.Hour || cfg.Audit.KeepVersions != 1 {
		t.Errorf("after the file's change: %+v", cfg.Audit)
	}
}
