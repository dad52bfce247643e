package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	apiopenai "switchyard/api/openai"
	"switchyard/gateway"
	"switchyard/guard"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
	"switchyard/tenant"
)

// This file makes every request visible: the backend records those that
// reach it; the server logs and counts the ones refused before (bad
// body, bad key, unknown path) and the ones whose handler panicked.

// exchange is what the middleware learns of one request while it is
// handled. Only the request's handler goroutine uses it.
type exchange struct {
	start time.Time
	// caller names the key that authenticated the request ("" if none),
	// tenant the key's tenant; traceParent is the client's valid W3C
	// traceparent header, if it sent one.
	caller, tenant, traceParent string
	// batch is the batch whose line the request is (the batch runner's
	// request, run on the router); "" for a live request.
	batch string
	// reached reports that the request reached the backend, which records
	// it; inBackend that a backend call is under way (a panic leaves it
	// set).
	reached, inBackend bool
	panicked           bool
	// admission is the in-flight budget the request's body was taken
	// from (nil: none is kept); extraBytes what the request took from it
	// since (reserveBytes), given back with the body's bytes.
	admission  *admission
	extraBytes int64
}

type exchangeKey struct{}

// exchangeFrom returns the request's exchange; outside the middleware, a
// throwaway one.
func exchangeFrom(ctx context.Context) *exchange {
	if ex, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		return ex
	}
	return &exchange{}
}

// begin counts the request in flight until its handler returns, gives it
// its request id (live until then: see liveIDs; answered as
// x-switchyard-request-id and, for the OpenAI SDKs, x-request-id), links it to the shutdown
// (gateway.WithShutdown), carries the client's traceparent and session to
// the gateway, and once it is answered logs, counts and records it if it
// was rejected before the backend.
func (s *Server) begin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.enter()
		defer s.inflight.leave()
		id := newRequestID()
		s.live.add(id)
		defer s.live.remove(id) // after the record of a rejected request is queued
		w.Header().Set(apiopenai.HeaderRequestID, id)
		w.Header().Set(apiopenai.HeaderOpenAIRequestID, id)
		ex := &exchange{start: time.Now()}
		ctx := context.WithValue(llm.WithRequestID(r.Context(), id), exchangeKey{}, ex)
		ctx = gateway.WithShutdown(ctx, s.stop)
		if tp, ok := traceParent(r.Header); ok {
			ex.traceParent = tp
			ctx = gateway.WithTraceParent(ctx, tp)
		}
		if sess, ok := session(r.Header); ok {
			ctx = gateway.WithSession(ctx, sess)
		}
		tw := &trackingWriter{ResponseWriter: w}
		defer func() {
			if tw.status >= 400 && !ex.reached && !ex.panicked {
				s.rejected(r, id, ex, tw)
			}
		}()
		next.ServeHTTP(tw, r.WithContext(ctx))
	})
}

// detach returns the context a background response runs under, made
// from its request's ctx: its values (request id, caller, shutdown
// signal, trace parent, session) without its cancellation or deadline,
// and an exchange of its own (the request's belongs to its handler
// goroutine). Its request id stays live (a rating of it waits) until the
// function returned is called, once the run ended.
func (s *Server) detach(ctx context.Context) (context.Context, func()) {
	id := llm.RequestID(ctx)
	s.live.add(id)
	ex := exchangeFrom(ctx)
	own := &exchange{start: time.Now(), caller: ex.caller, tenant: ex.tenant, traceParent: ex.traceParent}
	return context.WithValue(context.WithoutCancel(ctx), exchangeKey{}, own), func() { s.live.remove(id) }
}

// rejected logs and counts a request refused before the backend: one log
// line with no body and no key. One to an API endpoint the backend
// records (chat, embeddings, moderations, route) is recorded too: the backend never
// saw it.
func (s *Server) rejected(r *http.Request, id string, ex *exchange, tw *trackingWriter) {
	reason := errorReason(tw.status, tw.body)
	endpoint := endpointOf(r.Method, r.URL.Path)
	s.metrics.rejected.WithLabelValues(endpoint, strconv.Itoa(tw.status), reason).Inc()
	if recordedEndpoint(endpoint) && reason != codeUnknownURL {
		s.record(id, endpoint, ex, tw.status, errorKind(tw.status))
	}
	// The path is the client's text: a key pasted into it is masked.
	path := guard.Redact(r.URL.Path)
	if len(path) > 200 {
		path = path[:200] + "…"
	}
	attrs := []any{"request_id", id, "method", r.Method, "path", path, "status", tw.status, "code", reason}
	if ex.caller != "" {
		attrs = append(attrs, "caller", ex.caller)
	}
	s.log.Info("request rejected", attrs...)
}

