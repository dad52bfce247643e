package server

import (
	"crypto/subtle"
	"net/http"
	"strings"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/tenant"
)

// authenticate checks the client key (Authorization: Bearer, or x-api-key
// as Anthropic clients send it) and puts the caller it identifies in the
// request's context. The key is never logged or forwarded. Keys are
// looked up in memory (the keyring): the file's, and the managed keys
// of the store, reloaded in the background.
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
			e := llm.Errorf(llm.KindAuth, "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY' (the OpenAI SDKs do this from api_key).")
			apiopenai.WriteError(w, e)
			return
		}
		id, status := ring.Lookup(key)
		if status != tenant.Valid {
			apiopenai.WriteError(w, keyRefusal(status, "Use a key listed under auth.keys in the router's configuration, or one made with switchyard keys create."))
			return
		}
		c := gateway.CallerOf(id)
		ex := exchangeFrom(r.Context())
		ex.caller, ex.tenant = c.Name, c.Tenant
		next.ServeHTTP(w, r.WithContext(gateway.WithCaller(r.Context(), c)))
	})
}

// keyring returns Options.Keyring, or one of Options.Keys.
func (s *Server) keyring() *tenant.Keyring {
	if s.opts.Keyring != nil {
		return s.opts.Keyring
	}
	return tenant.NewKeyring(tenant.Options{Config: &config.Config{Auth: config.Auth{Keys: s.opts.Keys}}})
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
