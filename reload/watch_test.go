package reload

import (
	"context"
	"os"
	"strings"
	"testing"

	"switchyard/store"
)

// TestWatchWaitsForTheFileToSettle: a watch applies a change only once
// the file's bytes stayed the same from one check to the next, so that a
// file caught half written (an editor or a deploy tool writing it in
// pieces) is never applied, though its first half validates alone.
func TestWatchWaitsForTheFileToSettle(t *testing.T) {
	ctx := context.Background()
	m, _, _, path := newManager(t, fileText, new(store.Memory))
	full := fileText + "  gpt-4o: {provider: openai}\nroutes:\n  auto: {deployments: [gpt-4o-mini, gpt-4o]}\n"
	half := full[:strings.Index(full, "routes:")]
	w := &watcher{m: m}
	for i, step := range []struct {
		text    string
		version int64
	}{
		{half, 1}, // just seen: maybe half written
		{full, 1}, // changed since: still being written
		{full, 2}, // the same as at the last check: applied
		{full, 2},
	} {
		if err := os.WriteFile(path, []byte(step.text), 0o600); err != nil {
			t.Fatal(err)
		}
		w.check(ctx)
		if _, _, v := m.Current(); v != step.version {
			t.Fatalf("check %d: version %d, want %d", i, v, step.version)
		}
	}
	if cfg, _, _ := m.Current(); cfg.Routes["auto"] == nil || len(cfg.Deployments) != 2 {
		t.Errorf("applied: routes %v, deployments %d; want the whole file", cfg.Routes, len(cfg.Deployments))
	}
}

// TestWatchDoesNotRefuseWhatSIGHUPRefused: a bad file a reload (SIGHUP)
// refused is not refused again by the watch, which waits for the next
// change of the file.
func TestWatchDoesNotRefuseWhatSIGHUPRefused(t *testing.T) {
	ctx := context.Background()
	m, _, log, path := newManager(t, fileText, new(store.Memory))
	if err := os.WriteFile(path, []byte("providers: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := m.ReloadFile(ctx); err == nil {
		t.Fatal("a bad file was applied")
	}
	w := &watcher{m: m}
	w.check(ctx)
	w.check(ctx)
	p, err := log.ListAudit(ctx, store.AllTenants(), store.AuditFilter{Action: "config.reload"})
	if err != nil || len(p.Events) != 1 || p.Events[0].Outcome != store.AuditRefused {
		t.Errorf("reloads audited: %+v %v; want the one refusal", p.Events, err)
	}
}
