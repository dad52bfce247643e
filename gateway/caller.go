package gateway

import (
	"context"

	"switchyard/config"
	"switchyard/route"
	"switchyard/tenant"
)

// Caller is who sent a request, as client authentication established it.
type Caller struct {
	// Name identifies the caller in records and logs: the key's configured
	// name, never the key. Empty for an anonymous caller.
	Name string
	// Tenant owns the caller's requests: the key's configured tenant, or
	// its name when it names none. Empty for an anonymous caller.
	Tenant string
	// Allowed is the set of routing overrides the caller may use; using
	// another is a 403 with code override_not_allowed.
	Allowed route.OverrideSet
	// Grant is what the caller's key may ask for (routes, deployments)
	// and the limits it is held to; nil means no restriction.
	Grant *tenant.Grant
	// KeyID is the managed key's id; "" for a key of the file or an
	// anonymous caller. With Tenant and Name it names the key for
	// tenant.Keyring.Current.
	KeyID string
}

// Anonymous is the caller of a request that no key identifies (no
// authentication configured, or demo mode): every override is allowed.
var Anonymous = Caller{Allowed: route.AllowAll}

// overrideSets maps each configured override name to the policy's kinds.
var overrideSets = map[config.Override]route.OverrideSet{
	config.OverrideModel:    route.AllowPin,
	config.OverrideCategory: route.AllowCategory,
	config.OverrideMaxCost:  route.AllowMaxCost,
	config.OverrideLatency:  route.AllowLatency,
	config.OverrideFallback: route.AllowFallback,
}

// CallerFor returns the caller that the i-th configured client key
// (cfg.Auth.Keys[i]) authenticates.
func CallerFor(i int, k *config.Key) Caller {
	c := Caller{Name: k.Label(i), Tenant: k.TenantOf(i)}
	for _, o := range config.Overrides {
		if k.Allows(o) {
			c.Allowed |= overrideSets[o]
		}
	}
	return c
}

// CallerOf returns the caller that a client key's identity (from a
// tenant.Keyring) authenticates.
func CallerOf(id *tenant.Identity) Caller {
	c := Caller{Name: id.Name, Tenant: id.Tenant, Grant: id.Grant, KeyID: id.ID}
	for _, o := range config.Overrides {
		if id.Allows(o) {
			c.Allowed |= overrideSets[o]
		}
	}
	return c
}

type callerKey struct{}

// WithCaller returns ctx carrying the request's caller.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller in ctx, or Anonymous when there is none
// (authentication is off, or the gateway is called directly).
func CallerFrom(ctx context.Context) Caller {
	if c, ok := ctx.Value(callerKey{}).(Caller); ok {
		return c
	}
	return Anonymous
}

type traceParentKey struct{}

// WithTraceParent returns ctx carrying the client's W3C traceparent
// header, which the caller has checked; the request's record keeps it so
// its trace continues the client's.
func WithTraceParent(ctx context.Context, tp string) context.Context {
	return context.WithValue(ctx, traceParentKey{}, tp)
}

// TraceParentFrom returns the traceparent in ctx, or "" when there is none.
func TraceParentFrom(ctx context.Context) string {
	tp, _ := ctx.Value(traceParentKey{}).(string)
	return tp
}

type sessionKey struct{}

// WithSession returns ctx carrying the client's x-switchyard-session
// header, which the caller has checked; the request's record keeps it.
func WithSession(ctx context.Context, session string) context.Context {
	return context.WithValue(ctx, sessionKey{}, session)
}

// SessionFrom returns the session in ctx, or "" when there is none.
func SessionFrom(ctx context.Context) string {
	s, _ := ctx.Value(sessionKey{}).(string)
	return s
}
