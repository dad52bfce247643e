package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// This file holds the auth section: client keys, their names and the
// routing overrides each may use. Admin keys are in admin.go.

// Auth configures client authentication.
type Auth struct {
	// Keys are the API keys clients may present (Authorization: Bearer or
	// x-api-key), each with what it may do. An empty list disables
	// authentication.
	Keys []Key
	// AdminKeys are the keys that open the operational endpoints
	// (/metrics, /admin/). Empty means those endpoints answer only
	// loopback clients (see docs/config.md). A client key never opens them.
	AdminKeys []AdminKey
}

// AuthDisabled reports whether no client keys are configured, so every
// request is accepted.
func (c *Config) AuthDisabled() bool { return len(c.Auth.Keys) == 0 }

// Key is one client API key. In switchyard.yaml it is either a plain
// string (a key that may use every override) or a mapping
// {key, name, tenant, overrides}.
type Key struct {
	// Key is the secret the client presents. It never appears in errors
	// or logs.
	Key string
	// Name identifies the key in logs and request records instead of the
	// key itself; empty means the key is shown by its position,
	// "auth.keys[i]" (see Label). Several keys may share a name (say, an
	// old and a new key during a rotation).
	Name string
	// Tenant owns the requests made with the key: every request record
	// carries it, and tenant-scoped views show only its requests. Empty
	// means the key's label (see TenantOf). Several keys may share one.
	Tenant string
	// Overrides are the routing overrides the key may use, each one of the
	// Override* constants. Nil means all of them; an empty, non-nil slice
	// means none.
	Overrides []Override
	// Access narrows the routes and deployments the key may ask for
	// (within its tenant's, when the tenants section names it); nil lists
	// mean every one.
	Access
	// Limits are the key's own limits, on top of its tenant's; zero
	// fields mean none.
	Limits
	// Expires is when the key stops working (401 after it); zero means
	// never.
	Expires time.Time
}

// Allows reports whether the key may use override o.
func (k *Key) Allows(o Override) bool {
	return k.Overrides == nil || slices.Contains(k.Overrides, o)
}

// Label returns how logs and records name the i-th key of auth.keys: its
// Name, or "auth.keys[i]" for an unnamed key. It never returns the key.
func (k *Key) Label(i int) string {
	if k.Name != "" {
		return k.Name
	}
	return fmt.Sprintf("auth.keys[%d]", i)
}

// TenantOf returns the tenant of the i-th key of auth.keys: its Tenant,
// or else its Label. It never returns the key.
func (k *Key) TenantOf(i int) string {
	if k.Tenant != "" {
		return k.Tenant
	}
	return k.Label(i)
}

// Override names a routing override a client key may be allowed to use.
type Override string

// The routing overrides a key may be allowed (docs/routing.md).
const (
	// OverrideModel pins a deployment: x-switchyard-model, or a
	// deployment's name in the request's model field.
	OverrideModel Override = "model"
	// OverrideCategory replaces the classifier's category
	// (x-switchyard-category).
	OverrideCategory Override = "category"
	// OverrideMaxCost caps a request's cost (x-switchyard-max-cost-usd).
	OverrideMaxCost Override = "max_cost"
	// OverrideLatency sets a latency budget or the tier timeout
	// (x-switchyard-latency-budget-ms, x-switchyard-timeout-ms).
	OverrideLatency Override = "latency"
	// OverrideFallback disables fallback (x-switchyard-fallback: none).
	OverrideFallback Override = "fallback"
)

// Overrides lists every override name, in the order the docs give them.
var Overrides = []Override{OverrideModel, OverrideCategory, OverrideMaxCost, OverrideLatency, OverrideFallback}

const keyExample = `- ${SUPPORT_KEY}, or - {key: "${SUPPORT_KEY}", name: support-bot, tenant: support, overrides: [category]}`

func (d *decoder) auth(e entry, a *Auth) {
	d.object(e.node, e.path, []field{
		{"keys", func(e entry) { a.Keys = d.authKeys(e) }},
		{"admin_keys", func(e entry) { a.AdminKeys = d.adminKeys(e) }},
	})
}

// authKeys decodes auth.keys, whose elements are strings or mappings.
func (d *decoder) authKeys(e entry) []Key {
	var keys []Key
	for _, el := range d.list(e, `["${SWITCHYARD_API_KEY}"]`) {
		var k Key
		switch el.node.(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			d.keyEntry(el, &k)
		case *ast.SequenceNode:
			d.fail(el.path, el.node, "must be a key or a mapping {key, name, tenant, overrides}, got a list", "one entry per key: "+keyExample)
		default:
			d.secretStr(el, "", &k.Key)
		}
		keys = append(keys, k)
	}
	return keys
}

// keyEntry decodes one key in the mapping form. When its key is missing or
// fails to decode, the whole entry counts as failed, so validation does not
// add "is empty" to the reason.
func (d *decoder) keyEntry(el entry, k *Key) {
	fields := []field{
		{"key", func(e entry) { d.secretStr(e, d.identityOf(el.node, keyOwner), &k.Key) }},
		{"name", func(e entry) { d.str(e, &k.Name) }},
		{"tenant", func(e entry) { d.str(e, &k.Tenant) }},
		{"overrides", func(e entry) { k.Overrides = d.overrideList(e) }},
		{"expires", func(e entry) { d.expires(e, &k.Expires) }},
	}
	fields = append(fields, d.limitFields(&k.Limits)...)
	d.secretEntry(el, append(fields, d.accessFields(&k.Access)...))
}

