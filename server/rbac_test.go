package server

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/store"
)

// principals are the admin keys of adminConfig: every role, unscoped and
// scoped to tenant acme.
var principals = []struct {
	name   string
	role   config.Role
	scoped bool
}{
	{"view", config.RoleViewer, false}, {"view-acme", config.RoleViewer, true},
	{"op", config.RoleOperator, false}, {"op-acme", config.RoleOperator, true},
	{"adm", config.RoleAdmin, false}, {"adm-acme", config.RoleAdmin, true},
}

// concrete turns a pattern into a method and a path to call.
func concrete(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	r := strings.NewReplacer("{id}", "req_unknown", "{deployment}", "no-such-deployment", "{version}", "999")
	return method, r.Replace(path)
}

// TestRBACMatrix calls every operational endpoint mounted as every role,
// unscoped and scoped to a tenant: a call is refused (403 in OpenAI's
// shape, with the code saying why) exactly when admin.Rules says so, and
// every refusal is in the audit trail. An endpoint mounted without a rule,
// or a rule without an endpoint, fails it.
func TestRBACMatrix(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	mounted := a.r.opsPatterns
	rules := map[string]admin.Rule{}
	for _, r := range admin.Rules {
		rules[r.Pattern] = r
	}
	for _, p := range mounted {
		if _, ok := rules[p]; !ok {
			t.Errorf("%s is mounted without a row in admin.Rules", p)
		}
	}
	for p := range rules {
		if !slices.Contains(mounted, p) {
			t.Errorf("admin.Rules has %s, which is not mounted", p)
		}
	}
	denied := 0
	for _, pattern := range mounted {
		rule := rules[pattern]
		for _, pr := range principals {
			t.Run(fmt.Sprintf("%s as %s", pattern, pr.name), func(t *testing.T) {
				method, path := concrete(pattern)
				status, body := a.call(pr.name, method, path, "", "")
				byRole := slices.Index(config.Roles, pr.role) >= slices.Index(config.Roles, rule.Role)
				byScope := !pr.scoped || rule.Scope != admin.ScopeGlobal
				code := codeOf(body)
				switch {
				case !byRole:
					denied++
					if status != 403 || code != admin.CodeInsufficientRole {
						t.Errorf("want 403 insufficient_role; got %d %s", status, body)
					}
				case !byScope:
					denied++
					if status != 403 || code != "tenant_not_allowed" {
						t.Errorf("want 403 tenant_not_allowed; got %d %s", status, body)
					}
				case status == 403:
					t.Errorf("allowed by the rule, refused: %s", body)
				}
			})
		}
	}
	evs := a.waitAudit(fmt.Sprintf("%d admin.denied events", denied), func(evs []store.AuditEvent) bool {
		n := 0
		for _, e := range evs {
			if e.Action == admin.ActionDenied {
				n++
			}
		}
		return n == denied
	})
	for _, e := range evs {
		if e.Action == admin.ActionDenied && (e.Outcome != store.AuditDenied || e.Actor == "" || !strings.Contains(e.Target, "/")) {
			t.Errorf("denied event %+v", e)
		}
	}
	// 18 below their role (viewers on the health reset, the config
	// changes and the four key endpoints; operators on the config
	// changes), 13 scoped on the global endpoints.
	if denied != 31 {
		t.Errorf("%d refusals; the table as written refuses 31", denied)
	}
}

// TestOperationalEndpointsRefuseOthers: without a key, with a wrong key or
// with a client key, every operational endpoint is refused before its
// role is looked at, and the attempt is audited without the key.
func TestOperationalEndpointsRefuseOthers(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	for _, pattern := range a.r.opsPatterns {
		method, path := concrete(pattern)
		for _, who := range []struct {
			principal string
			status    int
			code      string
		}{
			{"", 401, ""},
			{"client:wrong-SECRET-guess", 401, "invalid_api_key"},
			{"client:client-env-SECRET", 403, "admin_key_required"},
		} {
			status, body := a.call(who.principal, method, path, "", "")
			if status != who.status || codeOf(body) != who.code {
				t.Errorf("%s by %q: %d %s; want %d %s", pattern, who.principal, status, body, who.status, who.code)
			}
		}
	}
	n := len(a.r.opsPatterns)
	evs := a.waitAudit("the failed logins", func(evs []store.AuditEvent) bool {
		failed, denied := 0, 0
		for _, e := range evs {
			switch e.Action {
			case ActionLoginFailed:
				failed++
			case admin.ActionDenied:
				denied++
			}
		}
		return failed == 2*n && denied == n
	})
	for _, e := range evs {
		if strings.Contains(e.Detail, "wrong-SECRET-guess") || strings.Contains(e.Detail, "client-env-SECRET") {
			t.Errorf("a presented key is in the audit trail: %+v", e)
		}
		if e.Action == ActionLoginFailed && strings.Contains(e.Detail, "client key") && !strings.Contains(e.Detail, "sha256:") {
			t.Errorf("a failed login without the key's fingerprint: %+v", e)
		}
	}
}
