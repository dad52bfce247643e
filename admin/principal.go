package admin

import (
	"context"
	"net/http"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
)

// Principal is who called an admin endpoint, as the operational
// endpoints' guard established it: an admin key's name, role and tenant.
type Principal struct {
	// Name identifies the principal in logs: the admin key's configured
	// name (never the key), or "loopback" or "demo" when no key was
	// needed.
	Name string
	// Role is what the principal may do: Authorize checks it against
	// each endpoint's rule (Rules).
	Role config.Role
	// Tenant limits the principal to one tenant's rows of the request
	// log; empty means every tenant's.
	Tenant string
	// KeyID is a managed admin key's id (switchyard keys create --admin);
	// empty for a key of the configuration file, or no key.
	KeyID string
	// Keyless reports that no key was needed (Unscoped: demo mode, or a
	// local client while no admin key exists).
	Keyless bool
}

// Unscoped returns the principal of a request that needed no admin key
// (demo mode, or a local client while no admin key is configured): an
// admin who sees every tenant.
func Unscoped(name string) Principal {
	return Principal{Name: name, Role: config.RoleAdmin, Keyless: true}
}

// Scope returns the request log scope of p: its tenant's rows, or every
// tenant's when p has no tenant.
func (p Principal) Scope() store.Scope {
	if p.Tenant != "" {
		return store.TenantScope(p.Tenant)
	}
	return store.AllTenants()
}

// ScopeFor returns the scope of a read that asks for tenant (nil: no
// tenant parameter). An unscoped principal may ask for any tenant; a
// scoped one only for its own, and gets a permission error (403, code
// tenant_not_allowed) for another.
func (p Principal) ScopeFor(tenant *string) (store.Scope, error) {
	switch {
	case tenant == nil:
		return p.Scope(), nil
	case p.Tenant == "":
		return store.TenantScope(*tenant), nil
	case *tenant == p.Tenant:
		return p.Scope(), nil
	}
	e := llm.Errorf(llm.KindPermission, "This admin key is scoped to tenant %q and may not read tenant %q.", p.Tenant, *tenant)
	e.Code, e.Param = codeTenantNotAllowed, "tenant"
	return store.Scope{}, e
}

type principalKey struct{}

// WithPrincipal returns ctx carrying the principal of an admin request.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, and false when there is
// none: the request log endpoints then refuse the request.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// principal returns the request's admin identity, or answers 403
// no_principal itself and reports false: a handler reached without the
// operational endpoints' key check.
func principal(w http.ResponseWriter, r *http.Request) (Principal, bool) {
	p, ok := PrincipalFrom(r.Context())
	if !ok {
		e := llm.Errorf(llm.KindPermission, "This request carries no admin identity.")
		e.Code = codeNoPrincipal
		writeError(w, e)
	}
	return p, ok
}
