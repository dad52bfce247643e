package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// TestAuditRetentionFollowsTheConfiguration: the router prunes the audit
// events older than audit.retention from its store, and a retention
// changed through the API (to forever) applies at the next run.
func TestAuditRetentionFollowsTheConfiguration(t *testing.T) {
	a := newAdminRig(t, adminConfig+"audit: {retention: 30d, keep_versions: 2}\n", nil)
	ctx := context.Background()
	seed := func() {
		for _, age := range []time.Duration{60 * 24 * time.Hour, 40 * 24 * time.Hour, time.Hour} {
			if err := a.store.AppendAudit(ctx, store.AuditEvent{Time: time.Now().Add(-age), Actor: "ops", Action: "key.create",
				Target: "seeded", Outcome: store.AuditOK}); err != nil {
				t.Fatal(err)
			}
		}
	}
	seeded := func() int {
		n := 0
		for _, e := range a.audit() {
			if e.Target == "seeded" {
				n++
			}
		}
		return n
	}
	seed()
	// The router's own pruner runs once at start, on a goroutine of its
	// own, and may delete some of the seeded events first: judge what
	// is left, not what this call counted.
	if events, _, err := a.r.pruner.Prune(ctx); err != nil || events > 2 {
		t.Fatalf("Prune under 30d: %d events, %v; want at most the 2 older ones", events, err)
	}
	if n := seeded(); n != 1 {
		t.Errorf("%d seeded events left; want 1 (the two older than 30d deleted)", n)
	}
	forever := strings.Replace(a.running().YAML, "retention: 30d", "retention: forever", 1)
	if status, body := a.put("", forever); status != 200 {
		t.Fatalf("PUT retention: forever: %d %s", status, body)
	}
	seed()
	if events, versions, err := a.r.pruner.Prune(ctx); err != nil || events != 0 || versions != 0 {
		t.Errorf("Prune under forever: %d events, %d versions, %v; want nothing", events, versions, err)
	}
	if n := seeded(); n != 4 {
		t.Errorf("%d seeded events left; want 4", n)
	}
}
