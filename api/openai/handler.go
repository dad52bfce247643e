// Package openai serves the OpenAI-compatible inbound API — chat
// completions (complete and streamed), the Responses API (stored
// responses included, with a ResponseStore), embeddings, moderations,
// image generation, edits and variations, speech, transcription and
// translation (images and transcription streamed too), the
// model list and the routing dry run (POST /v1/route) — on top of a Backend, translating with switchyard/wire/openai
// and switchyard/wire/responses. Routing overrides arrive as x-switchyard-*
// headers (see switchyard/route). Errors are always answered in OpenAI's
// shape with the right status.
package openai

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"switchyard/api/internal/inbound"
	"switchyard/api/openai/background"
	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/openai"
	wireresp "switchyard/wire/responses"
)

// Backend answers decoded requests; the gateway implements it. Each call
// fills served with where the request went, even when it fails. ov holds
// the caller's routing overrides (the x-switchyard-* headers); nil means
// none.
type Backend interface {
	// Chat and Stream answer chat completions (inbound.ChatBackend).
	inbound.ChatBackend
	Embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error)
	// Moderate classifies a moderations request's inputs.
	Moderate(ctx context.Context, req *llm.ModerationRequest, served *llm.Served) (*llm.ModerationResponse, error)
	// MediaBackend answers the images and audio endpoints.
	MediaBackend
	// Route decides where a chat request would go, without calling a model.
	Route(ctx context.Context, req *llm.Request, ov *route.Overrides) (*route.Plan, error)
}

// MediaBackend answers the media endpoints; the gateway implements it.
// Each call fills served as Backend's do.
type MediaBackend interface {
	// GenerateImages answers POST /v1/images/generations.
	GenerateImages(ctx context.Context, req *llm.ImageRequest, served *llm.Served) (*llm.ImageResponse, error)
	// Speak answers POST /v1/audio/speech with audio to relay as it
	// arrives; the caller must close it (which records the request).
	Speak(ctx context.Context, req *llm.SpeechRequest, served *llm.Served) (*llm.AudioStream, error)
	// Transcribe answers POST /v1/audio/transcriptions and
	// /v1/audio/translations.
	Transcribe(ctx context.Context, req *llm.TranscriptionRequest, served *llm.Served) (*llm.TranscriptionResponse, error)
	// EditImages answers POST /v1/images/edits and /v1/images/variations.
	EditImages(ctx context.Context, req *llm.ImageEditRequest, served *llm.Served) (*llm.ImageResponse, error)
	// StreamMedia answers the media requests with stream true (image
	// generation and edits, transcription) with events to relay as they
	// arrive; the caller must close the stream (which records the
	// request).
	StreamMedia(ctx context.Context, req *llm.MediaStreamRequest, served *llm.Served) (llm.EventStream, error)
}

