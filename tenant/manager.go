package tenant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
)

// Error codes of key management.
const (
	CodeKeyNotFound    = "key_not_found"
	CodeKeyInactive    = "key_inactive"
	CodeKeysOff        = "keys_off"
	CodeRoleNotAllowed = "role_not_allowed"
	CodeTenantMismatch = "tenant_not_allowed"
)

// Actor is who manages keys: an admin key's name, role and tenant, or
// the command line (an admin of every tenant).
type Actor struct {
	// Name is recorded in audit events and as a key's creator.
	Name string
	// Role is what the actor may do (CanManageKeys).
	Role config.Role
	// Tenant limits the actor to one tenant's keys; "" means every
	// tenant's.
	Tenant string
}

// CLI is the actor of the switchyard keys command: whoever can write the
// store is an admin of every tenant.
var CLI = Actor{Name: "cli", Role: config.RoleAdmin}

// CanManageKeys reports whether role may create, revoke and rotate keys:
// operator and admin. The admin API decides who calls its key endpoints
// by its own table (admin.Rules, whose key rows a test holds to this
// rule); the Manager checks it again for every caller.
func CanManageKeys(role config.Role) bool {
	return role == config.RoleOperator || role == config.RoleAdmin
}

// roleRank orders the roles, least privileged first.
func roleRank(r config.Role) int { return slices.Index(config.Roles, r) }

// The audit actions of key changes (store.AuditEvent.Action).
const (
	ActionKeyCreate = "key.create"
	ActionKeyRevoke = "key.revoke"
	ActionKeyRotate = "key.rotate"
)

// Auditor records key changes in the audit trail: an *audit.Trail (the
// router's), or the store's audit log for the command line
// (AuditLogOf). Record returns the trail's error; the change is made
// either way, and the failure logged.
type Auditor interface {
	Record(ctx context.Context, e store.AuditEvent) error
}

// AuditLogOf returns an Auditor that appends to log at once.
func AuditLogOf(log store.AuditLog) Auditor { return appendAuditor{log} }

type appendAuditor struct{ log store.AuditLog }

func (a appendAuditor) Record(ctx context.Context, e store.AuditEvent) error {
	return a.log.AppendAudit(ctx, e)
}

// Manager creates, lists, revokes and rotates managed keys in a store, on
// behalf of an Actor. Its methods return *llm.Error values for the
// caller to show: 400 for a bad spec, 403, 404 (key_not_found), 409
// (key_inactive). It is safe for concurrent use.
type Manager struct {
	// Store keeps the keys.
	Store store.KeyStore
	// Config returns the configuration serving now, whose routes and
	// deployments a key may list; nil (or a nil result) checks only their
	// form.
	Config func() *config.Config
	// Keyring, if not nil, reloads after each change, so this process
	// sees it at once (others within their poll interval).
	Keyring *Keyring
	// Auditor, if not nil, records each change (actions key.create,
	// key.revoke, key.rotate; never a key, only its id).
	Auditor Auditor
	// Logger receives the changes the Auditor failed to record; nil
	// means slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (m *Manager) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Spec is a key to create.
type Spec struct {
	// Name labels the key; empty means its id. Tenant owns its requests:
	// required for a client key; "" for an admin key of every tenant.
	Name, Tenant string
	// Role is "" for a client key, else the admin key's role.
	Role config.Role
	// Routes, Deployments and Overrides as in store.KeyRecord: nil means
	// every one.
	Routes, Deployments, Overrides []string
	Limits                         config.Limits
	// Expires is when the key stops working; zero means never.
	Expires time.Time
}

// Created is a key just made: the key, shown once, and its record.
type Created struct {
	Key    string
	Record *store.KeyRecord
}

// Create makes a key from spec on behalf of a. The key is in the result
// and nowhere else: only its hash is stored.
func (m *Manager) Create(ctx context.Context, a Actor, spec Spec) (*Created, error) {
	if err := m.authorize(a, spec.Tenant); err != nil {
		return nil, err
	}
	if spec.Tenant == "" && a.Tenant != "" {
		spec.Tenant = a.Tenant
	}
	if err := m.check(a, &spec); err != nil {
		return nil, err
	}
	c, err := m.insert(ctx, a, spec, func(rec *store.KeyRecord) error { return m.Store.CreateKey(ctx, rec) })
	if err != nil {
		return nil, err
	}
	detail := ""
	if spec.Role != "" {
		detail = "admin key, role " + string(spec.Role)
	}
	m.changed(ctx, a, ActionKeyCreate, c.Record, detail)
	return c, nil
}

// insert makes a fresh key of spec and stores it with put, drawing
// another id in the (astronomically unlikely) case one is taken.
func (m *Manager) insert(ctx context.Context, a Actor, spec Spec, put func(*store.KeyRecord) error) (*Created, error) {
	for attempt := 0; ; attempt++ {
		key, id := NewKey()
		rec := &store.KeyRecord{
			ID: id, Hash: Hash(key), Name: spec.Name, Tenant: spec.Tenant, Role: string(spec.Role),
			Routes: spec.Routes, Deployments: spec.Deployments, Overrides: spec.Overrides,
			RPM: spec.Limits.RPM, TPM: spec.Limits.TPM, MaxConcurrent: int64(spec.Limits.MaxConcurrent),
			Created: m.now().UTC(), CreatedBy: a.Name, Expires: spec.Expires,
		}
		err := put(rec)
		if errors.Is(err, store.ErrKeyExists) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, storeError(err)
		}
		return &Created{Key: key, Record: rec}, nil
	}
}

