package reload

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

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

// TestFileReloadsAreCounted: a reload of the file that is refused (or
// cannot read the file) shows in the metrics as well as in the log and
// the audit trail, so that an alert sees a router left on its old
// configuration by a bad file: switchyard_config_reloads_total by
// outcome, and switchyard_config_last_reload_successful.
func TestFileReloadsAreCounted(t *testing.T) {
	ctx := context.Background()
	r := newReplica(t, "a", fileText, new(store.Memory))
	if got := gathered(t, r.reg, "switchyard_config_last_reload_successful", ""); got != 1 {
		t.Errorf("at start: last_reload_successful = %v, want 1", got)
	}
	path := r.m.opts.Path
	steps := []struct {
		text              string // "" removes the file
		outcome           string
		ok, refused, last float64
	}{
		{"providers: [\n", "refused", 0, 1, 0},
		{"", "refused", 0, 2, 0},
		{fileText + "routes: {auto: {deployments: [gpt-4o-mini]}}\n", "ok", 1, 2, 1},
	}
	for i, s := range steps {
		if s.text == "" {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(path, []byte(s.text), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := r.m.ReloadFile(ctx)
		if (err == nil) != (s.outcome == "ok") {
			t.Fatalf("step %d: ReloadFile: %v", i, err)
		}
		ok := gathered(t, r.reg, "switchyard_config_reloads_total", "ok")
		refused := gathered(t, r.reg, "switchyard_config_reloads_total", "refused")
		last := gathered(t, r.reg, "switchyard_config_last_reload_successful", "")
		if ok != s.ok || refused != s.refused || last != s.last {
			t.Errorf("step %d: ok %v refused %v last %v; want %v %v %v", i, ok, refused, last, s.ok, s.refused, s.last)
		}
	}
}

// gathered returns the value of the metric name in reg (its series with
// label outcome when outcome is not empty); -1 when there is none.
func gathered(t *testing.T, reg *prometheus.Registry, name, outcome string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			labeled := outcome == ""
			for _, l := range m.GetLabel() {
				labeled = labeled || l.GetName() == "outcome" && l.GetValue() == outcome
			}
			if !labeled {
				continue
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
		return 0
	}
	return -1
}