// Handler serves the OpenAI API paths. Register it with Mount.
type Handler struct {
	Backend Backend
	// Models lists what GET /v1/models returns to the request's caller
	// (ctx carries who is calling): the models it may ask for.
	Models func(ctx context.Context) []wire.Model
	// ResolveModel returns the route or deployment a model name stands
	// for (an alias's, or a deployment's upstream model id); nil means
	// names stand for themselves.
	ResolveModel func(model string) string
	// MaxBodyBytes bounds request bodies; zero means 10 MiB.
	MaxBodyBytes int64
	// MaxAudioBytes bounds the bodies of transcription and translation
	// requests (audio uploads) instead; zero means 25 MiB.
	MaxAudioBytes int64
	// MaxImageBytes bounds the bodies of image edit and variation
	// requests (image uploads) instead; zero means 50 MiB.
	MaxImageBytes int64
	// MaxAnswerBytes bounds a streamed Responses answer (its text,
	// refusals, tool calls and reasoning text), which the Responses API's
	// last event carries whole, so the router keeps it all: one that
	// passes it ends with response.failed (code answer_too_large). Zero
	// means dispatch.DefaultMaxAnswerBytes (32 MiB). The router sets it
	// to server.max_answer_bytes, the dispatcher's limit on a complete
	// answer.
	MaxAnswerBytes int
	// Responses keeps the Responses API's responses created with store
	// true; nil means none is kept (the API is stateless).
	Responses ResponseStore
	// Conversations keeps the Conversations API's conversations, while
	// Responses keeps responses; nil means none is kept (the
	// conversation parameter is refused, /v1/conversations answers 404).
	Conversations ConversationStore
	// Chats keeps the chat completions created with store true; nil
	// means none is kept (store true keeps nothing, the stored chat
	// completions' endpoints answer 404).
	Chats ChatStore
	// Files keeps the Files API's files; nil means none is kept (the
	// /v1/files endpoints answer 404).
	Files FileStore
	// Uploads keeps the Uploads API's uploads, completed into Files' files;
	// nil means none is kept (the /v1/uploads endpoints answer 404).
	Uploads UploadStore
	// Batches keeps and runs the Batch API's batches; nil means none (the
	// /v1/batches endpoints answer 404).
	Batches BatchStore
	// Background runs the responses created with background true, while
	// Responses keeps responses and implements BackgroundStore; nil means
	// background true is refused (400).
	Background *background.Runner
	// Detach returns the context a background response runs under, made
	// from its request's (its values, without its cancellation or
	// deadline), and the function called once it ended; nil means
	// context.WithoutCancel and nothing to call.
	Detach func(ctx context.Context) (context.Context, func())
	// ReserveBytes takes n more bytes of the server's in-flight byte
	// budget (server.max_inflight_bytes) for the request of ctx, until it
	// ends: the bytes of the files a request names by id, put in it
	// (files_inline.go). Its error (a 503) is answered. Nil means no
	// budget is kept.
	ReserveBytes func(ctx context.Context, n int64) error
	// CountTokens estimates a request's input tokens, for POST
	// /v1/responses/input_tokens; nil means that endpoint answers 404.
	CountTokens func(*llm.Request) int
	// Realtime bounds the Realtime API's sessions (GET /v1/realtime).
	Realtime RealtimeLimits
	// Reasoning returns the Sealer of the Responses API's reasoning items
	// for the caller of ctx: their encrypted_content is made with it, and
	// the reasoning items sent back are opened with it. Nil (or a nil
	// Sealer) means reasoning items carry none and those sent back are
	// left out.
	Reasoning func(ctx context.Context) *wireresp.Sealer
	// Logger hears of the background responses' failed writes; nil means
	// slog.Default().
	Logger *slog.Logger
	// StoreTimeout bounds each read or write of the store a request waits
	// for (store.timeout): the stored responses, conversations, chat
	// completions, files, uploads and batches. Zero means
	// store.DefaultTimeout.
	StoreTimeout time.Duration
}

// Mount registers the API's routes on mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/chat/completions", h.chat)
	h.mountChatStore(mux)
	mux.HandleFunc("POST /v1/completions", h.completions)
	mux.HandleFunc("POST /v1/route", h.route)
	mux.HandleFunc("POST /v1/embeddings", modelRouted(h.embeddings))
	mux.HandleFunc("POST /v1/moderations", modelRouted(h.moderations))
	mux.HandleFunc("POST /v1/images/generations", modelRouted(h.images))
	mux.HandleFunc("POST /v1/images/edits", modelRouted(h.imageEdits))
	mux.HandleFunc("POST /v1/images/variations", modelRouted(h.imageVariations))
	mux.HandleFunc("POST /v1/audio/speech", modelRouted(h.speech))
	mux.HandleFunc("POST /v1/audio/transcriptions", modelRouted(h.transcriptions))
	mux.HandleFunc("POST /v1/audio/translations", modelRouted(h.translations))
	mux.HandleFunc("GET /v1/realtime", modelRouted(h.realtime))
	mux.HandleFunc("GET /v1/models", h.models)
	mux.HandleFunc("GET /v1/models/{model...}", h.model)
	h.mountResponses(mux)
	h.mountFiles(mux)
	h.mountUploads(mux)
	h.mountBatches(mux)
	mux.HandleFunc("/v1/", h.notFound)
}

