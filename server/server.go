// Package server is Switchyard's HTTP front: the middleware chain (request
// id, panic recovery, client authentication, request deadline), the API
// and operational endpoints, and graceful shutdown.
package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
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
	// Limits bound slow clients and load (see Limits); the zero value
	// bounds nothing.
	Limits Limits
}

// Server is the HTTP server.
type Server struct {
	opts     Options
	handler  http.Handler
	draining atomic.Bool
	log      *slog.Logger
}

// New builds the server's handler chain.
func New(opts Options) *Server {
	s := &Server{opts: opts, log: opts.Logger}
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
	mux.Handle("/v1/", s.authenticate(s.admit(s.deadline(api))))
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
	s.handler = s.requestID(s.recover(s.edge(mux)))
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

func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		w.Header().Set(apiopenai.HeaderRequestID, id)
		next.ServeHTTP(w, r.WithContext(llm.WithRequestID(r.Context(), id)))
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
	cause := llm.Errorf(llm.KindTimeout, "The request took longer than this router allows (server.request_timeout, %s).", s.opts.RequestTimeout)
	cause.Code = "request_timeout"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeoutCause(r.Context(), s.opts.RequestTimeout, cause)
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

// Run serves on ln until ctx is done, then drains: it stops accepting,
// marks /readyz unready, lets in-flight requests and streams finish within
// drain, and closes what is left. It returns nil after a clean drain.
func (s *Server) Run(ctx context.Context, ln net.Listener, drain time.Duration) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       s.opts.Limits.idle(),
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("drain timed out; closing remaining connections", "drain", drain)
		hs.Close()
		err = nil
	}
	<-errc
	return err
}
