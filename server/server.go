// Package server is Switchyard's HTTP front: the middleware chain (request
// id, panic recovery, client authentication, request deadline), the API
// and operational endpoints, and graceful shutdown.
package server

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"switchyard/admin"
	"switchyard/admin/ui"
	apianthropic "switchyard/api/anthropic"
	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/background"
	"switchyard/audit"
	"switchyard/config"
	"switchyard/learn"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/tenant"
)

// Options configure a Server.
type Options struct {
	// API serves the OpenAI-compatible endpoints.
	API *apiopenai.Handler
	// Anthropic serves the Anthropic-compatible endpoints (POST
	// /v1/messages…) through API's backend (its own Backend is replaced
	// by that one); nil means they answer 404. Errors on its paths, the
	// ones the middleware writes included, are in Anthropic's shape.
	Anthropic *apianthropic.Handler
	// Keyring looks up the client keys and the admin keys: those of the
	// configuration (which Keyring.SetConfig replaces while the server
	// runs) and the managed ones. Each request carries the gateway.Caller
	// of the client key it presented (its name, tenant, the overrides it
	// may use, its grant). No client key with AnyKey false means no
	// authentication is required (the caller should warn) and every
	// override is allowed; no admin key means the operational endpoints
	// answer only loopback clients that no proxy forwarded (see
	// guardOps). A client key never opens the operational endpoints. Nil
	// means a keyring of Keys and AdminKeys only.
	Keyring *tenant.Keyring
	// Keys and AdminKeys are the configuration's keys when Keyring is
	// nil (a server built without a router); ignored otherwise.
	Keys      []config.Key
	AdminKeys []config.AdminKey
	// AnyKey accepts every request, with or without a key, on every
	// endpoint (demo mode).
	AnyKey bool
	// LocalHosts are the host names, besides localhost and IP addresses,
	// that the Host header of a request the operational endpoints serve
	// without a key (demo mode, or a local client while no admin key
	// exists) may carry; any other is refused (403 host_not_allowed)
	// against DNS rebinding. The router sets the hosts of server.addr and
	// server.admin_listen. Nil means none.
	LocalHosts []string
	// TrustedOrigins are origins whose unsafe requests the browser guards
	// let through (server.trusted_origins); each must be valid for
	// http.CrossOriginProtection.AddTrustedOrigin (config checks them).
	TrustedOrigins []string
	// ShutdownDelay is how long, once Serve's context is done, the API
	// listener keeps accepting and serving with /readyz answering 503
	// draining, before the drain (server.shutdown_delay); zero means none.
	ShutdownDelay time.Duration
	// SeparateOps serves the operational endpoints only on the admin
	// listener (Listeners.Admin); the API listener answers 404 there.
	SeparateOps bool
	// RequestTimeout is the total deadline of one request; zero means none.
	RequestTimeout time.Duration
	// Gatherer serves /metrics; nil means prometheus.DefaultGatherer.
	Gatherer prometheus.Gatherer
	// TenantMetrics reports that /metrics carries per-tenant series
	// (telemetry.metrics_tenant_label): an admin key scoped to a tenant is
	// then refused it (403 tenant_not_allowed) rather than shown the other
	// tenants'. False lets every admin key read it.
	TenantMetrics bool
	// Registerer receives the server's own metrics (rejected requests,
	// panics); nil means they are kept but not exported.
	Registerer prometheus.Registerer
	// Recorder receives the record of a request whose backend call
	// panicked (the backend records every other); nil means none.
	Recorder *record.Recorder
	// Logger logs server events; nil means slog.Default().
	Logger *slog.Logger
	// Admin serves /admin/ behind the operational endpoints' guard; nil
	// means no admin API.
	Admin *admin.Handler
	// Dashboard serves the web dashboard's static pages at /ui/ where
	// /admin/ is served (they need no key; the admin API they call does).
	// Ignored without Admin.
	Dashboard bool
	// Limits bound slow clients and load (see Limits); the zero value
	// bounds nothing.
	Limits Limits
	// Feedback takes the ratings of POST /v1/feedback; nil means there is
	// no request store to keep them, and the endpoint answers 404 (code
	// feedback_off).
	Feedback *learn.Learner
	// Audit records the failed logins and the refused operational calls;
	// nil means they are not recorded.
	Audit *audit.Trail
	// Background runs the background responses, which the drain waits
	// for (and cuts) with the requests; nil means none.
	Background *background.Runner
}

