package config

import (
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// This file holds what guards the operational endpoints (/metrics,
// /admin/): auth.admin_keys and their roles. server.admin_listen is
// checked here too.

// Role is what an admin key may do: viewer reads, operator also acts on
// deployments' health, admin may do everything, the configuration
// included (the table is admin.Rules).
type Role string

// The roles an admin key may have.
const (
	RoleViewer   Role = "viewer"
	RoleOperator Role = "operator"
	RoleAdmin    Role = "admin"
)

// Roles lists every role, least privileged first.
var Roles = []Role{RoleViewer, RoleOperator, RoleAdmin}

// AdminKey is one key of an operator. In switchyard.yaml it is either a
// plain string (role admin, every tenant) or a mapping
// {key, name, role, tenant}, as in auth.keys.
type AdminKey struct {
	// Key is the secret presented (Authorization: Bearer or x-api-key). It
	// never appears in errors or logs, and may not also be a client key.
	Key string
	// Name identifies the key in logs instead of the key; empty means
	// "auth.admin_keys[i]" (see Label).
	Name string
	// Role is one of Roles; empty means RoleAdmin (Validate fills it in).
	Role Role
	// Tenant scopes the key to one tenant's rows (the request log, the
	// audit trail) and refuses it what concerns every tenant (the
	// configuration); empty means every tenant's.
	Tenant string
}

// Label returns how logs name the i-th admin key: its Name, or
// "auth.admin_keys[i]". It never returns the key.
func (k *AdminKey) Label(i int) string {
	if k.Name != "" {
		return k.Name
	}
	return fmt.Sprintf("auth.admin_keys[%d]", i)
}

const adminKeyExample = `- ${OPS_KEY}, or - {key: "${OPS_KEY}", name: acme-ops, role: viewer, tenant: acme}`

// adminKeys decodes auth.admin_keys, whose elements are strings or
// mappings.
func (d *decoder) adminKeys(e entry) []AdminKey {
	var keys []AdminKey
	for _, el := range d.list(e, `["${SWITCHYARD_ADMIN_KEY}"]`) {
		var k AdminKey
		switch el.node.(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			d.secretEntry(el, []field{
				{"key", func(e entry) { d.secretStr(e, d.identity(el.node, "key"), &k.Key) }},
				{"name", func(e entry) { d.str(e, &k.Name) }},
				{"role", func(e entry) {
					var r string
					d.str(e, &r)
					k.Role = Role(r)
				}},
				{"tenant", func(e entry) { d.str(e, &k.Tenant) }},
			})
		case *ast.SequenceNode:
			d.fail(el.path, el.node, "must be a key or a mapping {key, name, role, tenant}, got a list", "one entry per key: "+adminKeyExample)
		default:
			d.secretStr(el, "", &k.Key)
		}
		keys = append(keys, k)
	}
	return keys
}

func (a *Auth) applyDefaults() {
	for i := range a.AdminKeys {
		if a.AdminKeys[i].Role == "" {
			a.AdminKeys[i].Role = RoleAdmin
		}
	}
}

func (v *validator) adminKeys() {
	keys := v.c.Auth.AdminKeys
	for i := range keys {
		k := &keys[i]
		path := fmt.Sprintf("auth.admin_keys[%d]", i)
		switch {
		case k.Key == "":
			v.add(path, "is empty", "set the variable it comes from, or remove the entry")
		case strings.TrimSpace(k.Key) != k.Key || hasControl(k.Key):
			v.add(path, "has leading or trailing spaces or control characters", "check how the key was copied")
		case slices.ContainsFunc(v.c.Auth.Keys, func(o Key) bool { return o.Key == k.Key }):
			j := slices.IndexFunc(v.c.Auth.Keys, func(o Key) bool { return o.Key == k.Key })
			v.add(path, fmt.Sprintf("same key as auth.keys[%d]", j), "an admin key must differ from every client key")
		default:
			if j := slices.IndexFunc(keys[:i], func(o AdminKey) bool { return o.Key == k.Key }); j >= 0 {
				v.add(path, fmt.Sprintf("same key as auth.admin_keys[%d]", j), "remove one of them")
			}
		}
		v.keyName(path+".name", k.Name)
		if !slices.Contains(Roles, k.Role) {
			v.add(path+".role", fmt.Sprintf("unknown role %q", k.Role), `one of viewer, operator, admin (the default)`)
		}
		v.adminTenant(path+".tenant", k.Tenant)
	}
}

// adminTenant checks an admin key's tenant, which admin responses show:
// a tenant name, never a key.
func (v *validator) adminTenant(path, tenant string) {
	switch {
	case tenant == "":
	case slices.ContainsFunc(v.c.Auth.Keys, func(k Key) bool { return k.Key == tenant }) ||
		slices.ContainsFunc(v.c.Auth.AdminKeys, func(k AdminKey) bool { return k.Key == tenant }):
		v.add(path, "is one of the keys", "a tenant is a name such as acme; the requests of client keys with that tenant are the ones this key sees")
	case !nameRE.MatchString(tenant):
		v.add(path, fmt.Sprintf("invalid tenant %q", tenant), nameHint)
	}
}

// adminListen checks server.admin_listen.
func (v *validator) adminListen() {
	s := &v.c.Server
	if s.AdminListen == "" {
		return
	}
	if host, port, err := net.SplitHostPort(s.AdminListen); err != nil || !validPort(port) || strings.ContainsAny(host, " /") {
		v.add("server.admin_listen", fmt.Sprintf("%q is not a host:port listen address", s.AdminListen),
			`e.g. "127.0.0.1:9090"`)
		return
	}
	if s.AdminListen == s.Addr {
		v.add("server.admin_listen", "is the same address as server.addr", "give the operational endpoints a port of their own, or remove admin_listen")
	}
}