// secretEntry decodes a mapping whose "key" field is a secret, such as a
// client or admin key entry.
func (d *decoder) secretEntry(el entry, fields []field) {
	d.saw(el.path, fields)
	entries, _ := d.mapping(el.node, el.path)
	hasKey, unknown := false, false
	for _, e := range entries {
		i := indexField(fields, e.key)
		if i < 0 {
			d.unknownKeyField(el.path, e, fields)
			unknown = true
			continue
		}
		hasKey = hasKey || e.key == "key"
		fields[i].set(e)
	}
	switch {
	case unknown && !hasKey:
		d.failed = append(d.failed, el.path)
	case !hasKey && len(entries) > 0:
		d.fail(el.path, entries[0].keyNode, "key is required", `add key: "${SUPPORT_KEY}" with the secret clients present`)
	case d.covered(el.path + ".key"):
		d.failed = append(d.failed, el.path)
	}
}

// unknownKeyField reports an unknown field of a key entry. Its name is
// shown only when it is a likely typo of a field name: a secret written
// as a key ("- sk-abc: x") must not be repeated.
func (d *decoder) unknownKeyField(path string, e entry, fields []field) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	if suggest(e.key, names) != "" {
		d.unknown(path, e, fields)
		return
	}
	d.report(path, e.keyNode, "unknown field (its name is not shown, in case it is a key)", choices("", "allowed", names))
}

// overrideList decodes a key's overrides; unset means nil (all), [] an
// empty, non-nil list (none).
func (d *decoder) overrideList(e entry) []Override {
	if isNull(e.node) {
		return nil
	}
	els := d.list(e, "[category, max_cost]; [] allows none")
	out := make([]Override, 0, len(els))
	for _, el := range els {
		var s string
		d.str(el, &s)
		out = append(out, Override(s))
	}
	return out
}

func (v *validator) auth() {
	keys := v.c.Auth.Keys
	for i := range keys {
		k := &keys[i]
		path := fmt.Sprintf("auth.keys[%d]", i)
		switch {
		case k.Key == "":
			v.add(path, "is empty", "set the variable it comes from, or remove the entry; an empty list disables auth")
		case strings.TrimSpace(k.Key) != k.Key || hasControl(k.Key):
			v.add(path, "has leading or trailing spaces or control characters", "check how the key was copied")
		default:
			if j := slices.IndexFunc(keys[:i], func(o Key) bool { return o.Key == k.Key }); j >= 0 {
				v.add(path, fmt.Sprintf("same key as auth.keys[%d]", j), "remove one of them")
			}
		}
		v.keyName(path+".name", k.Name)
		v.keyName(path+".tenant", k.Tenant)
		v.overrideNames(path+".overrides", k.Overrides)
		v.access(path, &k.Access)
	}
	v.adminKeys()
}

// keyName checks a key's name or tenant, which logs and records show:
// never a key itself.
func (v *validator) keyName(path, name string) {
	if name == "" {
		return
	}
	if slices.ContainsFunc(v.c.Auth.Keys, func(k Key) bool { return k.Key == name }) ||
		slices.ContainsFunc(v.c.Auth.AdminKeys, func(k AdminKey) bool { return k.Key == name }) {
		v.add(path, "is one of the keys", "a name is shown in logs and records; use a label such as support-bot")
		return
	}
	if !nameRE.MatchString(name) {
		v.add(path, fmt.Sprintf("invalid name %q", name), nameHint)
	}
}

func (v *validator) overrideNames(path string, list []Override) {
	valid := make([]string, len(Overrides))
	for i, o := range Overrides {
		valid[i] = string(o)
	}
	for i, o := range list {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !slices.Contains(Overrides, o):
			v.add(p, fmt.Sprintf("unknown override %q", o), choices(string(o), "valid overrides", valid))
		case slices.Contains(list[:i], o):
			v.add(p, fmt.Sprintf("override %q is listed twice", o), "remove one")
		}
	}
}

// AuthWarnings returns a warning for each key of auth.keys with neither a
// name nor a tenant: its tenant is then its position in the list, so
// adding, removing or reordering keys before it hands what its tenant
// owns (stored responses, files, batches, budgets, the request history)
// to another key. None when authentication is off.
func (c *Config) AuthWarnings() []string {
	var out []string
	for i := range c.Auth.Keys {
		k := &c.Auth.Keys[i]
		if k.Name != "" || k.Tenant != "" {
			continue
		}
		out = append(out, fmt.Sprintf("%s: no name or tenant, so its tenant is its place in the list (%q): adding, removing or reordering keys above it gives what that tenant owns (stored responses, files, batches, budgets, request history) to another key; set its tenant", k.Label(i), k.Label(i)))
	}
	return out
}
