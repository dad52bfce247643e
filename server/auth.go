package server

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"

	apiopenai "switchyard/api/openai"
	"switchyard/audit"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/store"
)

// authenticate checks the client key (Authorization: Bearer, or x-api-key
// as Anthropic clients send it) and puts the caller it identifies in the
// request's context. The key is never logged or forwarded. A key that
// matches none is recorded in the audit trail by a short hash, never
// itself (see audit.Fingerprint).
func (s *Server) authenticate(next http.Handler) http.Handler {
	if s.opts.AnyKey {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys := s.keys.Load().clients
		if len(keys) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		key := clientKey(r)
		if key == "" {
			e := llm.Errorf(llm.KindAuth, "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY' (the OpenAI SDKs do this from api_key).")
			apiopenai.WriteError(w, e)
			return
		}
		c, ok := lookup(keys, []byte(key))
		if !ok {
			s.failedLogin(r, "client key "+audit.Fingerprint(key)+" matched no key of auth.keys")
			e := llm.Errorf(llm.KindAuth, "Incorrect API key provided. Use a key listed under auth.keys in the router's configuration.")
			e.Code = "invalid_api_key"
			apiopenai.WriteError(w, e)
			return
		}
		ex := exchangeFrom(r.Context())
		ex.caller, ex.tenant = c.Name, c.Tenant
		next.ServeHTTP(w, r.WithContext(gateway.WithCaller(r.Context(), c)))
	})
}

// keyring is the client and admin keys of the configuration serving; a
// configuration applied while the router runs replaces it (setKeys).
type keyring struct {
	clients []clientEntry
	admins  []adminEntry
}

func newKeyring(keys []config.Key, admins []config.AdminKey) *keyring {
	kr := &keyring{clients: make([]clientEntry, len(keys)), admins: adminEntries(admins)}
	for i := range keys {
		k := &keys[i]
		kr.clients[i] = clientEntry{key: []byte(k.Key), caller: gateway.CallerFor(i, k)}
	}
	return kr
}

// setKeys makes keys and admins the keys requests are checked against
// from now on.
func (s *Server) setKeys(keys []config.Key, admins []config.AdminKey) {
	s.keys.Store(newKeyring(keys, admins))
}

// failedLogin records, rate limited and off the request's path, a key
// that matched none (detail names it by its hash only).
func (s *Server) failedLogin(r *http.Request, detail string) {
	s.opts.Audit.Untrusted(store.AuditEvent{Actor: "anonymous", Action: ActionLoginFailed, Target: r.Method + " " + r.URL.Path,
		Detail: detail + " (from " + remoteHost(r) + ")", Outcome: store.AuditDenied})
}

// ActionLoginFailed is the audit action of a request whose key matched no
// key of the configuration, or that brought no key where one is needed.
const ActionLoginFailed = "auth.failed"

// remoteHost is the address of the peer that sent r (not a forwarded
// client's, which a header could forge).
func remoteHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// clientEntry is one accepted key and the caller it authenticates.
type clientEntry struct {
	key    []byte
	caller gateway.Caller
}

// lookup finds key among keys, comparing with every one in constant time
// so the time taken says nothing of which key matched, or how closely.
func lookup(keys []clientEntry, key []byte) (gateway.Caller, bool) {
	if i := matchKey(len(keys), func(i int) []byte { return keys[i].key }, key); i >= 0 {
		return keys[i].caller, true
	}
	return gateway.Caller{}, false
}

// matchKey returns the index of the first of n keys equal to key, or -1.
// It compares key with every one in constant time.
func matchKey(n int, keyAt func(int) []byte, key []byte) int {
	found := -1
	for i := range n {
		if subtle.ConstantTimeCompare(key, keyAt(i)) == 1 && found < 0 {
			found = i
		}
	}
	return found
}

func clientKey(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return r.Header.Get("x-api-key")
}
