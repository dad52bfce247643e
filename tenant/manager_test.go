package tenant

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
)

// auditLog is an Auditor that keeps what it is told.
type auditLog struct {
	mu     sync.Mutex
	events []store.AuditEvent
}

func (a *auditLog) Record(_ context.Context, e store.AuditEvent) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = append(a.events, e)
	return nil
}

func wantCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	var e *llm.Error
	if !errors.As(err, &e) || e.HTTPStatus() != status || e.Code != code {
		t.Fatalf("err = %v, want %d %s", err, status, code)
	}
}

func TestManagerCreateListAudit(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	audit := &auditLog{}
	m := &Manager{Store: openStore(t), Config: fixed(testConfig(t)), Auditor: audit, Now: c.Now}
	exp := c.Now().Add(30 * 24 * time.Hour)
	cr, err := m.Create(ctx, CLI, Spec{Name: "bot", Tenant: "acme", Routes: []string{"support"}, Deployments: []string{"d1"},
		Overrides: []string{"category"}, Limits: config.Limits{RPM: 60, TPM: 1000, MaxConcurrent: 2}, Expires: exp})
	if err != nil {
		t.Fatal(err)
	}
	r := cr.Record
	if r.Tenant != "acme" || r.RPM != 60 || r.MaxConcurrent != 2 || !r.Expires.Equal(exp) || r.CreatedBy != "cli" || string(r.Hash) != string(Hash(cr.Key)) {
		t.Errorf("record = %+v", r)
	}
	list, err := m.List(ctx, CLI)
	if err != nil || len(list) != 1 || list[0].ID != r.ID {
		t.Fatalf("List = %v, %v", list, err)
	}
	if len(audit.events) != 1 {
		t.Fatalf("audit = %+v, want one event", audit.events)
	}
	ev := audit.events[0]
	if ev.Action != ActionKeyCreate || ev.Actor != "cli" || ev.Target != r.ID || ev.Tenant != "acme" || ev.Outcome != store.AuditOK || !strings.Contains(ev.Detail, "bot") {
		t.Errorf("audit event = %+v", ev)
	}
	if strings.Contains(fmt.Sprintf("%+v", audit.events), cr.Key[len(KeyPrefix)+IDLen+1:]) {
		t.Error("the audit log holds the key's secret")
	}
}

func TestManagerRefusesBadSpecs(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	m := &Manager{Store: openStore(t), Config: fixed(testConfig(t)), Now: c.Now}
	for name, spec := range map[string]Spec{
		"no tenant":           {Name: "x"},
		"bad name":            {Name: "a b", Tenant: "acme"},
		"name like a key":     {Name: "sy-abc", Tenant: "acme"},
		"unknown route":       {Tenant: "acme", Routes: []string{"suport"}},
		"route twice":         {Tenant: "acme", Routes: []string{"auto", "auto"}},
		"unknown deployment":  {Tenant: "acme", Deployments: []string{"d9"}},
		"unknown override":    {Tenant: "acme", Overrides: []string{"models"}},
		"negative rpm":        {Tenant: "acme", Limits: config.Limits{RPM: -1}},
		"past expiry":         {Tenant: "acme", Expires: c.Now().Add(-time.Second)},
		"unknown role":        {Role: "root"},
		"admin key w/ limits": {Role: config.RoleViewer, Limits: config.Limits{RPM: 5}},
	} {
		_, err := m.Create(ctx, CLI, spec)
		var e *llm.Error
		if !errors.As(err, &e) || e.HTTPStatus() != 400 || e.Param == "" {
			t.Errorf("%s: %v, want a 400 naming the field", name, err)
		}
	}
	if ks, _ := m.List(ctx, CLI); len(ks) != 0 {
		t.Errorf("refused specs stored %d keys", len(ks))
	}
}

