package server

import (
	"crypto/subtle"
	"net/http"
	"strings"

	apiopenai "switchyard/api/openai"
	"switchyard/gateway"
	"switchyard/llm"
)

// authenticate checks the client key (Authorization: Bearer, or x-api-key
// as Anthropic clients send it) and puts the caller it identifies in the
// request's context. The key is never logged or forwarded.
func (s *Server) authenticate(next http.Handler) http.Handler {
	if s.opts.AnyKey || len(s.opts.Keys) == 0 {
		return next
	}
	keys := make([]clientEntry, len(s.opts.Keys))
	for i := range s.opts.Keys {
		k := &s.opts.Keys[i]
		keys[i] = clientEntry{key: []byte(k.Key), caller: gateway.CallerFor(i, k)}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := clientKey(r)
		if key == "" {
			e := llm.Errorf(llm.KindAuth, "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY' (the OpenAI SDKs do this from api_key).")
			apiopenai.WriteError(w, e)
			return
		}
		c, ok := lookup(keys, []byte(key))
		if !ok {
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
