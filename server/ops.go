package server

import (
	"net"
	"net/http"

	"switchyard/admin"
	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/llm"
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
//   - admin keys are configured and the request presents one (a client
//     key gets 403, a missing or unknown key 401);
//   - no admin key is configured and the request comes from a loopback
//     address with no Forwarded, X-Forwarded-For or X-Real-IP header (a
//     local reverse proxy does not make its clients local); otherwise 403.
//
// A request let through carries its admin.Principal: the admin key's
// name, role and tenant, or an unscoped admin ("demo", "loopback") when no
// key was needed. Every refusal is an OpenAI-shaped error and names no
// key.
func (s *Server) guardOps(next http.Handler) http.Handler {
	if s.opts.AnyKey {
		return withPrincipal(next, admin.Unscoped("demo"))
	}
	local := withPrincipal(next, admin.Unscoped("loopback"))
	admins := adminEntries(s.opts.AdminKeys)
	clients := make([]clientEntry, len(s.opts.Keys))
	for i := range s.opts.Keys {
		clients[i] = clientEntry{key: []byte(s.opts.Keys[i].Key)}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := []byte(clientKey(r))
		if len(key) > 0 {
			// A managed admin key (switchyard keys create --admin) opens
			// the endpoints whether or not the file lists admin keys.
			switch id, status := s.ring.LookupAdmin(string(key)); status {
			case tenant.Valid:
				exchangeFrom(r.Context()).caller = id.Name
				next.ServeHTTP(w, r.WithContext(admin.WithPrincipal(r.Context(), admin.Principal{Name: id.Name, Role: id.Role, Tenant: id.Tenant})))
				return
			case tenant.Expired, tenant.Revoked:
				apiopenai.WriteError(w, keyRefusal(status, ""))
				return
			}
		}
		if len(admins) == 0 {
			if !fromLoopback(r) {
				e := llm.Errorf(llm.KindPermission, "The operational endpoints answer only local clients while auth.admin_keys is empty. Configure an admin key, or read them from this host.")
				e.Code = codeLoopbackOnly
				apiopenai.WriteError(w, e)
				return
			}
			local.ServeHTTP(w, r)
			return
		}
		if len(key) == 0 {
			apiopenai.WriteError(w, llm.Errorf(llm.KindAuth, "The operational endpoints need a key listed under auth.admin_keys, sent as 'Authorization: Bearer KEY'."))
			return
		}
		if p, ok := lookupAdmin(admins, key); ok {
			exchangeFrom(r.Context()).caller = p.Name
			next.ServeHTTP(w, r.WithContext(admin.WithPrincipal(r.Context(), p)))
			return
		}
		if _, status := s.ring.Lookup(string(key)); status != tenant.Unknown || isClient(clients, key) {
			e := llm.Errorf(llm.KindPermission, "This is a client key; the operational endpoints need a key listed under auth.admin_keys.")
			e.Code = codeAdminKeyRequired
			apiopenai.WriteError(w, e)
			return
		}
		e := llm.Errorf(llm.KindAuth, "Incorrect API key provided. The operational endpoints need a key listed under auth.admin_keys.")
		e.Code = "invalid_api_key"
		apiopenai.WriteError(w, e)
	})
}

// adminEntry is one admin key and the principal it authenticates.
type adminEntry struct {
	key       []byte
	principal admin.Principal
}

func adminEntries(keys []config.AdminKey) []adminEntry {
	out := make([]adminEntry, len(keys))
	for i := range keys {
		k := &keys[i]
		out[i] = adminEntry{key: []byte(k.Key), principal: admin.Principal{Name: k.Label(i), Role: k.Role, Tenant: k.Tenant}}
	}
	return out
}

// lookupAdmin finds key among keys in constant time (see matchKey).
func lookupAdmin(keys []adminEntry, key []byte) (admin.Principal, bool) {
	if i := matchKey(len(keys), func(i int) []byte { return keys[i].key }, key); i >= 0 {
		return keys[i].principal, true
	}
	return admin.Principal{}, false
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

// isClient reports whether key is one of the client keys of the file.
func isClient(clients []clientEntry, key []byte) bool {
	_, ok := lookup(clients, key)
	return ok
}
