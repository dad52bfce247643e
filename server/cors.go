package server

import (
	"net/http"
	"strings"
)

// This file answers CORS for the API under /v1/, to the browser
// applications of server.trusted_origins only: their pages may call the
// router with fetch or an SDK in the browser (the openai package's
// dangerouslyAllowBrowser, Anthropic's direct browser access), each with
// its own client key, and read the answers and the router's headers.
// Every other origin gets no CORS header, so its page cannot read an
// answer; the operational endpoints (/admin/, /metrics) never answer
// CORS: the dashboard is same-origin.

// corsExposed are the answer headers a trusted page may read: the
// request ids the SDKs read (x-request-id, Anthropic's request-id), the
// router's own, and Retry-After.
const corsExposed = "X-Request-Id, Request-Id, X-Switchyard-Request-Id, X-Switchyard-Cost-Usd, " +
	"X-Switchyard-Deployment, X-Switchyard-Route, X-Switchyard-Guard, Retry-After"

// corsMethods are the methods the API takes.
const corsMethods = "GET, POST, DELETE"

// corsMaxAge is how long, in seconds, a browser may keep a preflight's
// answer (Chromium keeps at most two hours).
const corsMaxAge = "600"

// cors answers a trusted origin's preflight (OPTIONS with
// Access-Control-Request-Method) itself, 204, before authentication (a
// preflight carries no key), and adds the CORS headers to what next
// answers that origin's other requests. Requests without Origin, or from
// another origin, go to next untouched.
func (s *Server) cors(next http.Handler) http.Handler {
	if len(s.opts.TrustedOrigins) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if !s.trustedOrigin(origin) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
			h.Set("Access-Control-Expose-Headers", corsExposed)
			next.ServeHTTP(w, r)
			return
		}
		h.Add("Vary", "Access-Control-Request-Method")
		h.Add("Vary", "Access-Control-Request-Headers")
		h.Set("Access-Control-Allow-Methods", corsMethods)
		if asked := r.Header.Get("Access-Control-Request-Headers"); asked != "" {
			h.Set("Access-Control-Allow-Headers", strings.Join(strings.Fields(asked), ""))
		}
		h.Set("Access-Control-Max-Age", corsMaxAge)
		w.WriteHeader(http.StatusNoContent)
	})
}