// record queues the record of a request the backend did not record.
func (s *Server) record(id, endpoint string, ex *exchange, status int, kind llm.ErrorKind) {
	if s.opts.Recorder == nil {
		return
	}
	rec := &record.Record{
		RequestID: id, Caller: ex.caller, Tenant: ex.tenant, TraceParent: ex.traceParent,
		Start: ex.start, Endpoint: endpoint, Status: status, ErrorKind: kind, Latency: time.Since(ex.start),
	}
	if ex.batch != "" {
		rec.BatchID, rec.Batch = ex.batch, record.BatchRouter
	}
	s.opts.Recorder.Add(rec)
}

// recordedEndpoint reports whether requests to endpoint (endpointOf) get a
// record: the ones the backend answers.
func recordedEndpoint(endpoint string) bool {
	return endpoint == "chat" || endpoint == "embeddings" || endpoint == "moderations" || endpoint == "images" || endpoint == "speech" || endpoint == "transcriptions" || endpoint == "translations" || endpoint == "route" || endpoint == "realtime"
}

// codeUnknownURL is the code of the 404 of a path nothing serves (a
// wrong method on an API path included).
const codeUnknownURL = "unknown_url"

// errorKind is the kind of the error a request was answered with: the
// API writes each kind with its own status.
func errorKind(status int) llm.ErrorKind {
	if status == http.StatusInternalServerError {
		return llm.KindInternal
	}
	return llm.KindFromStatus(status)
}

