package admin

import (
	"fmt"
	"net/http"
	"slices"

	"switchyard/audit"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
)

// This file decides who may call which operational endpoint: one table,
// Rules, of every endpoint with the least role it needs and how it treats
// a key scoped to a tenant, enforced by one middleware, Authorize.

// Scope is how an endpoint treats a principal scoped to one tenant.
type Scope string

// The scopes of a Rule.
const (
	// ScopeShared: the endpoint shows nothing of any tenant (the health
	// of deployments): a scoped principal may call it.
	ScopeShared Scope = "shared"
	// ScopeTenant: the endpoint shows or changes a tenant's data, and a
	// scoped principal gets its own tenant's only (the handler narrows
	// the scope).
	ScopeTenant Scope = "tenant"
	// ScopeGlobal: the endpoint shows or changes what every tenant shares
	// (the configuration, a deployment's state): a scoped principal is
	// refused.
	ScopeGlobal Scope = "global"
)

// Rule is the access rule of one operational endpoint.
type Rule struct {
	// Pattern is the endpoint as registered on the mux.
	Pattern string
	// Role is the least role that may call it.
	Role config.Role
	// Scope says whether a principal scoped to a tenant may.
	Scope Scope
}

// Rules is the access rule of every operational endpoint: the one table
// access is decided by. An endpoint mounted without a row here is refused
// to everyone (and the server's RBAC matrix test fails).
var Rules = []Rule{
	{"GET /metrics", config.RoleViewer, ScopeShared},
	{"GET /admin/whoami", config.RoleViewer, ScopeShared},
	{"GET /admin/health", config.RoleViewer, ScopeShared},
	{"POST /admin/health/{deployment}/reset", config.RoleOperator, ScopeGlobal},
	{"GET /admin/requests", config.RoleViewer, ScopeTenant},
	{"GET /admin/requests/{id}", config.RoleViewer, ScopeTenant},
	{"GET /admin/stats", config.RoleViewer, ScopeTenant},
	{"GET /admin/scores", config.RoleViewer, ScopeTenant},
	{"GET /admin/feedback", config.RoleViewer, ScopeTenant},
	{"GET /admin/report", config.RoleViewer, ScopeTenant},
	{"GET /admin/audit", config.RoleViewer, ScopeTenant},
	{"GET /admin/budgets", config.RoleViewer, ScopeTenant},
	// The batches: a tenant's, as its request log rows are (their
	// metadata, the user's, is not shown).
	{"GET /admin/batches", config.RoleViewer, ScopeTenant},
	{"GET /admin/batches/{id}", config.RoleViewer, ScopeTenant},
	// The golden runs test the deployments with the router's own prompts:
	// no tenant's data, like the health they demote.
	{"GET /admin/drift/runs", config.RoleViewer, ScopeShared},
	{"GET /admin/drift/runs/{id}", config.RoleViewer, ScopeShared},
	{"GET /admin/config", config.RoleViewer, ScopeGlobal},
	{"GET /admin/config/versions", config.RoleViewer, ScopeGlobal},
	{"GET /admin/config/versions/{version}", config.RoleViewer, ScopeGlobal},
	{"PUT /admin/config", config.RoleAdmin, ScopeGlobal},
	{"POST /admin/config/rollback", config.RoleAdmin, ScopeGlobal},
	// The managed keys: a scoped key lists and changes only its tenant's
	// (tenant.Manager narrows the scope), and makes admin keys of at most
	// its own role.
	{"GET /admin/keys", config.RoleOperator, ScopeTenant},
	{"POST /admin/keys", config.RoleOperator, ScopeTenant},
	{"DELETE /admin/keys/{id}", config.RoleOperator, ScopeTenant},
	{"POST /admin/keys/{id}/rotate", config.RoleOperator, ScopeTenant},
}

// Error codes of Authorize's refusals (403).
const (
	// CodeInsufficientRole: the principal's role is below the endpoint's.
	CodeInsufficientRole = "insufficient_role"
	// CodeNoRule: the endpoint has no row in Rules (a bug): refused to all.
	CodeNoRule = "endpoint_without_rule"
)

// ActionDenied is the audit action of a refused admin call.
const ActionDenied = "admin.denied"

// rank orders the roles, least privileged first; -1 for an unknown one.
func rank(r config.Role) int { return slices.Index(config.Roles, r) }

// Allows reports whether p may call the endpoint of rule, and if not the
// error to answer (403, in OpenAI's shape).
func (rule *Rule) Allows(p Principal) (bool, *llm.Error) {
	if rank(p.Role) < rank(rule.Role) {
		e := llm.Errorf(llm.KindPermission, "This admin key has role %s; %s needs role %s or above.", roleName(p.Role), rule.Pattern, rule.Role)
		e.Code = CodeInsufficientRole
		return false, e
	}
	if rule.Scope == ScopeGlobal && p.Tenant != "" {
		e := llm.Errorf(llm.KindPermission, "This admin key is scoped to tenant %q, and %s concerns every tenant. Use an admin key without a tenant.", p.Tenant, rule.Pattern)
		e.Code = codeTenantNotAllowed
		return false, e
	}
	return true, nil
}

func roleName(r config.Role) string {
	if r == "" {
		return "none"
	}
	return string(r)
}

// Authorize lets a request through to mux only when its principal (put
// in the context by the server's key check) may call the endpoint it
// matches, by rules. A refusal is a 403 in OpenAI's shape, recorded in
// trail (rate limited). A request that matches no endpoint of mux is
// answered its 404 or 405 (notServed); one that matches an endpoint
// without a rule is refused.
func Authorize(rules []Rule, trail *audit.Trail, mux *http.ServeMux) http.Handler {
	byPattern := make(map[string]*Rule, len(rules))
	for i := range rules {
		byPattern[rules[i].Pattern] = &rules[i]
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if pattern == "" {
			notServed(w, r, mux) // not an endpoint: its 404 or 405
			return
		}
		p, ok := PrincipalFrom(r.Context())
		if !ok {
			e := llm.Errorf(llm.KindPermission, "This request carries no admin identity; the operational endpoints answer only through the key check.")
			e.Code = codeNoPrincipal
			writeError(w, e)
			return
		}
		rule := byPattern[pattern]
		if rule == nil {
			e := llm.Errorf(llm.KindPermission, "%s has no access rule, so no key may call it.", pattern)
			e.Code = CodeNoRule
			deny(trail, r, p, e)
			writeError(w, e)
			return
		}
		if ok, e := rule.Allows(p); !ok {
			deny(trail, r, p, e)
			writeError(w, e)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// deny records a refused call.
func deny(trail *audit.Trail, r *http.Request, p Principal, e *llm.Error) {
	trail.Untrusted(store.AuditEvent{Actor: p.Name, Tenant: p.Tenant, Action: ActionDenied,
		Target: r.Method + " " + r.URL.Path, Detail: fmt.Sprintf("%s: role %s", e.Code, roleName(p.Role)), Outcome: store.AuditDenied})
}
