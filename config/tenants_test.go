package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// tenantDoc is a valid configuration with two deployments, a route, and
// the given auth.keys lines and tenants section.
func tenantDoc(keys, tenants string) string {
	doc := okProvider + "deployments: {d1: {provider: openai}, d2: {provider: openai}}\n" +
		"routes: {support: {deployments: [d1, d2]}}\n"
	if keys != "" {
		doc += "auth:\n  keys:\n" + keys
	}
	if tenants != "" {
		doc += "tenants:\n" + tenants
	}
	return doc
}

func TestKeyLimitsAndAccess(t *testing.T) {
	c := mustParse(t, []byte(tenantDoc(
		"    - {key: k1, tenant: acme, routes: [support, auto], deployments: [d1], rpm: 60, tpm: 100_000, max_concurrent: 4, expires: 2026-12-31}\n"+
			"    - {key: k2, routes: [], expires: \"2026-06-01T12:00:00+02:00\"}\n"+
			"    - k3\n",
		"  acme: {rpm: 600, tpm: 1000000, max_concurrent: 16, routes: [support], deployments: [d1, d2]}\n  globex: {}\n")), nil)
	want := []Key{
		{Key: "k1", Tenant: "acme", Access: Access{Routes: []string{"support", "auto"}, Deployments: []string{"d1"}},
			Limits: Limits{RPM: 60, TPM: 100000, MaxConcurrent: 4}, Expires: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
		{Key: "k2", Access: Access{Routes: []string{}}, Expires: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)},
		{Key: "k3"},
	}
	if !reflect.DeepEqual(c.Auth.Keys, want) {
		t.Errorf("Auth.Keys =\n%+v\nwant\n%+v", c.Auth.Keys, want)
	}
	if c.Auth.Keys[1].Routes == nil || c.Auth.Keys[2].Routes != nil {
		t.Error("routes: [] must be an empty list (none), an omitted list nil (every one)")
	}
	wantTenants := map[string]*Tenant{
		"acme": {Name: "acme", Limits: Limits{RPM: 600, TPM: 1000000, MaxConcurrent: 16},
			Access: Access{Routes: []string{"support"}, Deployments: []string{"d1", "d2"}}},
		"globex": {Name: "globex"},
	}
	if !reflect.DeepEqual(c.Tenants, wantTenants) {
		t.Errorf("Tenants = %+v, want %+v", c.Tenants, wantTenants)
	}
	if got := c.TenantNames(); !reflect.DeepEqual(got, []string{"acme", "globex"}) {
		t.Errorf("TenantNames = %v", got)
	}
}

func TestTenantMistakes(t *testing.T) {
	tests := []struct {
		name, keys, tenants string
		path, problem, hint string
	}{
		{"unknown route", "    - {key: k, routes: [suport]}\n", "",
			"auth.keys[0].routes[0]", `unknown route "suport"`, `did you mean "support"?`},
		{"route twice", "    - {key: k, routes: [auto, auto]}\n", "",
			"auth.keys[0].routes[1]", `route "auto" is listed twice`, "remove one"},
		{"unknown deployment", "    - {key: k, deployments: [d3]}\n", "",
			"auth.keys[0].deployments[0]", `unknown deployment "d3"`, "known deployments: d1, d2"},
		{"zero rpm", "    - {key: k, rpm: 0}\n", "",
			"auth.keys[0].rpm", "must be > 0, got 0", "omit it for the default"},
		{"negative tpm", "    - {key: k, tpm: -5}\n", "",
			"auth.keys[0].tpm", "must be > 0, got -5", "tokens per minute"},
		{"concurrency not a number", "    - {key: k, max_concurrent: lots}\n", "",
			"auth.keys[0].max_concurrent", "must be an integer", "requests at once"},
		{"bad expiry", "    - {key: k, expires: 30d}\n", "",
			"auth.keys[0].expires", "must be a time", "RFC 3339"},
		{"tenant unknown route", "", "  acme: {routes: [nope]}\n",
			"tenants.acme.routes[0]", `unknown route "nope"`, "known routes"},
		{"tenant unknown field", "", "  acme: {rpn: 5}\n",
			"tenants.acme", `unknown field "rpn"`, `did you mean "rpm"?`},
		{"tenant invalid name", "", "  \"acme corp\": {rpm: 5}\n",
			"tenants.acme corp", `invalid tenant name "acme corp"`, "letters, digits"},
		{"tenant not a mapping", "", "  - acme\n",
			"tenants", "must be a mapping", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tenantDoc(tt.keys, tt.tenants)), nil)
			fe := findError(t, err, tt.path, tt.problem)
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint %q does not contain %q", fe.Hint, tt.hint)
			}
		})
	}
}

func TestTenantNamedAfterAKeyIsNotShown(t *testing.T) {
	_, err := Parse([]byte(tenantDoc("    - sk-SECRET-x\n", "  sk-SECRET-x: {rpm: 5}\n")), nil)
	findError(t, err, "tenants", "a tenant's name is one of the keys")
	if strings.Contains(err.Error(), "sk-SECRET") {
		t.Errorf("the error repeats the key: %v", err)
	}
}

func TestParseExpiry(t *testing.T) {
	for s, want := range map[string]time.Time{
		"2026-12-31":                time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		"2026-12-31T23:59:59Z":      time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
		"2026-12-31T23:59:59-05:00": time.Date(2027, 1, 1, 4, 59, 59, 0, time.UTC),
	} {
		if got, err := ParseExpiry(s); err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseExpiry(%q) = %v, %v; want %v UTC", s, got, err, want)
		}
	}
	for _, s := range []string{"", "30d", "2026-13-01", "tomorrow"} {
		if _, err := ParseExpiry(s); err == nil {
			t.Errorf("ParseExpiry(%q) succeeded", s)
		}
	}
}

func TestTenantBudgetOfAManagedKeysTenant(t *testing.T) {
	// No auth.keys: the tenant is only a managed key's, named in tenants.
	doc := tenantDoc("", "  acme: {rpm: 60}\n") + "budgets:\n  - {name: acme-daily, scope: tenant, match: acme, period: daily, limit_usd: 5}\n"
	if _, err := Parse([]byte(doc), nil); err != nil {
		t.Fatalf("a budget of a tenant listed under tenants: %v", err)
	}
	_, err := Parse([]byte(tenantDoc("", "  acme: {rpm: 60}\n")+"budgets:\n  - {name: b, scope: tenant, match: globex, period: daily, limit_usd: 5}\n"), nil)
	findError(t, err, "budgets[0].match", `no tenant is called "globex"`)
}