// Server is the HTTP server. It is safe for concurrent use.
type Server struct {
	opts     Options
	handler  http.Handler // the API listener's
	ops      http.Handler // the admin listener's (Listeners.Admin)
	draining atomic.Bool
	log      *slog.Logger
	metrics  *serverMetrics
	// ring holds the client and admin keys checked: the file's (of the
	// configuration serving now: a configuration applied replaces them)
	// and the managed ones.
	ring     *tenant.Keyring
	inflight inflight
	live     liveIDs
	// stop is cancelled when the drain deadline passes; cutAll does it.
	stop   context.Context
	cutAll context.CancelFunc
	// grace is cutGrace; tests shorten it.
	grace time.Duration
	// hurry is closed by Hurry: the drain ends at once.
	hurry     chan struct{}
	hurryOnce sync.Once
	// opsPatterns are the operational endpoints mounted, each with its
	// rule in admin.Rules (the RBAC matrix test reads them).
	opsPatterns []string
	// lines serves the requests of batches (dispatchLine): the API
	// handler behind the request deadline and the panic recovery, after
	// authentication.
	lines http.Handler
	// cop judges whether a browser sent a request from a page of another
	// origin (sameOrigin, keylessAPI).
	cop *http.CrossOriginProtection
	// secrets are the Realtime API's client secrets minted
	// (client_secrets.go).
	secrets clientSecrets
	// turns serves the response.create events of the Responses API's
	// WebSocket connections (responses_ws.go); socketsShut, closed once
	// (socketsOnce) when the drain begins, closes them.
	turns       http.Handler
	socketsShut chan struct{}
	socketsOnce sync.Once
	// sockets counts the Responses API WebSocket connections being served
	// (OpenSockets).
	sockets atomic.Int64
}

// New builds the server's handler chains.
func New(opts Options) *Server {
	s := &Server{opts: opts, log: opts.Logger, grace: cutGrace, metrics: newServerMetrics(opts.Registerer)}
	s.stop, s.cutAll = context.WithCancel(context.Background())
	s.socketsShut = make(chan struct{})
	s.hurry = make(chan struct{})
	s.cop = crossOriginProtection(opts.TrustedOrigins)
	if s.log == nil {
		s.log = slog.Default()
	}
	s.ring = s.keyring()
	api := http.NewServeMux()
	h := *opts.API
	h.Backend = observedBackend{Backend: h.Backend, ring: s.ring}
	h.Detach = s.detach
	h.ReserveBytes = s.reserveBytes
	h.Mount(api)
	api.HandleFunc("POST /v1/feedback", s.feedback)
	api.HandleFunc("POST /v1/realtime/client_secrets", s.clientSecret)
	var apiHandler http.Handler = api
	if opts.Anthropic != nil {
		ah := *opts.Anthropic
		ah.Backend = h.Backend
		if h.Files != nil { // one store, one id space: docs/anthropic-api.md#files
			ah.Files = h.Files
		}
		ah.InlineFiles = h.InlineHeldFiles
		ah.Mount(api)
		apiHandler = anthropicPaths(&ah, api)
	}
	s.lines = s.recover(s.deadline(api))
	mux := http.NewServeMux()
	admitted := s.admit(s.deadline(s.decompress(apiHandler)))
	mux.Handle("/v1/", s.cors(s.keylessAPI(s.authenticate(s.responsesSockets(admitted)))))
	// The bare /v1 gets the 404, not the mux's redirect to /v1/.
	mux.HandleFunc("/v1", unknownURL)
	s.turns = s.begin(s.recover(s.authenticate(admitted))) // responses_ws.go
	s.mountCommon(mux)
	if opts.SeparateOps {
		ops := http.NewServeMux()
		s.mountCommon(ops)
		s.mountOps(ops)
		s.ops = s.begin(s.recover(s.edge(ops)))
	} else {
		s.mountOps(mux)
	}
	s.handler = s.begin(s.recover(s.edge(mux)))
	if s.ops == nil {
		s.ops = s.handler
	}
	return s
}

