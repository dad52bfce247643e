package server

import (
	"net"
	"net/http"
	"strings"

	apiopenai "switchyard/api/openai"
	"switchyard/audit"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/tenant"
)

// authenticate checks the client key (Authorization: Bearer, or x-api-key
// as Anthropic clients send it) and puts the caller it identifies in the
// request's context. The key is never logged or forwarded. Keys are
// looked up in memory (the keyring): the client keys of the
// configuration serving now, and the managed keys of the store, reloaded
// in the background. A key that matches none, or no longer works, is
// recorded in the audit trail by a short hash, never itself (see
// audit.Fingerprint). A Realtime API handshake may present a client
// secret the router minted instead (client_secrets.go).
func (s *Server) authenticate(next http.Handler) http.Handler {
	if s.opts.AnyKey {
		return next
	}
	ring := s.ring
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ring.Enabled() {
			next.ServeHTTP(w, r)
			return
		}
		key := clientKey(r)
		if key == "" {
			e := llm.Errorf(llm.KindAuth, "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY' or 'x-api-key: YOUR_KEY' (the OpenAI and Anthropic SDKs do this from api_key).")
			s.writeError(w, r, e)
			return
		}
		if isEphemeral(r, key) {
			c, err := s.ephemeralCaller(r, key)
			if err != nil {
				s.failedLogin(r, "client secret "+audit.Fingerprint(key)+" unknown, expired or for another model")
				s.writeError(w, r, err)
				return
			}
			ex := exchangeFrom(r.Context())
			ex.caller, ex.tenant = c.Name, c.Tenant
			s.live.own(llm.RequestID(r.Context()), c.Tenant)
			next.ServeHTTP(w, r.WithContext(gateway.WithCaller(r.Context(), c)))
			return
		}
		id, status := ring.Lookup(key)
		if status != tenant.Valid {
			s.failedLogin(r, "client key "+audit.Fingerprint(key)+" "+refusedBecause(status, "auth.keys or the managed keys"))
			s.writeError(w, r, keyRefusal(status, "Use a key listed under auth.keys in the router's configuration, or one made with switchyard keys create."))
			return
		}
		c := gateway.CallerOf(id)
		ex := exchangeFrom(r.Context())
		ex.caller, ex.tenant = c.Name, c.Tenant
		s.live.own(llm.RequestID(r.Context()), c.Tenant)
		next.ServeHTTP(w, r.WithContext(gateway.WithCaller(r.Context(), c)))
	})
}

// keyring returns Options.Keyring, or one of Options.Keys and AdminKeys.
func (s *Server) keyring() *tenant.Keyring {
	if s.opts.Keyring != nil {
		return s.opts.Keyring
	}
	return tenant.NewKeyring(tenant.Options{Config: &config.Config{Auth: config.Auth{Keys: s.opts.Keys, AdminKeys: s.opts.AdminKeys}}})
}

// keyRefusal is the 401 of a key that did not pass: unknown (hint says
// where keys come from), expired or revoked. It never names the key.
func keyRefusal(status tenant.Status, hint string) *llm.Error {
	switch status {
	case tenant.Expired:
		e := llm.Errorf(llm.KindAuth, "This API key has expired (or was rotated and its grace period ended). Ask for a new key.")
		e.Code = tenant.CodeKeyExpired
		return e
	case tenant.Revoked:
		e := llm.Errorf(llm.KindAuth, "This API key was revoked. Ask for a new key.")
		e.Code = tenant.CodeKeyRevoked
		return e
	}
	e := llm.Errorf(llm.KindAuth, "Incorrect API key provided. %s", hint)
	e.Code = "invalid_api_key"
	return e
}

// refusedBecause says, for the audit trail, why a key of the keys named
// by where did not pass.
func refusedBecause(status tenant.Status, where string) string {
	switch status {
	case tenant.Expired:
		return "has expired"
	case tenant.Revoked:
		return "was revoked"
	}
	return "matched no key of " + where
}

// failedLogin records, rate limited and off the request's path, a key
// that did not pass (detail names it by its hash only).
func (s *Server) failedLogin(r *http.Request, detail string) {
	s.opts.Audit.Untrusted(store.AuditEvent{Actor: "anonymous", Action: ActionLoginFailed, Target: r.Method + " " + r.URL.Path,
		Detail: detail + " (from " + remoteHost(r) + ")", Outcome: store.AuditDenied})
}

// ActionLoginFailed is the audit action of a request whose key matched no
// key (of the configuration or the managed ones), had expired or was
// revoked, or that brought no key where one is needed.
const ActionLoginFailed = "auth.failed"

// remoteHost is the address of the peer that sent r (not a forwarded
// client's, which a header could forge).
func remoteHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// clientKey is the key r presents: Authorization: Bearer, x-api-key, or
// on the Realtime API's handshake the subprotocol a browser offers it as
// (openai-insecure-api-key.KEY, which browsers' WebSocket cannot send as
// a header).
func clientKey(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	if k := r.Header.Get("x-api-key"); k != "" || !isRealtime(r) {
		return k
	}
	return apiopenai.RealtimeKey(r.Header)
}
