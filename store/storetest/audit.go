package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"switchyard/store"
)

// History is what RunHistory tests: the audit trail and the
// configuration versions, which a store.Store and a store.Memory keep.
type History interface {
	store.AuditLog
	store.ConfigHistory
	store.HistoryPruner
}

// RunHistory runs the audit trail's and the configuration versions'
// part of the suite (Run runs it too); open returns a new, empty one for
// each subtest.
func RunHistory(t *testing.T, open func(t *testing.T) History) {
	for _, tt := range historyTests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var historyTests = []struct {
	name string
	fn   func(*testing.T, History)
}{
	{"AuditRoundTrip", testAuditRoundTrip},
	{"AuditTenantScope", testAuditScope},
	{"AuditFilters", testAuditFilters},
	{"AuditPagination", testAuditPagination},
	{"AuditBadQueries", testAuditBadQueries},
	{"AuditLongText", testAuditLongText},
	{"ConfigVersions", testConfigVersions},
	{"ConfigVersionsConcurrent", testConfigVersionsConcurrent},
	{"Prune", testPrune},
}

func appendAudit(t *testing.T, s History, events ...store.AuditEvent) {
	t.Helper()
	for _, e := range events {
		if err := s.AppendAudit(context.Background(), e); err != nil {
			t.Fatalf("AppendAudit(%+v): %v", e, err)
		}
	}
}

func listAudit(t *testing.T, s History, scope store.Scope, f store.AuditFilter) store.AuditPage {
	t.Helper()
	p, err := s.ListAudit(context.Background(), scope, f)
	if err != nil {
		t.Fatalf("ListAudit(%+v, %+v): %v", scope, f, err)
	}
	return p
}

func actions(events []store.AuditEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Action
	}
	return out
}

// auditEvent returns an event of tenant acme at Base plus i seconds.
func auditEvent(i int, action string) store.AuditEvent {
	return store.AuditEvent{Time: Base.Add(time.Duration(i) * time.Second), Actor: "ops", Tenant: "acme", Action: action,
		Target: "PUT /admin/config", Detail: fmt.Sprintf("event %d", i), Outcome: store.AuditOK}
}

// testAuditRoundTrip: every field reads back, newest first, with ids in
// the order of appending; a zero time is the time of appending.
func testAuditRoundTrip(t *testing.T, s History) {
	full := store.AuditEvent{Time: Base.Add(123 * time.Nanosecond), Actor: "ops-admin", Tenant: "acme", Action: "config.update",
		Target: "config version 7", Detail: "version 7 (from 6): +3 −1 lines; ünïcode", Outcome: store.AuditRefused}
	before := time.Now().Add(-time.Second)
	appendAudit(t, s, full, store.AuditEvent{Actor: "anonymous", Action: "auth.failed", Outcome: store.AuditDenied})
	p := listAudit(t, s, store.AllTenants(), store.AuditFilter{})
	if len(p.Events) != 2 || p.Next != "" {
		t.Fatalf("got %d events, next %q; want 2, none", len(p.Events), p.Next)
	}
	newest, got := p.Events[0], p.Events[1]
	if newest.ID <= got.ID {
		t.Errorf("ids %d then %d: want newest first", newest.ID, got.ID)
	}
	if newest.Time.Before(before) || newest.Time.After(time.Now().Add(time.Second)) || newest.Time.Location() != time.UTC {
		t.Errorf("zero time stored as %v; want now, UTC", newest.Time)
	}
	full.ID = got.ID
	if got != full {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, full)
	}
}

