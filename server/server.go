// Package server is Switchyard's HTTP front: the middleware chain (request
// id, panic recovery, client authentication, request deadline), the API
// and operational endpoints, and graceful shutdown.
package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"switchyard/admin"
	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/llm"
)

// Options configure a Server.
type Options struct {
	// API serves the OpenAI-compatible endpoints.
	API *apiopenai.Handler
	// Keys are the client API keys accepted; each request carries the
	// gateway.Caller of the key it presented (its name and the overrides
	// it may use). Nil or empty with AnyKey false means no authentication
	// is required (the caller should warn) and every override is allowed.
	Keys []config.Key
	// AnyKey accepts every request, with or without a key (demo mode).
	AnyKey bool
	// RequestTimeout is the total deadline of one request; zero means none.
	RequestTimeout time.Duration
	// Gatherer serves /metrics; nil means prometheus.DefaultGatherer.
	Gatherer prometheus.Gatherer
	// Logger logs server events; nil means slog.Default().
	Logger *slog.Logger
	// Admin serves /admin/ behind the same client authentication; nil
	// means no admin API.
	Admin *admin.Handler
}

// Server is the HTTP server.
type Server struct {
	opts     Options
	handler  http.Handler // the API listener's
	ops      http.Handler // the admin listener's (Listeners.Admin)
	draining atomic.Bool
	log      *slog.Logger
	inflight inflight
	// stop is cancelled when the drain deadline passes; cutAll does it.
	stop   context.Context
	cutAll context.CancelFunc
	// grace is cutGrace; tests shorten it.
	grace time.Duration
}

// New builds the server's handler chain.
func New(opts Options) *Server {
	s := &Server{opts: opts, log: opts.Logger, grace: cutGrace}
	s.stop, s.cutAll = context.WithCancel(context.Background())
	if s.log == nil {
		s.log = slog.Default()
	}
	g := opts.Gatherer
	if g == nil {
		g = prometheus.DefaultGatherer
	}
	api := http.NewServeMux()
	opts.API.Mount(api)
	mux := http.NewServeMux()
	mux.Handle("/v1/", s.authenticate(s.deadline(api)))
	if opts.Admin != nil {
		adm := http.NewServeMux()
		opts.Admin.Mount(adm)
		mux.Handle("/admin/", s.authenticate(adm))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { okJSON(w, `{"status":"ok"}`) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		e := llm.Errorf(llm.KindNotFound, "Unknown request URL: %s %s. The API lives under /v1/.", r.Method, r.URL.Path)
		e.Code = "unknown_url"
		apiopenai.WriteError(w, e)
	})
	s.handler = s.begin(s.recover(mux))
	s.ops = s.handler
	return s
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

func newRequestID() string {
	var b [12]byte
	rand.Read(b[:])
	return "req_" + hex.EncodeToString(b[:])
}

// begin counts the request in flight until its handler returns, gives it
// its request id and links it to the shutdown (gateway.WithShutdown).
func (s *Server) begin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.enter()
		defer s.inflight.leave()
		id := newRequestID()
		w.Header().Set(apiopenai.HeaderRequestID, id)
		ctx := gateway.WithShutdown(llm.WithRequestID(r.Context(), id), s.stop)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "request_id", llm.RequestID(r.Context()), "panic", v)
				if tw.started {
					// Part of a response (say, a stream) is out: abort the
					// connection so the client cannot mistake it for whole.
					panic(http.ErrAbortHandler)
				}
				apiopenai.WriteError(w, llm.Errorf(llm.KindInternal, "internal error; the request id is %s", llm.RequestID(r.Context())))
			}
		}()
		next.ServeHTTP(tw, r)
	})
}

// trackingWriter records whether a response has started.
type trackingWriter struct {
	http.ResponseWriter
	started bool
}

func (w *trackingWriter) WriteHeader(code int) {
	w.started = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) deadline(next http.Handler) http.Handler {
	if s.opts.RequestTimeout <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

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
	found := -1
	for i := range keys {
		if subtle.ConstantTimeCompare(key, keys[i].key) == 1 && found < 0 {
			found = i
		}
	}
	if found < 0 {
		return gateway.Caller{}, false
	}
	return keys[found].caller, true
}

func clientKey(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return r.Header.Get("x-api-key")
}

// httpServer returns the http.Server that serves h on one listener.
func (s *Server) httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
