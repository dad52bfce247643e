package tenant

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// nameRE is the form of a key's name and tenant, as in the
// configuration file.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]*$`)

const maxNameLen = 128

func badSpec(param, format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, format, args...)
	e.Param, e.Code = param, "invalid_key_spec"
	return e
}

// check validates spec for actor a: names, role, tenant, lists, limits
// and expiry.
func (m *Manager) check(a Actor, spec *Spec) error {
	if err := checkName("name", spec.Name); err != nil {
		return err
	}
	if err := checkName("tenant", spec.Tenant); err != nil {
		return err
	}
	if err := checkRole(a, spec); err != nil {
		return err
	}
	if err := m.checkLists(spec); err != nil {
		return err
	}
	l := spec.Limits
	if l.RPM < 0 || l.TPM < 0 || l.MaxConcurrent < 0 || l.MaxConcurrent > 1<<20 {
		return badSpec("limits", "Limits must be positive (rpm, tpm) and max_concurrent at most 1048576; omit a limit for none.")
	}
	if !spec.Expires.IsZero() && !spec.Expires.After(m.now()) {
		return badSpec("expires", "The expiry %s has passed.", spec.Expires.UTC().Format(time.RFC3339))
	}
	return nil
}

func checkName(param, s string) error {
	if s != "" && (len(s) > maxNameLen || !nameRE.MatchString(s) || strings.HasPrefix(s, KeyPrefix)) {
		return badSpec(param, "Invalid %s %q: it starts with a letter or digit, uses only letters, digits and . _ : / -, at most %d characters, and does not start with %q.", param, llm.Clip(s), maxNameLen, KeyPrefix)
	}
	return nil
}

// checkRole checks the role of the key to create: a client key needs a
// tenant; an admin key's role may not be above the actor's, and a scoped
// actor makes only keys of its tenant.
func checkRole(a Actor, spec *Spec) error {
	if spec.Role == "" {
		if spec.Tenant == "" {
			return badSpec("tenant", "A client key needs a tenant (--tenant): its requests are the tenant's.")
		}
		return nil
	}
	if !slices.Contains(config.Roles, spec.Role) {
		return badSpec("role", "Unknown role %q: viewer, operator or admin.", llm.Clip(string(spec.Role)))
	}
	if roleRank(spec.Role) > roleRank(a.Role) {
		e := llm.Errorf(llm.KindPermission, "An admin key of role %s may not create a key of role %s.", a.Role, spec.Role)
		e.Code, e.Param = CodeRoleNotAllowed, "role"
		return e
	}
	if len(spec.Routes)+len(spec.Deployments) > 0 || spec.Overrides != nil || !spec.Limits.IsZero() {
		return badSpec("role", "Routes, deployments, overrides and limits apply to client keys, not admin keys.")
	}
	return nil
}

// config returns the configuration serving now; nil when unknown.
func (m *Manager) config() *config.Config {
	if m.Config == nil {
		return nil
	}
	return m.Config()
}

// checkLists checks the routes, deployments and overrides named.
func (m *Manager) checkLists(spec *Spec) error {
	var routes, deps []string
	if c := m.config(); c != nil {
		routes, deps = append(c.RouteNames(), config.BuiltinRoutes...), c.DeploymentNames()
	}
	for _, l := range []struct {
		param string
		names []string
		known []string
		noun  string
	}{{"routes", spec.Routes, routes, "route"}, {"deployments", spec.Deployments, deps, "deployment"}} {
		for i, n := range l.names {
			switch {
			case !nameRE.MatchString(n):
				return badSpec(l.param, "Invalid %s name %q.", l.noun, llm.Clip(n))
			case l.known != nil && !slices.Contains(l.known, n):
				return badSpec(l.param, "Unknown %s %q (known: %s).", l.noun, n, strings.Join(l.known, ", "))
			case slices.Contains(l.names[:i], llm.Clip(n)):
				return badSpec(l.param, "The %s %q is listed twice.", l.noun, llm.Clip(n))
			}
		}
	}
	for _, o := range spec.Overrides {
		if !slices.Contains(config.Overrides, config.Override(o)) {
			return badSpec("overrides", "Unknown override %q (model, category, max_cost, latency, fallback).", llm.Clip(o))
		}
	}
	return nil
}

// ParseExpires parses an expiry given on the command line or to the admin
// API: a duration from now ("30d", "12h", "90m"; d counts 24 hours), or
// a time as in the configuration file (RFC 3339, or a date: midnight
// UTC). "" means never (the zero time).
func ParseExpires(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, ok := parseDays(s); ok {
		return now.UTC().Add(d), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("expiry %q is not in the future", s)
		}
		return now.UTC().Add(d), nil
	}
	t, err := config.ParseExpiry(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expiry %q: want a duration such as 30d or 12h, an RFC 3339 time or a date", s)
	}
	return t, nil
}

// parseDays parses "<n>d", n from 1 to 36500.
func parseDays(s string) (time.Duration, bool) {
	num, ok := strings.CutSuffix(s, "d")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 36500 || num[0] == '+' {
		return 0, false
	}
	return time.Duration(n) * 24 * time.Hour, true
}

// ParseGrace parses a rotation's grace period: a Go duration ("90m",
// "1h") or days ("7d"); "" means none (the old key stops at once).
func ParseGrace(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if d, ok := parseDays(s); ok {
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("grace %q: want a duration such as 1h or 7d", s)
	}
	return d, nil
}