// unrouted serves an endpoint that reads no routing header (a batch's
// creation, whose lines are routed by their bodies): a request with an
// x-switchyard-* header it does not read is refused (inbound.Unrouted,
// naming the endpoint by its mux pattern, as "POST /v1/batches") before
// serve decodes it.
func unrouted(serve http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := inbound.Unrouted(r.Header, endpointOf(r)); err != nil {
			WriteError(w, err)
			return
		}
		serve(w, r)
	}
}

// modelRouted serves an endpoint routed by its model alone (embeddings,
// moderations, images, audio, realtime): of the routing headers it reads
// x-switchyard-timeout-ms, every attempt's first-byte timeout, passed to
// the backend in the request's context (route.WithTierTimeout); any other
// x-switchyard-* header it does not read, or a bad timeout, is refused
// (inbound.ModelRouted) before serve decodes the request.
func modelRouted(serve http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := inbound.ModelRouted(r.Header, endpointOf(r))
		if err != nil {
			WriteError(w, err)
			return
		}
		if d > 0 {
			r = r.WithContext(route.WithTierTimeout(r.Context(), d))
		}
		serve(w, r)
	}
}

// endpointOf names r's endpoint by its mux pattern ("POST /v1/embeddings"),
// or its method and path when served other than by a ServeMux.
func endpointOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return r.Method + " " + r.URL.Path
}

// Header names set on every API response.
const (
	HeaderRequestID = inbound.HeaderRequestID
	// HeaderOpenAIRequestID is OpenAI's name for the request id.
	HeaderOpenAIRequestID = inbound.HeaderOpenAIRequestID
	HeaderDeployment      = inbound.HeaderDeployment
	HeaderRoute           = inbound.HeaderRoute
	HeaderCost            = inbound.HeaderCost
	// HeaderGuard is set when the prompt-injection guard acted on the
	// request: its score, action and reasons (llm.Guard.Header).
	HeaderGuard = inbound.HeaderGuard
)

func getBuf() *[]byte       { return inbound.GetBuf() }
func putBuf(b *[]byte)      { inbound.PutBuf(b) }
func pooled(b *[]byte) bool { return inbound.Pooled(b) }

// readBody reads the request body into a pooled buffer, bounded.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) (*[]byte, error) {
	return inbound.ReadBody(w, r, h.MaxBodyBytes)
}

func setServed(h http.Header, s *llm.Served) { inbound.SetServed(h, s) }

// WriteError answers err in OpenAI's error shape with its status.
func WriteError(w http.ResponseWriter, err error) {
	e := llm.AsError(err)
	buf := getBuf()
	defer putBuf(buf)
	*buf = wire.AppendError(*buf, e)
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(*buf)))
	inbound.SetRetryHeaders(hd, e)
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
	name := h.resolve(id)
	for _, m := range h.Models(r.Context()) {
		if m.ID == name {
			b, _ := json.Marshal(map[string]any{"id": id, "object": "model", "created": m.Created, "owned_by": m.OwnedBy})
			writeJSON(w, b)
			return
		}
	}
	e := llm.Errorf(llm.KindNotFound, "The model `%s` does not exist or you do not have access to it.", llm.Clip(id))
	e.Param, e.Code = "model", "model_not_found"
	WriteError(w, e)
}

func writeJSON(w http.ResponseWriter, body []byte) { inbound.WriteJSON(w, body) }

// resolve is h.ResolveModel(model), or model when it is nil.
func (h *Handler) resolve(model string) string {
	if h.ResolveModel == nil {
		return model
	}
	return h.ResolveModel(model)
}