// errorReason returns the code of the OpenAI error body, or the error
// kind of the status when the body has none.
func errorReason(status int, body []byte) string {
	var e struct {
		Error struct {
			Code any `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil {
		if c, ok := e.Error.Code.(string); ok && c != "" && len(c) <= 64 {
			return c
		}
	}
	return string(llm.KindFromStatus(status))
}

// endpointOf names the endpoint of a request (its method and path) for
// metric labels, from a fixed set: chat, embeddings, moderations, images, speech, transcriptions,
// translations, route, realtime,
// feedback, models, admin, metrics, health, other. A GET of
// /v1/chat/completions lists the stored chat completions: other.
func endpointOf(method, path string) string {
	switch {
	case path == "/v1/chat/completions" && method == http.MethodGet:
		return "other"
	case path == "/v1/chat/completions", path == "/v1/responses", path == "/v1/messages", path == "/v1/completions":
		return "chat" // Responses, Anthropic Messages and legacy completions requests run the chat pipeline and are recorded as chat
	case path == "/v1/embeddings":
		return "embeddings"
	case path == "/v1/moderations":
		return "moderations"
	case path == "/v1/images/generations", path == "/v1/images/edits", path == "/v1/images/variations":
		return "images"
	case path == "/v1/audio/speech":
		return "speech"
	case path == "/v1/audio/transcriptions":
		return "transcriptions"
	case path == "/v1/audio/translations":
		return "translations"
	case path == "/v1/route":
		return "route"
	case path == realtimePath:
		return "realtime"
	case path == "/v1/feedback":
		return "feedback"
	case path == "/v1/models" || strings.HasPrefix(path, "/v1/models/"):
		return "models"
	case strings.HasPrefix(path, "/admin/"):
		return "admin"
	case path == "/metrics":
		return "metrics"
	case path == "/healthz" || path == "/readyz":
		return "health"
	}
	return "other"
}

// recover turns a panic into a log line, a count, a 500 in OpenAI's shape
// (or an aborted connection once the response has started) and, when the
// panic came out of the backend or before it on an endpoint the backend
// records, the request's record.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw, ok := w.(*trackingWriter)
		if !ok {
			tw = &trackingWriter{ResponseWriter: w}
		}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			ex := exchangeFrom(r.Context())
			ex.panicked = true
			id := llm.RequestID(r.Context())
			endpoint := endpointOf(r.Method, r.URL.Path)
			s.log.Error("panic serving request", "request_id", id, "method", r.Method, "endpoint", endpoint, "panic", v)
			s.metrics.panics.WithLabelValues(endpoint).Inc()
			if ex.inBackend || !ex.reached && recordedEndpoint(endpoint) {
				s.record(id, endpoint, ex, http.StatusInternalServerError, llm.KindInternal)
			}
			if tw.started {
				// Part of a response (say, a stream) is out: abort the
				// connection so the client cannot mistake it for whole.
				panic(http.ErrAbortHandler)
			}
			s.writeError(tw, r, llm.Errorf(llm.KindInternal, "internal error; the request id is %s", id))
		}()
		next.ServeHTTP(tw, r)
	})
}

// trackingWriter records whether a response has started, its status, and
// the start of an error body.
type trackingWriter struct {
	http.ResponseWriter
	started bool
	status  int
	body    []byte // the first bytes of a body with status >= 400
}

// maxErrorBody bounds how much of an error body trackingWriter keeps.
const maxErrorBody = 1024

func (w *trackingWriter) WriteHeader(code int) {
	if !w.started {
		w.started, w.status = true, code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.started, w.status = true, http.StatusOK
	}
	if w.status >= 400 && len(w.body) < maxErrorBody {
		w.body = append(w.body, b[:min(len(b), maxErrorBody-len(w.body))]...)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observedBackend notes in the request's exchange that it reached the
// backend (which then records it) and whether a call is under way.
type observedBackend struct {
	apiopenai.Backend
	// ring, when not nil, holds the keys a Realtime session's key is
	// checked against while the session lasts.
	ring *tenant.Keyring
}

func (b observedBackend) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (*llm.Response, error) {
	ex := exchangeFrom(ctx)
	ex.reached, ex.inBackend = true, true
	resp, err := b.Backend.Chat(ctx, req, ov, served)
	ex.inBackend = false
	return resp, err
}

func (b observedBackend) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error) {
	ex := exchangeFrom(ctx)
	ex.reached, ex.inBackend = true, true
	st, err := b.Backend.Stream(ctx, req, ov, served)
	ex.inBackend = false
	return st, err
}

func (b observedBackend) Embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error) {
	return observeCall(ctx, b.Backend.Embed, req, served)
}

func (b observedBackend) Moderate(ctx context.Context, req *llm.ModerationRequest, served *llm.Served) (*llm.ModerationResponse, error) {
	return observeCall(ctx, b.Backend.Moderate, req, served)
}

func (b observedBackend) GenerateImages(ctx context.Context, req *llm.ImageRequest, served *llm.Served) (*llm.ImageResponse, error) {
	return observeCall(ctx, b.Backend.GenerateImages, req, served)
}

func (b observedBackend) Speak(ctx context.Context, req *llm.SpeechRequest, served *llm.Served) (*llm.AudioStream, error) {
	return observeCall(ctx, b.Backend.Speak, req, served)
}

func (b observedBackend) Transcribe(ctx context.Context, req *llm.TranscriptionRequest, served *llm.Served) (*llm.TranscriptionResponse, error) {
	return observeCall(ctx, b.Backend.Transcribe, req, served)
}

func (b observedBackend) EditImages(ctx context.Context, req *llm.ImageEditRequest, served *llm.Served) (*llm.ImageResponse, error) {
	return observeCall(ctx, b.Backend.EditImages, req, served)
}

func (b observedBackend) StreamMedia(ctx context.Context, req *llm.MediaStreamRequest, served *llm.Served) (llm.EventStream, error) {
	return observeCall(ctx, b.Backend.StreamMedia, req, served)
}

// observeCall makes a named-model call (embeddings, moderations, media)
// through call, noting it in the request's exchange as Chat does.
func observeCall[Req, Resp any](ctx context.Context, call func(context.Context, Req, *llm.Served) (Resp, error), req Req, served *llm.Served) (Resp, error) {
	ex := exchangeFrom(ctx)
	ex.reached, ex.inBackend = true, true
	resp, err := call(ctx, req, served)
	ex.inBackend = false
	return resp, err
}

func (b observedBackend) Route(ctx context.Context, req *llm.Request, ov *route.Overrides) (*route.Plan, error) {
	ex := exchangeFrom(ctx)
	ex.reached, ex.inBackend = true, true
	p, err := b.Backend.Route(ctx, req, ov)
	ex.inBackend = false
	return p, err
}

// serverMetrics are the server's own metrics.
type serverMetrics struct {
	rejected *prometheus.CounterVec
	panics   *prometheus.CounterVec
}

// newServerMetrics creates the server's metrics, registered with reg
// unless it is nil.
func newServerMetrics(reg prometheus.Registerer) *serverMetrics {
	m := &serverMetrics{
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_requests_rejected_total",
			Help: "Requests refused before reaching the router's pipeline (malformed, unauthenticated, unknown path, too large), by endpoint, HTTP status and error code.",
		}, []string{"endpoint", "status", "reason"}),
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_panics_total", Help: "Requests whose handler panicked (answered 500 or aborted), by endpoint.",
		}, []string{"endpoint"}),
	}
	if reg != nil {
		reg.MustRegister(m.rejected, m.panics)
	}
	return m
}
