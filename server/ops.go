package server

import (
	"net"
	"net/http"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
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
)

// guardOps lets a request through to an operational endpoint when:
//   - demo mode (AnyKey) is on: everything is open;
//   - admin keys are configured and the request presents one (a client
//     key gets 403, a missing or unknown key 401);
//   - no admin key is configured and the request comes from a loopback
//     address with no Forwarded, X-Forwarded-For or X-Real-IP header (a
//     local reverse proxy does not make its clients local); otherwise 403.
//
// Every refusal is an OpenAI-shaped error and names no key.
func (s *Server) guardOps(next http.Handler) http.Handler {
	if s.opts.AnyKey {
		return next
	}
	admins := make([]clientEntry, len(s.opts.AdminKeys))
	for i := range s.opts.AdminKeys {
		k := &s.opts.AdminKeys[i]
		admins[i] = clientEntry{key: []byte(k.Key)}
		admins[i].caller.Name = k.Label(i)
	}
	clients := make([]clientEntry, len(s.opts.Keys))
	for i := range s.opts.Keys {
		clients[i] = clientEntry{key: []byte(s.opts.Keys[i].Key)}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := []byte(clientKey(r))
		if len(admins) == 0 {
			if !fromLoopback(r) {
				e := llm.Errorf(llm.KindPermission, "The operational endpoints answer only local clients while auth.admin_keys is empty. Configure an admin key, or read them from this host.")
				e.Code = codeLoopbackOnly
				apiopenai.WriteError(w, e)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if len(key) == 0 {
			apiopenai.WriteError(w, llm.Errorf(llm.KindAuth, "The operational endpoints need a key listed under auth.admin_keys, sent as 'Authorization: Bearer KEY'."))
			return
		}
		if c, ok := lookup(admins, key); ok {
			exchangeFrom(r.Context()).caller = c.Name
			next.ServeHTTP(w, r)
			return
		}
		if _, ok := lookup(clients, key); ok {
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
