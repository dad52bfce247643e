// Package openai serves the OpenAI-compatible inbound API — chat
// completions (complete and streamed), the Responses API (stateless
// subset), embeddings, the model list and the routing dry run (POST
// /v1/route) — on top of a Backend, translating with switchyard/wire/openai
// and switchyard/wire/responses. Routing overrides arrive as x-switchyard-*
// headers (see switchyard/route). Errors are always answered in OpenAI's
// shape with the right status.
package openai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/openai"
)

// Backend answers decoded requests; the gateway implements it. Each call
// fills served with where the request went, even when it fails. ov holds
// the caller's routing overrides (the x-switchyard-* headers); nil means
// none.
type Backend interface {
	Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (*llm.Response, error)
	Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error)
	Embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error)
	// Route decides where a chat request would go, without calling a model.
	Route(ctx context.Context, req *llm.Request, ov *route.Overrides) (*route.Plan, error)
}

// Handler serves the OpenAI API paths. Register it with Mount.
type Handler struct {
	Backend Backend
	// Models lists what GET /v1/models returns to the request's caller
	// (ctx carries who is calling): the models it may ask for.
	Models func(ctx context.Context) []wire.Model
	// MaxBodyBytes bounds request bodies; zero means 10 MiB.
	MaxBodyBytes int64
}

// Mount registers the API's routes on mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/chat/completions", h.chat)
	mux.HandleFunc("POST /v1/route", h.route)
	mux.HandleFunc("POST /v1/embeddings", h.embeddings)
	mux.HandleFunc("GET /v1/models", h.models)
	mux.HandleFunc("GET /v1/models/{model...}", h.model)
	h.mountResponses(mux)
	mux.HandleFunc("/v1/", h.notFound)
}

// Header names set on every API response.
const (
	HeaderRequestID  = "x-switchyard-request-id"
	HeaderDeployment = "x-switchyard-deployment"
	HeaderRoute      = "x-switchyard-route"
	HeaderCost       = "x-switchyard-cost-usd"
	// HeaderGuard is set when the prompt-injection guard acted on the
	// request: its score, action and reasons (llm.Guard.Header).
	HeaderGuard = "x-switchyard-guard"
)

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

// maxPooledBuf is the largest buffer kept for reuse: a pooled buffer
// stays allocated, so one huge request must not pin its size for good.
const maxPooledBuf = 1 << 20

// pooled reports whether putBuf would keep b for reuse.
func pooled(b *[]byte) bool { return cap(*b) <= maxPooledBuf }

func putBuf(b *[]byte) {
	if !pooled(b) {
		return
	}
	*b = (*b)[:0]
	bufPool.Put(b)
}

// readBody reads the request body into a pooled buffer, bounded.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) (*[]byte, error) {
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = 10 << 20
	}
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	buf := getBuf()
	if r.ContentLength > int64(cap(*buf)) {
		// One exact allocation instead of doubling up to the size.
		*buf = make([]byte, 0, r.ContentLength+1)
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	b := *buf
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			*buf = b
			putBuf(buf)
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, tooLarge(limit)
			}
			if e := (*llm.Error)(nil); errors.As(err, &e) {
				return nil, e // the server's read deadline or in-flight budget
			}
			return nil, llm.Wrap(llm.KindInvalidRequest, err, "could not read the request body")
		}
	}
	*buf = b
	return buf, nil
}

func tooLarge(limit int64) *llm.Error {
	return llm.Errorf(llm.KindTooLarge, "The request body is larger than the %d bytes this router accepts (server.max_body_bytes). Send a smaller request or raise the limit.", limit)
}

// setServed writes the routing headers known so far.
func setServed(h http.Header, s *llm.Served) {
	if s.Deployment != "" {
		h.Set(HeaderDeployment, s.Deployment)
	}
	if s.Summary != "" {
		h.Set(HeaderRoute, s.Summary)
	}
	if g := s.Guard; g != nil && g.Acted {
		h.Set(HeaderGuard, g.Header())
	}
}

// WriteError answers err in OpenAI's error shape with its status.
func WriteError(w http.ResponseWriter, err error) {
	e := llm.AsError(err)
	buf := getBuf()
	defer putBuf(buf)
	*buf = wire.AppendError(*buf, e)
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(*buf)))
	if e.RetryAfter > 0 {
		secs := int64((e.RetryAfter + time.Second - 1) / time.Second) // round up: never ask to retry early
		hd.Set("Retry-After", strconv.FormatInt(secs, 10))
	}
	if e.Kind == llm.KindRateLimit && !e.Retryable {
		// A 429 that a retry within seconds cannot clear (a spent budget):
		// the official SDKs would otherwise retry it at once.
		hd.Set("x-should-retry", "false")
	}
	status := e.HTTPStatus()
	if status == 499 { // the client is gone; nobody reads this
		status = http.StatusBadRequest
	}
	w.WriteHeader(status)
	w.Write(*buf)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	e := llm.Errorf(llm.KindNotFound, "Unknown request URL: %s %s. See the API reference in the README for the supported endpoints.", r.Method, r.URL.Path)
	e.Code = "unknown_url"
	WriteError(w, e)
}

func (h *Handler) models(w http.ResponseWriter, r *http.Request) {
	buf := getBuf()
	defer putBuf(buf)
	*buf = wire.AppendModelList(*buf, h.Models(r.Context()))
	writeJSON(w, *buf)
}

func (h *Handler) model(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("model")
	for _, m := range h.Models(r.Context()) {
		if m.ID == id {
			b, _ := json.Marshal(map[string]any{"id": m.ID, "object": "model", "created": m.Created, "owned_by": m.OwnedBy})
			writeJSON(w, b)
			return
		}
	}
	e := llm.Errorf(llm.KindNotFound, "The model `%s` does not exist or you do not have access to it.", id)
	e.Param, e.Code = "model", "model_not_found"
	WriteError(w, e)
}

func writeJSON(w http.ResponseWriter, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
