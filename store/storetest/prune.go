package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchyard/store"
)

// testPrune: the audit events older than the retention are deleted,
// the newer kept; the configuration versions older than it are deleted
// but the newest ones kept, whatever their age, and the numbering goes on
// after the newest.
func testPrune(t *testing.T, s History) {
	ctx := context.Background()
	for i := range 6 {
		appendAudit(t, s, store.AuditEvent{Time: Base.Add(time.Duration(i) * time.Hour), Actor: "ops", Action: "config.update",
			Target: fmt.Sprint(i), Outcome: store.AuditOK})
		if _, err := s.AppendConfigVersion(ctx, store.ConfigVersion{Time: Base.Add(time.Duration(i) * time.Hour), Actor: "ops",
			Source: store.SourceAPI, YAML: fmt.Sprintf("# v%d\n", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	cut := Base.Add(3 * time.Hour) // events and versions 0, 1, 2 are older
	if n, err := s.PruneAudit(ctx, cut); err != nil || n != 3 {
		t.Fatalf("PruneAudit = %d, %v; want 3", n, err)
	}
	p := listAudit(t, s, store.AllTenants(), store.AuditFilter{})
	if len(p.Events) != 3 || p.Events[2].Target != "3" {
		t.Errorf("events left: %+v", p.Events)
	}
	// Keeping the 5 newest leaves version 1 alone to delete.
	if n, err := s.PruneConfigVersions(ctx, cut, 5); err != nil || n != 1 {
		t.Fatalf("PruneConfigVersions(keep 5) = %d, %v; want 1", n, err)
	}
	if n, err := s.PruneConfigVersions(ctx, cut, 1); err != nil || n != 2 {
		t.Fatalf("PruneConfigVersions(keep 1) = %d, %v; want 2", n, err)
	}
	vs, err := s.ConfigVersions(ctx, 0, 0)
	if err != nil || len(vs) != 3 || vs[2].Version != 4 {
		t.Errorf("versions left: %+v, %v; want 6, 5, 4", vs, err)
	}
	if _, err := s.ConfigVersion(ctx, 2); err == nil {
		t.Error("version 2 still readable")
	}
	// Everything old: the newest is kept, and the next number follows it.
	if n, err := s.PruneConfigVersions(ctx, Base.Add(24*time.Hour), 0); err != nil || n != 2 {
		t.Fatalf("PruneConfigVersions(keep 0) = %d, %v; want 2 (the newest kept)", n, err)
	}
	if v, err := s.AppendConfigVersion(ctx, store.ConfigVersion{Actor: "ops", Source: store.SourceAPI, YAML: "# v7\n"}); err != nil || v != 7 {
		t.Errorf("the version after pruning: %d, %v; want 7", v, err)
	}
}