// TestManagerTenantScopeAndRoles: an admin key scoped to a tenant manages
// only its tenant's keys; a viewer lists but changes nothing; nobody makes
// or touches a key of a role above its own.
func TestManagerTenantScopeAndRoles(t *testing.T) {
	ctx := context.Background()
	m := &Manager{Store: openStore(t), Config: fixed(testConfig(t))}
	acmeOp := Actor{Name: "acme-ops", Role: config.RoleOperator, Tenant: "acme"}
	viewer := Actor{Name: "v", Role: config.RoleViewer}
	globexKey, err := m.Create(ctx, CLI, Spec{Tenant: "globex"})
	if err != nil {
		t.Fatal(err)
	}
	adminKey, err := m.Create(ctx, CLI, Spec{Role: config.RoleAdmin, Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := m.Create(ctx, acmeOp, Spec{Name: "web"}) // the tenant defaults to the actor's
	if err != nil || mine.Record.Tenant != "acme" || mine.Record.CreatedBy != "acme-ops" {
		t.Fatalf("a scoped operator's key = %+v, %v", mine, err)
	}
	_, err = m.Create(ctx, acmeOp, Spec{Tenant: "globex"})
	wantCode(t, err, 403, CodeTenantMismatch)
	_, err = m.Create(ctx, acmeOp, Spec{Role: config.RoleAdmin})
	wantCode(t, err, 403, CodeRoleNotAllowed)
	if ks, _ := m.List(ctx, acmeOp); len(ks) != 2 || ks[0].Tenant != "acme" || ks[1].Tenant != "acme" {
		t.Errorf("acme's operator lists %d keys, want acme's 2", len(ks))
	}
	_, err = m.Revoke(ctx, acmeOp, globexKey.Record.ID)
	wantCode(t, err, 404, CodeKeyNotFound)
	_, err = m.Rotate(ctx, acmeOp, globexKey.Record.ID, time.Hour)
	wantCode(t, err, 404, CodeKeyNotFound)
	_, err = m.Revoke(ctx, acmeOp, adminKey.Record.ID)
	wantCode(t, err, 403, CodeRoleNotAllowed)
	_, err = m.Create(ctx, viewer, Spec{Tenant: "acme"})
	wantCode(t, err, 403, CodeRoleNotAllowed)
	_, err = m.Revoke(ctx, viewer, mine.Record.ID)
	wantCode(t, err, 403, CodeRoleNotAllowed)
	if ks, err := m.List(ctx, viewer); err != nil || len(ks) != 3 {
		t.Errorf("a viewer of every tenant lists %d keys, %v; want 3", len(ks), err)
	}
	if k, _ := m.Store.GetKey(ctx, store.AllTenants(), globexKey.Record.ID); !k.Revoked.IsZero() || k.RotatedTo != "" {
		t.Error("globex's key was changed by acme's operator")
	}
}

func TestManagerRevokeRotate(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	audit := &auditLog{}
	m := &Manager{Store: openStore(t), Auditor: audit, Now: c.Now}
	k, _ := m.Create(ctx, CLI, Spec{Name: "bot", Tenant: "acme", Limits: config.Limits{RPM: 7}})
	next, err := m.Rotate(ctx, CLI, k.Record.ID, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if next.Key == k.Key || next.Record.Name != "bot" || next.Record.RPM != 7 || next.Record.Tenant != "acme" {
		t.Errorf("rotated key = %+v", next.Record)
	}
	_, err = m.Rotate(ctx, CLI, k.Record.ID, time.Hour)
	wantCode(t, err, 409, CodeKeyInactive)
	_, err = m.Rotate(ctx, CLI, next.Record.ID, -time.Second)
	wantCode(t, err, 400, "invalid_key_spec")
	rec, err := m.Revoke(ctx, CLI, next.Record.ID)
	if err != nil || rec.Revoked.IsZero() {
		t.Fatalf("Revoke = %+v, %v", rec, err)
	}
	if _, err := m.Revoke(ctx, CLI, next.Record.ID); err != nil {
		t.Errorf("revoking again: %v", err)
	}
	_, err = m.Revoke(ctx, CLI, "abcdefghjkmn")
	wantCode(t, err, 404, CodeKeyNotFound)
	var actions []string
	for _, e := range audit.events {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "key.create,key.rotate,key.revoke" {
		t.Errorf("audited %v; want create, rotate, revoke (a second revoke changes nothing)", actions)
	}
	if d := audit.events[1].Detail; !strings.Contains(d, next.Record.ID) {
		t.Errorf("the rotation's detail %q does not name the new key", d)
	}
}

func TestManagerWithoutStore(t *testing.T) {
	var m *Manager
	_, err := m.Create(context.Background(), CLI, Spec{Tenant: "acme"})
	wantCode(t, err, 404, CodeKeysOff)
}