// testAuditScope: a tenant sees its own events only; the events of no
// tenant only the unscoped.
func testAuditScope(t *testing.T, s History) {
	a, b, none := auditEvent(1, "key.create"), auditEvent(2, "key.revoke"), auditEvent(3, "config.update")
	b.Tenant, none.Tenant = "globex", ""
	appendAudit(t, s, a, b, none)
	for _, tc := range []struct {
		scope store.Scope
		want  []string
	}{
		{store.AllTenants(), []string{"config.update", "key.revoke", "key.create"}},
		{store.TenantScope("acme"), []string{"key.create"}},
		{store.TenantScope("globex"), []string{"key.revoke"}},
		{store.TenantScope(""), []string{"config.update"}},
		{store.TenantScope("initech"), nil},
	} {
		if got := actions(listAudit(t, s, tc.scope, store.AuditFilter{}).Events); !slices.Equal(got, tc.want) {
			t.Errorf("scope %+v: %v; want %v", tc.scope, got, tc.want)
		}
	}
}

// testAuditFilters: by action (exact or a prefix, whose _ and % are not
// wildcards), actor and time.
func testAuditFilters(t *testing.T, s History) {
	events := []store.AuditEvent{
		auditEvent(0, "config.update"), auditEvent(1, "config.rollback"), auditEvent(2, "configx.update"),
		auditEvent(3, "a_b.x"), auditEvent(4, "axb.y"), auditEvent(5, "a%b.z"), auditEvent(6, "config"),
	}
	events[1].Actor = "other"
	appendAudit(t, s, events...)
	for _, tc := range []struct {
		f    store.AuditFilter
		want []string
	}{
		{store.AuditFilter{Action: "config.update"}, []string{"config.update"}},
		{store.AuditFilter{Action: "config.*"}, []string{"config.rollback", "config.update"}},
		{store.AuditFilter{Action: "a_b.*"}, []string{"a_b.x"}},
		{store.AuditFilter{Action: "a%b.*"}, []string{"a%b.z"}},
		{store.AuditFilter{Actor: "other"}, []string{"config.rollback"}},
		{store.AuditFilter{Since: Base.Add(4 * time.Second), Until: Base.Add(6 * time.Second)}, []string{"a%b.z", "axb.y"}},
		{store.AuditFilter{Action: "config.*", Actor: "ops"}, []string{"config.update"}},
	} {
		if got := actions(listAudit(t, s, store.AllTenants(), tc.f).Events); !slices.Equal(got, tc.want) {
			t.Errorf("filter %+v: %v; want %v", tc.f, got, tc.want)
		}
	}
}

// testAuditPagination: pages of the limit, newest first, whose cursors
// are not moved by events appended meanwhile.
func testAuditPagination(t *testing.T, s History) {
	for i := range 7 {
		appendAudit(t, s, auditEvent(i, fmt.Sprintf("x.%d", i)))
	}
	var got []string
	f := store.AuditFilter{Limit: 3}
	for pages := 0; ; pages++ {
		p := listAudit(t, s, store.TenantScope("acme"), f)
		got = append(got, actions(p.Events)...)
		if pages == 0 {
			appendAudit(t, s, auditEvent(9, "x.new"))
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	if want := []string{"x.6", "x.5", "x.4", "x.3", "x.2", "x.1", "x.0"}; !slices.Equal(got, want) {
		t.Errorf("pages: %v; want %v", got, want)
	}
}

func testAuditBadQueries(t *testing.T, s History) {
	ctx := context.Background()
	if err := s.AppendAudit(ctx, store.AuditEvent{Actor: "x", Outcome: store.AuditOK}); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("AppendAudit without an action: %v; want ErrBadQuery", err)
	}
	for _, f := range []store.AuditFilter{
		{Action: "con*fig"}, {Action: "config*"}, {Limit: -1}, {Since: Base, Until: Base.Add(-time.Second)},
	} {
		if _, err := s.ListAudit(ctx, store.AllTenants(), f); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("ListAudit(%+v): %v; want ErrBadQuery", f, err)
		}
	}
	for _, c := range []string{"x", store.Cursor{Time: Base, ID: "req_1"}.Encode(), store.EncodeAuditCursor(0)} {
		if _, err := s.ListAudit(ctx, store.AllTenants(), store.AuditFilter{Cursor: c}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("ListAudit(cursor %q): %v; want ErrBadCursor", c, err)
		}
	}
}

