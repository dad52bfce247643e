package config

import (
	"reflect"
	"strings"
	"testing"
)

// adminDoc is a valid configuration with one client key and
// auth.admin_keys set to keys (YAML lines indented under admin_keys:).
func adminDoc(keys string) string {
	return okProvider + "deployments: {d: {provider: openai}}\nauth:\n  keys: [sk-SECRET-client]\n  admin_keys:\n" + keys
}

func TestAdminKeys(t *testing.T) {
	vars := env(map[string]string{"OPS_KEY": "sk-ops"})
	tests := []struct {
		name string
		keys string
		want []AdminKey
	}{
		{"plain string is an admin", "    - ${OPS_KEY}\n", []AdminKey{{Key: "sk-ops", Role: RoleAdmin}}},
		{"mapping, role defaulted", "    - {key: k1, name: ops}\n", []AdminKey{{Key: "k1", Name: "ops", Role: RoleAdmin}}},
		{"scoped to a tenant", "    - {key: k1, name: acme-ops, role: viewer, tenant: acme}\n",
			[]AdminKey{{Key: "k1", Name: "acme-ops", Role: RoleViewer, Tenant: "acme"}}},
		{"every role", "    - {key: k1, role: viewer}\n    - {key: k2, role: operator}\n    - {key: k3, role: admin}\n",
			[]AdminKey{{Key: "k1", Role: RoleViewer}, {Key: "k2", Role: RoleOperator}, {Key: "k3", Role: RoleAdmin}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, []byte(adminDoc(tt.keys)), vars)
			if !reflect.DeepEqual(c.Auth.AdminKeys, tt.want) {
				t.Errorf("AdminKeys = %#v, want %#v", c.Auth.AdminKeys, tt.want)
			}
		})
	}
	if got := (&AdminKey{Key: "x"}).Label(2); got != "auth.admin_keys[2]" {
		t.Errorf("unnamed Label = %q", got)
	}
}

func TestAdminKeyMistakes(t *testing.T) {
	tests := []struct {
		name          string
		keys          string
		path, problem string
	}{
		{"unknown role", "    - {key: k, role: root}\n", "auth.admin_keys[0].role", `unknown role "root"`},
		{"a client key", "    - sk-SECRET-client\n", "auth.admin_keys[0]", "same key as auth.keys[0]"},
		{"duplicate", "    - sk-SECRET-a\n    - {key: sk-SECRET-a}\n", "auth.admin_keys[1]", "same key as auth.admin_keys[0]"},
		{"empty", "    - {key: \"\"}\n", "auth.admin_keys[0]", "is empty"},
		{"name is a key", "    - {key: sk-SECRET-a, name: sk-SECRET-client}\n", "auth.admin_keys[0].name", "is one of the keys"},
		{"unknown field", "    - {key: k, rol: viewer}\n", "auth.admin_keys[0]", `unknown field "rol"`},
		{"list element", "    - [a]\n", "auth.admin_keys[0]", "must be a key or a mapping {key, name, role, tenant}"},
		{"bad tenant", "    - {key: k, tenant: \"acme corp\"}\n", "auth.admin_keys[0].tenant", `invalid tenant "acme corp"`},
		{"tenant is a key", "    - {key: sk-SECRET-a, tenant: sk-SECRET-client}\n", "auth.admin_keys[0].tenant", "is one of the keys"},
		{"tenant not a string", "    - {key: k, tenant: [a]}\n", "auth.admin_keys[0].tenant", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(adminDoc(tt.keys)), nil)
			findError(t, err, tt.path, tt.problem)
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("an error message holds a key:\n%v", err)
			}
		})
	}
}

func TestAdminListen(t *testing.T) {
	tests := []struct{ server, problem string }{
		{"{admin_listen: 127.0.0.1:9090}", ""},
		{"{admin_listen: nonsense}", "is not a host:port listen address"},
		{"{addr: 127.0.0.1:8080, admin_listen: 127.0.0.1:8080}", "is the same address as server.addr"},
	}
	for _, tt := range tests {
		c, err := Parse([]byte(okProvider+"deployments: {d: {provider: openai}}\nserver: "+tt.server+"\n"), nil)
		if tt.problem == "" {
			if err != nil || c.Server.AdminListen != "127.0.0.1:9090" {
				t.Errorf("%s: %v, admin_listen %q", tt.server, err, c.Server.AdminListen)
			}
			continue
		}
		findError(t, err, "server.admin_listen", tt.problem)
	}
}

// TestDashboard: server.dashboard is on unless set to false, and takes
// only true or false.
func TestDashboard(t *testing.T) {
	for _, tt := range []struct {
		server string
		on     bool
	}{{"{}", true}, {"{dashboard: true}", true}, {"{dashboard: false}", false}} {
		c, err := Parse([]byte(okProvider+"deployments: {d: {provider: openai}}\nserver: "+tt.server+"\n"), nil)
		if err != nil || c.Server.DashboardOn() != tt.on {
			t.Errorf("%s: %v, on %v; want %v", tt.server, err, err == nil && c.Server.DashboardOn(), tt.on)
		}
	}
	_, err := Parse([]byte(okProvider+"deployments: {d: {provider: openai}}\nserver: {dashboard: sometimes}\n"), nil)
	findError(t, err, "server.dashboard", "must be true or false")
}

// TestTrustedOrigins: server.trusted_origins takes origins as a browser
// sends them; a path, a bare host or a non-list is refused where it is.
func TestTrustedOrigins(t *testing.T) {
	c, err := Parse([]byte(okProvider+"deployments: {d: {provider: openai}}\nserver: {trusted_origins: [\"https://app.example.com\", \"http://localhost:5173\"]}\n"), nil)
	if err != nil || len(c.Server.TrustedOrigins) != 2 || c.Server.TrustedOrigins[1] != "http://localhost:5173" {
		t.Fatalf("%v, %v", err, c)
	}
	for _, bad := range []struct{ list, path, problem string }{
		{`["https://app.example.com/path"]`, "server.trusted_origins[0]", "is not an origin"},
		{`["app.example.com"]`, "server.trusted_origins[0]", "is not an origin"},
		{`"https://app.example.com"`, "server.trusted_origins", "must be a list"},
	} {
		_, err := Parse([]byte(okProvider+"deployments: {d: {provider: openai}}\nserver: {trusted_origins: "+bad.list+"}\n"), nil)
		findError(t, err, bad.path, bad.problem)
	}
}
