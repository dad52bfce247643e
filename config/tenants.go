package config

import (
	"fmt"
	"slices"
	"time"
)

// This file holds the tenants section and what it shares with client
// keys: the limits (requests and tokens per minute, requests at once),
// the routes and deployments allowed, and a key's expiry.

// Limits bound the traffic of a key or of a tenant (all its keys
// together). A zero field means no limit.
type Limits struct {
	// RPM is the requests per minute, TPM the tokens (prompt and answer)
	// per minute.
	RPM, TPM int64
	// MaxConcurrent is the requests served at once.
	MaxConcurrent int
}

// IsZero reports whether l limits nothing.
func (l Limits) IsZero() bool { return l == Limits{} }

// Access is what a key, or every key of a tenant, may ask for.
type Access struct {
	// Routes are the routes it may ask for by name (configured ones and
	// the built-in auto, auto-best and auto-cheap); nil means every one.
	Routes []string
	// Deployments are the deployments that may serve it, pinned or
	// chosen by a route; nil means every one.
	Deployments []string
}

// Tenant configures one tenant: limits that all its keys share, and what
// they may ask for (a key's own list narrows it further).
type Tenant struct {
	// Name equals the key of Config.Tenants.
	Name string
	Limits
	Access
}

// dateLayout is the date-only form of an expiry: midnight UTC.
const dateLayout = "2006-01-02"

// ParseExpiry parses an expiry written in a configuration file: an RFC
// 3339 time ("2026-12-31T23:59:59Z") or a date ("2026-12-31", midnight
// UTC, when the key stops working).
func ParseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time or a date", s)
	}
	return t, nil
}

const expiresHint = `an RFC 3339 time or a date (midnight UTC), e.g. "2026-12-31T23:59:59Z" or "2026-12-31"`

// limitFields decodes the limits of a key or a tenant.
func (d *decoder) limitFields(l *Limits) []field {
	return []field{
		{"rpm", func(e entry) { d.integer(e, &l.RPM, true, "requests per minute, e.g. 600") }},
		{"tpm", func(e entry) { d.integer(e, &l.TPM, true, "tokens per minute, e.g. 200000") }},
		{"max_concurrent", func(e entry) {
			var n int64
			d.integer(e, &n, true, "requests at once, e.g. 8")
			if n > 1<<20 {
				d.fail(e.path, e.node, fmt.Sprintf("%d is out of range", n), "at most 1048576 requests at once")
				return
			}
			l.MaxConcurrent = int(n)
		}},
	}
}

// accessFields decodes the routes and deployments of a key or a tenant.
func (d *decoder) accessFields(a *Access) []field {
	return []field{
		{"routes", func(e entry) { a.Routes = d.nameList(e, "[auto, support]") }},
		{"deployments", func(e entry) { a.Deployments = d.nameList(e, "[gpt-4o-mini, claude-haiku-4-5]") }},
	}
}

// nameList decodes a list of names; unset means nil (every one), []
// an empty list (none).
func (d *decoder) nameList(e entry, example string) []string {
	if isNull(e.node) {
		return nil
	}
	out := d.strList(e, example)
	if out == nil {
		out = []string{}
	}
	return out
}

// expires decodes a key's expiry.
func (d *decoder) expires(e entry, dst *time.Time) {
	var s string
	d.str(e, &s)
	if s == "" {
		return
	}
	t, err := ParseExpiry(s)
	if err != nil {
		d.fail(e.path, e.node, "must be a time, got "+got(e, s), expiresHint)
		return
	}
	*dst = t
}

// tenants decodes the tenants section: a mapping of tenant names.
func (d *decoder) tenants(e entry, c *Config) {
	entries, ok := d.mapping(e.node, e.path)
	if !ok {
		return
	}
	c.Tenants = make(map[string]*Tenant, len(entries))
	for _, el := range entries {
		t := &Tenant{Name: el.key}
		d.object(el.node, el.path, append(d.limitFields(&t.Limits), d.accessFields(&t.Access)...))
		c.Tenants[el.key] = t
	}
}

// TenantNames returns the names of the tenants section, sorted.
func (c *Config) TenantNames() []string { return sortedKeys(c.Tenants) }

// tenants checks the tenants section.
func (v *validator) tenants() {
	for _, name := range v.c.TenantNames() {
		path := "tenants." + name
		switch {
		case slices.ContainsFunc(v.c.Auth.Keys, func(k Key) bool { return k.Key == name }) ||
			slices.ContainsFunc(v.c.Auth.AdminKeys, func(k AdminKey) bool { return k.Key == name }):
			v.add("tenants", "a tenant's name is one of the keys", "a tenant is a name such as acme, shown in logs and records")
			continue
		case !nameRE.MatchString(name):
			v.add(path, fmt.Sprintf("invalid tenant name %q", name), nameHint)
		}
		v.access(path, &v.c.Tenants[name].Access)
	}
}

// access checks that the routes and deployments a key or tenant lists
// exist: a misspelt one would silently refuse every request.
func (v *validator) access(path string, a *Access) {
	routes := append(v.routeNames(), BuiltinRoutes...)
	for i, r := range a.Routes {
		p := fmt.Sprintf("%s.routes[%d]", path, i)
		switch {
		case !slices.Contains(routes, r):
			v.add(p, unknownOr("route", r), choices(r, "known routes", routes))
		case slices.Contains(a.Routes[:i], r):
			v.add(p, fmt.Sprintf("route %q is listed twice", r), "remove one")
		}
	}
	deps := v.deploymentNames()
	for i, d := range a.Deployments {
		p := fmt.Sprintf("%s.deployments[%d]", path, i)
		switch {
		case v.c.Deployments[d] == nil:
			v.add(p, unknownOr("deployment", d), choices(d, "known deployments", deps))
		case slices.Contains(a.Deployments[:i], d):
			v.add(p, fmt.Sprintf("deployment %q is listed twice", d), "remove one")
		}
	}
}