// testAuditLongText: a long target and detail are cut at a character
// boundary, to their bounds.
func testAuditLongText(t *testing.T, s History) {
	e := auditEvent(0, "config.update")
	e.Target, e.Detail = strings.Repeat("é", store.MaxAuditTarget), strings.Repeat("€", store.MaxAuditDetail)
	appendAudit(t, s, e)
	got := listAudit(t, s, store.AllTenants(), store.AuditFilter{}).Events[0]
	for _, f := range []struct {
		name string
		v    string
		max  int
	}{{"target", got.Target, store.MaxAuditTarget}, {"detail", got.Detail, store.MaxAuditDetail}} {
		if len(f.v) > f.max || len(f.v) < f.max-3 || !utf8.ValidString(f.v) {
			t.Errorf("%s: %d bytes, valid UTF-8 %v; want at most %d, whole characters", f.name, len(f.v), utf8.ValidString(f.v), f.max)
		}
	}
}

// testConfigVersions: versions are numbered from 1; one reads back whole,
// a listing is newest first without the texts.
func testConfigVersions(t *testing.T, s History) {
	ctx := context.Background()
	if vs, err := s.ConfigVersions(ctx, 0, 0); err != nil || len(vs) != 0 {
		t.Fatalf("ConfigVersions of nothing: %v, %v", vs, err)
	}
	if _, err := s.ConfigVersion(ctx, 1); !errors.Is(err, store.ErrVersionNotFound) {
		t.Fatalf("ConfigVersion(1) of nothing: %v; want ErrVersionNotFound", err)
	}
	sources := []string{store.SourceStart, store.SourceAPI, store.SourceFile}
	for i, src := range sources {
		v := store.ConfigVersion{Time: Base.Add(time.Duration(i) * time.Minute), Actor: "ops", Source: src, Base: int64(i),
			YAML: fmt.Sprintf("# v%d\nroutes: {}\n", i+1), Diff: fmt.Sprintf("@@ %d @@", i)}
		if i == 2 {
			v.Restores = 1
		}
		n, err := s.AppendConfigVersion(ctx, v)
		if err != nil || n != int64(i+1) {
			t.Fatalf("AppendConfigVersion %d: %d, %v", i, n, err)
		}
	}
	got, err := s.ConfigVersion(ctx, 3)
	want := store.ConfigVersion{Version: 3, Time: Base.Add(2 * time.Minute), Actor: "ops", Source: store.SourceFile, Restores: 1, Base: 2,
		YAML: "# v3\nroutes: {}\n", Diff: "@@ 2 @@"}
	if err != nil || got != want {
		t.Errorf("ConfigVersion(3) = %+v, %v;\nwant %+v", got, err, want)
	}
	list, err := s.ConfigVersions(ctx, 0, 2)
	if err != nil || len(list) != 2 || list[0].Version != 3 || list[1].Version != 2 || list[0].YAML != "" || list[0].Diff != "" ||
		list[1].Source != store.SourceAPI || !list[1].Time.Equal(Base.Add(time.Minute)) {
		t.Errorf("ConfigVersions(0, 2) = %+v, %v", list, err)
	}
	if list, err := s.ConfigVersions(ctx, 2, 0); err != nil || len(list) != 1 || list[0].Version != 1 {
		t.Errorf("ConfigVersions(2, 0) = %+v, %v; want version 1", list, err)
	}
	if _, err := s.ConfigVersions(ctx, 0, -1); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("ConfigVersions(limit -1): %v; want ErrBadQuery", err)
	}
}

// testConfigVersionsConcurrent: versions appended at once all get
// numbers of their own.
func testConfigVersionsConcurrent(t *testing.T, s History) {
	const n = 8
	nums := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			nums[i], errs[i] = s.AppendConfigVersion(context.Background(), store.ConfigVersion{Actor: "ops", Source: store.SourceAPI, YAML: "x: 1\n"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("AppendConfigVersion: %v", err)
		}
	}
	slices.Sort(nums)
	for i, v := range nums {
		if v != int64(i+1) {
			t.Fatalf("versions %v; want 1..%d", nums, n)
		}
	}
}
