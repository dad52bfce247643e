package server

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"switchyard/admin"
	apiopenai "switchyard/api/openai"
	"switchyard/llm"
	"switchyard/store"
)

// This file guards the operational endpoints against the operator's own
// browser: a web page the operator visits must not drive the admin API.
// Two attacks are refused:
//
//   - cross-site request forgery: a page of another site sends a
//     request the browser does not preflight (a form POST, a no-cors
//     fetch) to the router; with no admin key needed (demo mode, or a
//     local client while no admin key exists) the router would act on
//     it, though the page cannot read the answer;
//   - DNS rebinding: a page's own name is pointed at 127.0.0.1, so its
//     requests to the router are same-origin to the browser and their
//     answers readable; their Host header still names the page's site.

// Error codes of the browser guards (403).
const (
	// codeCrossOrigin: a browser sent an unsafe request (POST, PUT,
	// PATCH, DELETE) to an operational endpoint from a page of another
	// origin.
	codeCrossOrigin = "cross_origin_refused"
	// codeHostNotAllowed: an operational endpoint that needs no key
	// here was asked under a Host that does not name this machine the
	// way only a local user can (DNS rebinding).
	codeHostNotAllowed = "host_not_allowed"
)

// sameOrigin refuses, in every mode, the unsafe requests a browser sends
// to next from a page of another origin, as net/http's
// CrossOriginProtection judges them: Sec-Fetch-Site other than
// same-origin or none (same-site too: another port of localhost, or a
// sibling subdomain, is another application), or, from a browser too old
// to send it, an Origin whose host is not the request's Host. GET, HEAD
// and OPTIONS pass (no operational endpoint changes anything on them), as
// do requests with neither header: curl, the SDKs, scripts, the CLI. The
// dashboard at /ui/ is same-origin to /admin/, so its calls pass.
func (s *Server) sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cop.Check(r) != nil {
			s.refuseCrossOrigin(w, r, "and the operational endpoints refuse what a page of another site asks of them. Use the dashboard at /ui/ on this router's own address, or call the API outside a browser (curl, the switchyard CLI, an SDK).")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// localHost lets through to next, which serves an operational endpoint
// without a key (demo mode, or a local client while no admin key
// exists), only requests whose Host names this machine the way no other
// site can (see Server.hostAllowed); others get 403 host_not_allowed.
func (s *Server) localHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			s.refuseHost(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// keylessUI is localHost for the dashboard's pages: it applies to the
// requests whose sender the admin API would serve without a key (the
// pages then open as that keyless admin); with a key needed the pages
// hold nothing and are served under any Host.
func (s *Server) keylessUI(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.keyRequired(r) && !s.hostAllowed(r.Host) {
			s.refuseHost(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) refuseHost(w http.ResponseWriter, r *http.Request) {
	s.refuseHostWith(w, r, "With no admin key needed here (demo mode, or no admin key configured), the operational endpoints and the dashboard answer only requests addressed to this router by an IP address, localhost or its configured listen host. This request's Host names another site, as when a web page's domain is pointed at this machine (DNS rebinding). Open the router as http://127.0.0.1:PORT or http://localhost:PORT, or configure an admin key.")
}

// refuseHostWith answers a request under a Host that is not this machine's
// with 403 host_not_allowed and msg, and audits it.
func (s *Server) refuseHostWith(w http.ResponseWriter, r *http.Request, msg string) {
	s.refusedBrowser(r, codeHostNotAllowed, "Host "+quoteShort(r.Host))
	e := llm.Errorf(llm.KindPermission, "%s", msg)
	e.Code = codeHostNotAllowed
	apiopenai.WriteError(w, e)
}

// hostAllowed reports whether a request's Host (port and all) names this
// machine the way a page of another site cannot make a browser send: an
// IP address (a rebinding page's requests carry its own domain name, and
// a browser sends an address only to the server it names), localhost,
// or one of Options.LocalHosts. An empty Host (HTTP/1.0) is no browser's.
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), ".")
	if host == "" || strings.EqualFold(host, "localhost") {
		return true
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	for _, name := range s.opts.LocalHosts {
		if strings.EqualFold(host, strings.TrimSuffix(name, ".")) {
			return true
		}
	}
	return false
}

// listenHosts returns the host names of listen addresses (host:port) for
// Options.LocalHosts; IP addresses and empty hosts are left out (every
// address is allowed already).
func listenHosts(addrs ...string) []string {
	var out []string
	for _, a := range addrs {
		host, _, err := net.SplitHostPort(a)
		if err != nil || host == "" {
			continue
		}
		if _, err := netip.ParseAddr(host); err == nil {
			continue
		}
		out = append(out, host)
	}
	return out
}

// refusedBrowser records, rate limited, an operational request refused
// as a browser's from another site; what names the headers that said so
// (their values quoted and cut short: a page chose them).
func (s *Server) refusedBrowser(r *http.Request, code, what string) {
	s.opts.Audit.Untrusted(store.AuditEvent{Actor: "anonymous", Action: admin.ActionDenied, Target: r.Method + " " + r.URL.Path,
		Detail: code + ": " + what + " (from " + remoteHost(r) + ")", Outcome: store.AuditDenied})
}

// quoteShort quotes v, cut to its first 100 bytes.
func quoteShort(v string) string {
	if len(v) > 100 {
		v = v[:100] + "…"
	}
	return strconv.Quote(v)
}

// crossOriginProtection returns the judge of both browser guards, with
// the trusted origins added (config has checked them; one that fails here
// is left out, so it is trusted by neither guard).
func crossOriginProtection(trusted []string) *http.CrossOriginProtection {
	cop := http.NewCrossOriginProtection()
	for _, o := range trusted {
		_ = cop.AddTrustedOrigin(o)
	}
	return cop
}

// keylessAPI refuses, where the API needs no key (demo mode, or no client
// key configured or managed), the unsafe requests a browser sends to /v1/
// from a page of another origin, as sameOrigin judges them: such a page
// could otherwise spend on the upstreams through the operator's browser
// (a form POST or a no-cors fetch with a text/plain body needs no
// preflight), though it cannot read the answer. With client keys it lets
// everything through: the page has no key, and a browser application that
// calls the router through a CORS proxy keeps working.
//
// A Realtime API handshake from a page of another origin is refused
// too, keyless: a WebSocket is a GET, which sameOrigin deems safe, yet
// it spends.
//
// It also refuses, keyless, a browser's request (one that carries
// Sec-Fetch-Site or Origin) under a Host that is not this machine's
// (Server.hostAllowed) unless its origin is trusted: a page whose domain
// was pointed at 127.0.0.1 (DNS rebinding) is same-origin to the browser,
// so it could read what it asked for (a stored response, a completion).
// Requests with neither header (the SDKs, curl, a reverse proxy's) pass
// under any Host.
func (s *Server) keylessAPI(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.opts.AnyKey && s.ring.Enabled() {
			next.ServeHTTP(w, r)
			return
		}
		if s.cop.Check(r) != nil || isRealtime(r) && foreignOrigin(r) && !s.trustedOrigin(r.Header.Get("Origin")) {
			s.refuseCrossOrigin(w, r, "and this router's API needs no key, so it refuses what a page of another site asks of it. Call the API outside a browser (an SDK, curl), configure client keys (auth.keys), or list the application's origin under server.trusted_origins.")
			return
		}
		if fromBrowser(r) && !s.hostAllowed(r.Host) && !s.trustedOrigin(r.Header.Get("Origin")) {
			s.refuseHostWith(w, r, "This router's API needs no key, so it answers a browser only at an IP address, localhost, its configured listen host or an origin under server.trusted_origins. This request's Host names another site, as when a web page's domain is pointed at this machine (DNS rebinding). Call the API outside a browser (an SDK, curl), configure client keys (auth.keys), or list the application's origin under server.trusted_origins.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// foreignOrigin reports whether r carries an Origin other than its own
// host: a WebSocket handshake (a GET, which CrossOriginProtection lets
// through as safe) that a page of another site opened.
func foreignOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return false
	}
	u, err := url.Parse(o)
	return err != nil || !strings.EqualFold(u.Host, r.Host)
}

// fromBrowser reports whether r carries the headers only a browser sends
// (Sec-Fetch-Site, or Origin from an older one).
func fromBrowser(r *http.Request) bool {
	return r.Header.Get("Sec-Fetch-Site") != "" || r.Header.Get("Origin") != ""
}

// trustedOrigin reports whether origin is one of server.trusted_origins
// (compared as the browser sends it: scheme, host and port, any case).
func (s *Server) trustedOrigin(origin string) bool {
	if origin == "" {
		return false
	}
	for _, o := range s.opts.TrustedOrigins {
		if strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

// refuseCrossOrigin answers a browser's request from a page of another
// origin with 403 cross_origin_refused, what follows saying why and what
// to do instead, and audits it with the headers that said so.
func (s *Server) refuseCrossOrigin(w http.ResponseWriter, r *http.Request, what string) {
	s.refusedBrowser(r, codeCrossOrigin, "Origin "+quoteShort(r.Header.Get("Origin"))+", Sec-Fetch-Site "+quoteShort(r.Header.Get("Sec-Fetch-Site")))
	e := llm.Errorf(llm.KindPermission, "A web page of another origin sent this request through a browser (Sec-Fetch-Site or Origin say so), %s", what)
	e.Code = codeCrossOrigin
	apiopenai.WriteError(w, e)
}
