package server

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/tenant"
	wire "switchyard/wire/openai"
)

// This file mints the Realtime API's client secrets (POST
// /v1/realtime/client_secrets): a short-lived key ("ek_…") a server
// hands a browser, so that the browser opens a realtime session without
// the server's own key. The router keeps them in memory: an ephemeral key
// works on the replica that minted it, on GET /v1/realtime only, as the
// caller that minted it (its name, tenant, limits, budgets), until it
// expires. The session configuration sent with it is echoed, not applied
// (the client sends session.update).

// Client secrets' lifetimes: OpenAI's default and bounds
// (expires_after.seconds).
const (
	secretTTL    = 10 * time.Minute
	secretMinTTL = 10 * time.Second
	secretMaxTTL = 2 * time.Hour
	// maxSecrets bounds the secrets kept at once; past it, minting is
	// refused (429) until some expire.
	maxSecrets = 100_000
)

// ephemeralPrefix starts every client secret, as OpenAI's.
const ephemeralPrefix = "ek_"

// clientSecrets holds the minted secrets. The zero value is ready.
type clientSecrets struct {
	mu sync.Mutex
	m  map[string]clientSecret
}

type clientSecret struct {
	caller  gateway.Caller
	model   string // the session's model; "" means any
	expires time.Time
}

// mint keeps a new secret for c; false when too many are kept.
func (cs *clientSecrets) mint(c gateway.Caller, model string, expires time.Time) (string, bool) {
	var b [24]byte
	rand.Read(b[:])
	v := ephemeralPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.m == nil {
		cs.m = map[string]clientSecret{}
	}
	if len(cs.m) >= maxSecrets {
		now := time.Now()
		for k, s := range cs.m {
			if now.After(s.expires) {
				delete(cs.m, k)
			}
		}
		if len(cs.m) >= maxSecrets {
			return "", false
		}
	}
	cs.m[v] = clientSecret{caller: c, model: model, expires: expires}
	return v, true
}

// lookup returns the secret v, when it is kept and has not expired.
func (cs *clientSecrets) lookup(v string) (clientSecret, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	s, ok := cs.m[v]
	if ok && time.Now().After(s.expires) {
		delete(cs.m, v)
		return clientSecret{}, false
	}
	return s, ok
}

// clientSecretRequest is what the router reads of the request body.
type clientSecretRequest struct {
	ExpiresAfter *struct {
		Anchor  string `json:"anchor"`
		Seconds int64  `json:"seconds"`
	} `json:"expires_after"`
	Session json.RawMessage `json:"session"`
}

// secretSession is what the router reads of a client secret request's
// session.
type secretSession struct {
	Type  string `json:"type"`
	Model string `json:"model"`
}

// decodeClientSecretRequest decodes the body of POST
// /v1/realtime/client_secrets (empty: no options) and its session.
func decodeClientSecretRequest(body []byte) (req clientSecretRequest, sess secretSession, err error) {
	const docs = "https://platform.openai.com/docs/api-reference/realtime-sessions/create-realtime-client-secret"
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			return req, sess, wire.BodyError(err, "", docs)
		}
	}
	if len(req.Session) > 0 {
		if err := json.Unmarshal(req.Session, &sess); err != nil {
			return req, sess, wire.BodyError(err, "session", docs)
		}
	}
	return req, sess, nil
}

// ttl returns how long the secret req asks for lives: secretTTL when it
// names no expires_after, or its seconds, which must lie in
// [secretMinTTL, secretMaxTTL] (checked before they become a Duration: a
// count past 292 years wraps around, and 2^55+600 seconds would be 600).
func (req *clientSecretRequest) ttl() (time.Duration, error) {
	ea := req.ExpiresAfter
	if ea == nil {
		return secretTTL, nil
	}
	if ea.Seconds < int64(secretMinTTL/time.Second) || ea.Seconds > int64(secretMaxTTL/time.Second) || ea.Anchor != "" && ea.Anchor != "created_at" {
		e := llm.Errorf(llm.KindInvalidRequest, "expires_after: anchor must be created_at and seconds between 10 and 7200.")
		e.Param = "expires_after.seconds"
		return 0, e
	}
	return time.Duration(ea.Seconds) * time.Second, nil
}

// clientSecret serves POST /v1/realtime/client_secrets for the caller of
// r: {"value":"ek_…","expires_at":…,"session":…}, the session as sent
// (type realtime when none was).
func (s *Server) clientSecret(w http.ResponseWriter, r *http.Request) {
	body, err := readSmallBody(r, maxSecretBody)
	var req clientSecretRequest
	var sess secretSession
	if err == nil {
		req, sess, err = decodeClientSecretRequest(body)
	}
	if err != nil {
		s.writeError(w, r, llm.AsError(err))
		return
	}
	ttl, err := req.ttl()
	if err != nil {
		s.writeError(w, r, llm.AsError(err))
		return
	}
	if sess.Type != "" && sess.Type != "realtime" {
		e := llm.Errorf(llm.KindInvalidRequest, "session.type %q is not served: this router mints client secrets for realtime sessions only.", llm.Clip(sess.Type))
		e.Param = "session.type"
		s.writeError(w, r, e)
		return
	}
	expires := time.Now().Add(ttl)
	v, ok := s.secrets.mint(gateway.CallerFrom(r.Context()), sess.Model, expires)
	if !ok {
		e := llm.Errorf(llm.KindRateLimit, "This router keeps too many client secrets at once; retry shortly.")
		e.RetryAfter = time.Minute
		s.writeError(w, r, e)
		return
	}
	if len(req.Session) == 0 {
		req.Session = json.RawMessage(`{"type":"realtime"}`)
	}
	out := append([]byte(`{"value":`), strconv.Quote(v)...)
	out = append(out, `,"expires_at":`...)
	out = strconv.AppendInt(out, expires.Unix(), 10)
	out = append(append(append(out, `,"session":`...), req.Session...), '}')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store") // it holds a credential
	w.Write(out)
}

// ephemeralCaller returns the caller of a client secret presented on a
// realtime handshake, or the 401 or 403 that refuses it.
func (s *Server) ephemeralCaller(r *http.Request, key string) (gateway.Caller, error) {
	sec, ok := s.secrets.lookup(key)
	if !ok {
		e := llm.Errorf(llm.KindAuth, "This client secret is unknown or has expired. Mint a new one with POST /v1/realtime/client_secrets.")
		e.Code = "invalid_api_key"
		return gateway.Caller{}, e
	}
	if m := r.URL.Query().Get("model"); sec.model != "" && m != sec.model {
		e := llm.Errorf(llm.KindPermission, "This client secret was minted for model %s, not %s.", sec.model, llm.Clip(m))
		e.Param = "model"
		return gateway.Caller{}, e
	}
	// The secret stands for the key that minted it: it works only while
	// that key does (revoked, expired or removed from the configuration,
	// it is refused as the key would be), with the key's identity as it
	// is now (its limits and lists after a reload).
	id, status := s.ring.Current(sec.caller.KeyID, sec.caller.Tenant, sec.caller.Name)
	if status != tenant.Valid {
		return gateway.Caller{}, keyRefusal(status, "The key that minted this client secret no longer works.")
	}
	return gateway.CallerOf(id), nil
}

// isEphemeral reports whether key is a client secret presented where
// one is taken (a realtime handshake).
func isEphemeral(r *http.Request, key string) bool {
	return isRealtime(r) && len(key) > len(ephemeralPrefix) && key[:len(ephemeralPrefix)] == ephemeralPrefix
}