// List returns the keys a may see: its tenant's, or every one.
func (m *Manager) List(ctx context.Context, a Actor) ([]*store.KeyRecord, error) {
	if m == nil || m.Store == nil {
		return nil, keysOff()
	}
	keys, err := m.Store.ListKeys(ctx, scopeOf(a))
	if err != nil {
		return nil, storeError(err)
	}
	return keys, nil
}

// Revoke revokes the key id on behalf of a: it stops working at once in
// this process, within the poll interval in others. Revoking a revoked
// key succeeds and changes nothing.
func (m *Manager) Revoke(ctx context.Context, a Actor, id string) (*store.KeyRecord, error) {
	if err := m.authorize(a, a.Tenant); err != nil {
		return nil, err
	}
	rec, err := m.Store.GetKey(ctx, scopeOf(a), id)
	if err == nil {
		if err = m.mayTouch(a, rec); err == nil {
			err = m.Store.RevokeKey(ctx, scopeOf(a), id, m.now().UTC())
		}
	}
	if err != nil {
		return nil, storeError(err)
	}
	if rec.Revoked.IsZero() {
		m.changed(ctx, a, ActionKeyRevoke, rec, "")
	}
	return m.Store.GetKey(ctx, scopeOf(a), id)
}

// Rotate replaces the key id by a new one with the same name, tenant,
// role, access and limits, on behalf of a; the old key keeps working for
// grace (zero: it stops at once), or until its own expiry if sooner.
func (m *Manager) Rotate(ctx context.Context, a Actor, id string, grace time.Duration) (*Created, error) {
	if err := m.authorize(a, a.Tenant); err != nil {
		return nil, err
	}
	if grace < 0 {
		return nil, badSpec("grace", "The grace period must not be negative.")
	}
	old, err := m.Store.GetKey(ctx, scopeOf(a), id)
	if err == nil {
		err = m.mayTouch(a, old)
	}
	if err != nil {
		return nil, storeError(err)
	}
	spec := Spec{Name: old.Name, Tenant: old.Tenant, Role: config.Role(old.Role), Routes: old.Routes,
		Deployments: old.Deployments, Overrides: old.Overrides, Expires: old.Expires,
		Limits: config.Limits{RPM: old.RPM, TPM: old.TPM, MaxConcurrent: int(old.MaxConcurrent)}}
	graceEnd := m.now().UTC().Add(grace)
	c, err := m.insert(ctx, a, spec, func(rec *store.KeyRecord) error {
		return m.Store.RotateKey(ctx, scopeOf(a), id, rec, graceEnd)
	})
	if err != nil {
		return nil, err
	}
	m.changed(ctx, a, ActionKeyRotate, old, fmt.Sprintf("replaced by %s; the old key works until %s", c.Record.ID, graceEnd.Format(time.RFC3339)))
	return c, nil
}