// mountCommon mounts what both listeners serve: the probes and the 404.
func (s *Server) mountCommon(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { okJSON(w, `{"status":"ok"}`) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.HandleFunc("/", unknownURL)
}

// unknownURL answers a path outside the API and the operational
// endpoints: a 404 in OpenAI's shape saying where the API lives.
func unknownURL(w http.ResponseWriter, r *http.Request) {
	e := llm.Errorf(llm.KindNotFound, "Unknown request URL: %s %s. The API lives under /v1/.", r.Method, r.URL.Path)
	e.Code = codeUnknownURL
	apiopenai.WriteError(w, e)
}

// mountOps mounts the operational endpoints behind opsHeaders, which
// sets the security headers of every answer, sameOrigin, which
// refuses browsers' cross-site requests, guardOps, which checks the key
// (and, where none is needed, the Host: localHost), and admin.Authorize,
// which checks its role against admin.Rules.
func (s *Server) mountOps(mux *http.ServeMux) {
	g := s.opts.Gatherer
	if g == nil {
		g = prometheus.DefaultGatherer
	}
	metrics := promhttp.HandlerFor(g, promhttp.HandlerOpts{})
	if s.opts.TenantMetrics {
		metrics = everyTenant(metrics)
	}
	ops := &notingMux{ServeMux: http.NewServeMux()}
	ops.Handle("GET /metrics", metrics)
	if s.opts.Admin != nil {
		s.opts.Admin.Mount(ops)
	}
	s.opsPatterns = ops.patterns
	guarded := opsHeaders(s.sameOrigin(s.guardOps(admin.Authorize(admin.Rules, s.opts.Audit, ops.ServeMux))))
	mux.Handle("GET /metrics", guarded)
	if s.opts.Admin != nil {
		mux.Handle("/admin/", guarded)
		if s.opts.Dashboard { // ui.Prefix and ui.Root, written out for the endpoint inventory (e2e/isolation_test.go)
			mux.Handle("/ui/", s.keylessUI(ui.New(s.keyRequired)))
			mux.Handle("GET /ui", s.keylessUI(http.HandlerFunc(ui.Redirect)))
		}
	}
}

// notingMux is a ServeMux that notes the patterns registered.
type notingMux struct {
	*http.ServeMux
	patterns []string
}

func (m *notingMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *notingMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// anthropicPaths answers the model list and the files asked for by an
// Anthropic client (apianthropic.Handler.ModelsRequest,
// apianthropic.FilesRequest) in Anthropic's shape; next serves every
// other request.
func anthropicPaths(h *apianthropic.Handler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.ModelsRequest(r) {
			h.ServeModels(w, r)
			return
		}
		if apianthropic.FilesRequest(r) {
			h.ServeFiles(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writeError answers err in the error shape of the API r asked:
// Anthropic's on its paths and to its clients' model list requests
// (apianthropic.Speaks), OpenAI's everywhere else.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if s.opts.Anthropic != nil && apianthropic.Speaks(r) {
		apianthropic.WriteError(w, r, err)
		return
	}
	apiopenai.WriteError(w, err)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func okJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(body))
}

func (s *Server) ready(w http.ResponseWriter, _ *http.Request) {
	if s.draining.Load() {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"draining"}`))
		return
	}
	okJSON(w, `{"status":"ready"}`)
}

// newRequestID returns "req_" and 24 hex digits: the Unix time in seconds
// (4 bytes, big-endian) then 8 random bytes. The time prefix keeps ids in
// arrival order to the second, so the request log's primary key index
// grows at its end; fully random ids put each row on a random page of it,
// which made an SQLite insert cost up to twice the CPU at 100,000 rows
// (docs/benchmarks.md, "Request log: recording on versus off").
func newRequestID() string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[:4], uint32(time.Now().Unix()))
	rand.Read(b[4:])
	return "req_" + hex.EncodeToString(b[:])
}

// deadline bounds each API request by server.request_timeout, and the
// time to its first byte by the client's own timeout when it says it
// (clientdeadline.go); a Realtime API session is bounded by its own
// limits instead (server.realtime).
func (s *Server) deadline(next http.Handler) http.Handler {
	cause := llm.Errorf(llm.KindTimeout, "The request took longer than this router allows (server.request_timeout, %s).", s.opts.RequestTimeout)
	cause.Code = "request_timeout"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isRealtime(r) {
			// A session outlives any request deadline: its own bounds
			// are server.realtime's (idle time, connect time).
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if s.opts.RequestTimeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeoutCause(ctx, s.opts.RequestTimeout, cause)
			defer cancel()
		}
		if d, ok := clientTimeout(r.Header); ok && (s.opts.RequestTimeout <= 0 || d-margin(d) < s.opts.RequestTimeout) {
			var fw *firstByteWriter
			ctx, fw = firstByteDeadline(ctx, w, d)
			defer fw.stop()
			w = fw
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// httpServer returns the http.Server that serves h on one listener.
func (s *Server) httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: s.opts.Limits.readHeader(),
		IdleTimeout:       s.opts.Limits.idle(),
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
