package tenant

import (
	"slices"
	"strings"

	"switchyard/config"
	"switchyard/llm"
)

// Error codes of the refusals this package makes.
const (
	// CodeRouteNotAllowed: the key (or its tenant) may not ask for the
	// route (403).
	CodeRouteNotAllowed = "route_not_allowed"
	// CodeDeploymentNotAllowed: the key (or its tenant) may not be served
	// by the deployment it pinned (403).
	CodeDeploymentNotAllowed = "deployment_not_allowed"
	// CodeRateLimited: a limit of the key or of its tenant is reached
	// (429, with Retry-After).
	CodeRateLimited = "rate_limit_exceeded"
	// CodeLimitsUnavailable: the limits cannot be checked (the state back
	// end does not answer and state.on_error is deny; 503).
	CodeLimitsUnavailable = "rate_limit_unavailable"
	// CodeKeyExpired and CodeKeyRevoked: a 401 for a key that stopped
	// working.
	CodeKeyExpired = "key_expired"
	CodeKeyRevoked = "key_revoked"
)

// Grant is what one authenticated key may do and the limits it is held
// to: its own and its tenant's. NewGrant builds it; it is immutable
// after (its fields must not be changed), and shared by every request
// of the key.
type Grant struct {
	// KeyID identifies the key's counters in the state back end: a
	// managed key's id, or "config:" and the label of a key of the file.
	KeyID string
	// Key is how refusals name the key (its name, never the key); Tenant
	// is its tenant ("" for none).
	Key, Tenant string
	// KeyLimits are the key's own limits, TenantLimits its tenant's
	// (tenants section); zero fields limit nothing.
	KeyLimits, TenantLimits config.Limits
	// keyAccess and tenantAccess are the lists that narrow what the key
	// may ask for; nil lists allow every one.
	keyAccess, tenantAccess config.Access
	// rpm, tpm and conc are the limits of each kind, key's first.
	rpm, tpm, conc []limit
}

// NewGrant returns the grant of a key with the given access and limits,
// within its tenant's (tenant nil: none).
func NewGrant(keyID, name, tenantName string, access config.Access, limits config.Limits, tenant *config.Tenant) *Grant {
	g := &Grant{KeyID: keyID, Key: name, Tenant: tenantName, KeyLimits: limits, keyAccess: access}
	if tenant != nil {
		g.TenantLimits, g.tenantAccess = tenant.Limits, tenant.Access
	}
	g.compileLimits()
	return g
}

// Limited reports whether g restricts anything: when false, a request
// needs no check at all.
func (g *Grant) Limited() bool {
	return g != nil && (!g.KeyLimits.IsZero() || !g.TenantLimits.IsZero() ||
		g.keyAccess.Routes != nil || g.keyAccess.Deployments != nil ||
		g.tenantAccess.Routes != nil || g.tenantAccess.Deployments != nil)
}

// HasLimits reports whether a rate or concurrency limit applies.
func (g *Grant) HasLimits() bool {
	return g != nil && (!g.KeyLimits.IsZero() || !g.TenantLimits.IsZero())
}

// CheckRoute returns nil when g may ask for route, else a 403 *llm.Error
// (code route_not_allowed) naming the key or tenant that may not. A nil
// Grant allows everything.
func (g *Grant) CheckRoute(route string) error {
	if g == nil {
		return nil
	}
	if l := g.keyAccess.Routes; l != nil && !slices.Contains(l, route) {
		return g.refuse(CodeRouteNotAllowed, "route", route, "key "+g.Key, l)
	}
	if l := g.tenantAccess.Routes; l != nil && !slices.Contains(l, route) {
		return g.refuse(CodeRouteNotAllowed, "route", route, "tenant "+g.Tenant, l)
	}
	return nil
}

// CheckDeployment returns nil when g may be served by deployment, else a
// 403 *llm.Error (code deployment_not_allowed). A nil Grant allows
// everything.
func (g *Grant) CheckDeployment(deployment string) error {
	if g == nil {
		return nil
	}
	if l := g.keyAccess.Deployments; l != nil && !slices.Contains(l, deployment) {
		return g.refuse(CodeDeploymentNotAllowed, "deployment", deployment, "key "+g.Key, l)
	}
	if l := g.tenantAccess.Deployments; l != nil && !slices.Contains(l, deployment) {
		return g.refuse(CodeDeploymentNotAllowed, "deployment", deployment, "tenant "+g.Tenant, l)
	}
	return nil
}

// AllowsDeployment reports whether g may be served by deployment.
func (g *Grant) AllowsDeployment(deployment string) bool { return g.CheckDeployment(deployment) == nil }

// ExcludedBy implements route.Excluder: what keeps g off deployment
// ("key K" or "tenant T"), or "" when g may use it.
func (g *Grant) ExcludedBy(deployment string) string {
	if l := g.keyAccess.Deployments; l != nil && !slices.Contains(l, deployment) {
		return "key " + g.Key
	}
	if l := g.tenantAccess.Deployments; l != nil && !slices.Contains(l, deployment) {
		return "tenant " + g.Tenant
	}
	return ""
}

// RestrictsDeployments reports whether g narrows the deployments.
func (g *Grant) RestrictsDeployments() bool {
	return g != nil && (g.keyAccess.Deployments != nil || g.tenantAccess.Deployments != nil)
}

// DeploymentsBy names what narrows the deployments ("key K" or "tenant
// T"), for a route's explanation; "" when nothing does.
func (g *Grant) DeploymentsBy() string {
	switch {
	case g == nil:
		return ""
	case g.keyAccess.Deployments != nil:
		return "key " + g.Key
	case g.tenantAccess.Deployments != nil:
		return "tenant " + g.Tenant
	}
	return ""
}

func (g *Grant) refuse(code, what, name, by string, allowed []string) error {
	list := "none"
	if len(allowed) > 0 {
		list = strings.Join(allowed, ", ")
	}
	e := llm.Errorf(llm.KindPermission, "The %s %s is not allowed for %s (allowed: %s).", what, name, by, list)
	e.Code, e.Param = code, "model"
	return e
}