// changed reloads the keyring and records the change.
func (m *Manager) changed(ctx context.Context, a Actor, action string, rec *store.KeyRecord, detail string) {
	ctx = context.WithoutCancel(ctx)
	if m.Keyring != nil {
		m.Keyring.Load(ctx) // a failure is retried by Run
	}
	if m.Auditor == nil {
		return
	}
	if rec.Name != "" && rec.Name != rec.ID {
		detail = strings.TrimSuffix("name "+rec.Name+"; "+detail, "; ")
	}
	e := store.AuditEvent{Time: m.now().UTC(), Actor: a.Name, Tenant: rec.Tenant, Action: action,
		Target: rec.ID, Detail: detail, Outcome: store.AuditOK}
	if err := m.Auditor.Record(ctx, e); err != nil {
		log := m.Logger
		if log == nil {
			log = slog.Default()
		}
		log.Error("keys: a change was made but not audited", "action", action, "key", rec.ID, "err", err)
	}
}

func scopeOf(a Actor) store.Scope {
	if a.Tenant == "" {
		return store.AllTenants()
	}
	return store.TenantScope(a.Tenant)
}

// authorize checks that a may change keys of tenant.
func (m *Manager) authorize(a Actor, tenant string) error {
	if m == nil || m.Store == nil {
		return keysOff()
	}
	if !CanManageKeys(a.Role) {
		e := llm.Errorf(llm.KindPermission, "Role %s may list keys but not change them; key management needs operator or admin.", a.Role)
		e.Code = CodeRoleNotAllowed
		return e
	}
	if a.Tenant != "" && tenant != "" && tenant != a.Tenant {
		e := llm.Errorf(llm.KindPermission, "This admin key is scoped to tenant %q and may not manage keys of tenant %q.", a.Tenant, tenant)
		e.Code, e.Param = CodeTenantMismatch, "tenant"
		return e
	}
	return nil
}

// mayTouch checks that a may revoke or rotate rec: an admin key of a
// higher role than a's is out of reach.
func (m *Manager) mayTouch(a Actor, rec *store.KeyRecord) error {
	if rec.Role != "" && roleRank(config.Role(rec.Role)) > roleRank(a.Role) {
		e := llm.Errorf(llm.KindPermission, "Key %s is an admin key of role %s, above this key's role %s.", rec.ID, rec.Role, a.Role)
		e.Code = CodeRoleNotAllowed
		return e
	}
	return nil
}

func keysOff() *llm.Error {
	e := llm.Errorf(llm.KindNotFound, "Managed keys need a store (store.driver sqlite or postgres).")
	e.Code = CodeKeysOff
	return e
}

// storeError turns a store's error into the caller's.
func storeError(err error) error {
	var le *llm.Error
	switch {
	case errors.As(err, &le):
		return le
	case errors.Is(err, store.ErrKeyNotFound):
		e := llm.Errorf(llm.KindNotFound, "No key with this id (see switchyard keys list, or GET /admin/keys).")
		e.Code, e.Param = CodeKeyNotFound, "id"
		return e
	case errors.Is(err, store.ErrKeyInactive):
		e := llm.Errorf(llm.KindInvalidRequest, "The key was revoked or already rotated; rotate its replacement, or create a new key.")
		e.Code, e.Status = CodeKeyInactive, http.StatusConflict
		return e
	}
	return llm.Wrap(llm.KindInternal, err, "the key store failed; see the router's log")
}

// KeyState is a managed key's state at some time, as lists show it.
type KeyState string

// The key states.
const (
	StateActive  KeyState = "active"
	StateRotated KeyState = "rotated" // replaced, working until its grace ends
	StateExpired KeyState = "expired"
	StateRevoked KeyState = "revoked"
)

// StateOf returns rec's state at now.
func StateOf(rec *store.KeyRecord, now time.Time) KeyState {
	switch {
	case !rec.Revoked.IsZero():
		return StateRevoked
	case !rec.Expires.IsZero() && !now.Before(rec.Expires):
		return StateExpired
	case rec.RotatedTo != "":
		return StateRotated
	}
	return StateActive
}
