package server

import (
	"net"
	"net/http"

	"switchyard/admin"
	apiopenai "switchyard/api/openai"
	"switchyard/audit"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/tenant"
)

// This file guards the operational endpoints (/metrics, /admin/): they
// show traffic, deployments and health, and later change state, so a
// client key does not open them.

// Error codes of the operational endpoints' guard.
const (
	// codeAdminKeyRequired: a client key was presented where an admin key
	// is needed (403).
	codeAdminKeyRequired = "admin_key_required"
	// codeLoopbackOnly: no admin key is configured and the request came
	// from another host, or through a proxy (403).
	codeLoopbackOnly = "admin_loopback_only"
	// codeTenantNotAllowed: an admin key scoped to a tenant asked for what
	// covers every tenant (403), as the admin API names it.
	codeTenantNotAllowed = "tenant_not_allowed"
)

// guardOps lets a request through to an operational endpoint when:
//   - demo mode (AnyKey) is on: everything is open;
//   - the request presents an admin key that works: one of auth.admin_keys
//     of the configuration serving now, or a managed admin key (switchyard
//     keys create --admin). A client key gets 403, an expired or revoked
//     admin key, or an unknown or missing key, 401;
//   - no admin key exists (neither in the file nor in the store) and the
//     request comes from a loopback address with no Forwarded,
//     X-Forwarded-For or X-Real-IP header (a local reverse proxy does not
//     make its clients local); otherwise 403.
//
// A request served without a key must also be addressed to this machine
// by a name no other site can use (localHost, against DNS rebinding).
//
// A request let through carries its admin.Principal: the admin key's
// name, role and tenant, or an unscoped admin ("demo", "loopback") when no
// key was needed; admin.Authorize then checks its role. Every refusal is
// an OpenAI-shaped error that names no key, and is audited.
func (s *Server) guardOps(next http.Handler) http.Handler {
	if s.opts.AnyKey {
		return s.localHost(withPrincipal(next, admin.Unscoped("demo")))
	}
	local := s.localHost(withPrincipal(next, admin.Unscoped("loopback")))
	ring := s.ring
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := clientKey(r)
		if key != "" {
			switch id, status := ring.LookupAdmin(key); status {
			case tenant.Valid:
				exchangeFrom(r.Context()).caller = id.Name
				next.ServeHTTP(w, r.WithContext(admin.WithPrincipal(r.Context(), admin.Principal{Name: id.Name, Role: id.Role, Tenant: id.Tenant, KeyID: id.ID})))
				return
			case tenant.Expired, tenant.Revoked:
				s.failedLogin(r, "admin key "+audit.Fingerprint(key)+" "+refusedBecause(status, ""))
				apiopenai.WriteError(w, keyRefusal(status, ""))
				return
			}
		}
		if !ring.AdminsEnabled() {
			if !fromLoopback(r) {
				s.refusedOps(r, "anonymous", codeLoopbackOnly)
				e := llm.Errorf(llm.KindPermission, "The operational endpoints answer only local clients while no admin key exists (auth.admin_keys is empty, and no managed admin key was made). Configure an admin key, or read them from this host.")
				e.Code = codeLoopbackOnly
				apiopenai.WriteError(w, e)
				return
			}
			local.ServeHTTP(w, r)
			return
		}
		if key == "" {
			s.failedLogin(r, "no key on an operational endpoint")
			apiopenai.WriteError(w, llm.Errorf(llm.KindAuth, "The operational endpoints need an admin key (listed under auth.admin_keys, or made with switchyard keys create --admin), sent as 'Authorization: Bearer KEY'."))
			return
		}
		if id, status := ring.Lookup(key); status != tenant.Unknown {
			name := "anonymous"
			if id != nil {
				name = id.Name
			}
			s.refusedOps(r, name, codeAdminKeyRequired)
			e := llm.Errorf(llm.KindPermission, "This is a client key; the operational endpoints need an admin key (auth.admin_keys, or switchyard keys create --admin).")
			e.Code = codeAdminKeyRequired
			apiopenai.WriteError(w, e)
			return
		}
		s.failedLogin(r, "admin key "+audit.Fingerprint(key)+" matched no admin key (auth.admin_keys or the managed ones)")
		e := llm.Errorf(llm.KindAuth, "Incorrect API key provided. The operational endpoints need an admin key listed under auth.admin_keys, or made with switchyard keys create --admin.")
		e.Code = "invalid_api_key"
		apiopenai.WriteError(w, e)
	})
}

// keyRequired reports whether guardOps wants an admin key from the sender
// of r: not in demo mode, nor from this host while no admin key exists.
func (s *Server) keyRequired(r *http.Request) bool {
	if s.opts.AnyKey {
		return false
	}
	return s.ring.AdminsEnabled() || !fromLoopback(r)
}

// refusedOps records, rate limited, a request refused the operational
// endpoints before its role was looked at.
func (s *Server) refusedOps(r *http.Request, actor, code string) {
	s.opts.Audit.Untrusted(store.AuditEvent{Actor: actor, Action: admin.ActionDenied, Target: r.Method + " " + r.URL.Path,
		Detail: code + " (from " + remoteHost(r) + ")", Outcome: store.AuditDenied})
}

// withPrincipal lets every request through to next as p.
func withPrincipal(next http.Handler, p admin.Principal) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(admin.WithPrincipal(r.Context(), p)))
	})
}

// fromLoopback reports whether r came straight from this host: a loopback
// peer address and no header saying a proxy forwarded it.
func fromLoopback(r *http.Request) bool {
	if r.Header.Get("Forwarded") != "" || r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("X-Real-IP") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// everyTenant lets through to next, which shows every tenant's data (the
// metrics with a tenant label), only principals that may read every
// tenant; a key scoped to one gets 403 tenant_not_allowed.
func everyTenant(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, _ := admin.PrincipalFrom(r.Context()); p.Tenant != "" {
			e := llm.Errorf(llm.KindPermission, "This admin key is scoped to tenant %q, and /metrics holds every tenant's series (telemetry.metrics_tenant_label is on). Scrape it with an admin key without a tenant.", p.Tenant)
			e.Code = codeTenantNotAllowed
			apiopenai.WriteError(w, e)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// opsContentSecurityPolicy is the policy of every operational answer:
// JSON, YAML or metrics text, never a page, so it may load nothing and be
// framed by none.
const opsContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// opsHeaders sets, on every answer of the operational endpoints (data,
// refusals and 404s alike), the headers that keep it out of caches (it may
// hold prompts, the audit trail, a new key), stop a browser sniffing it
// into another type, and forbid framing it. A handler may still set its
// own Content-Type.
func opsHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", opsContentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}
