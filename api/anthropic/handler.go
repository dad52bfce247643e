// Package anthropic serves the Anthropic-compatible inbound API — POST
// /v1/messages (complete and streamed), POST /v1/messages/count_tokens
// and the Message Batches (/v1/messages/batches, kept and run by a
// MessageBatches) — on top of the same Backend as the OpenAI
// API (the gateway), so that the official Anthropic SDKs work against the
// router unchanged and their requests are routed to any deployment, of
// any wire format. It translates with switchyard/wire/anthropic; routing
// overrides arrive as the same x-switchyard-* headers. Errors are always
// answered in Anthropic's shape ({"type":"error","error":{"type",
// "message"},"request_id"}) with the matching status, and every answer
// carries the request id in Anthropic's request-id header too.
package anthropic

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/anthropic"
	wireresp "switchyard/wire/responses"
)

// Backend answers decoded requests; the gateway implements it. Each call
// fills served with where the request went, even when it fails. ov holds
// the caller's routing overrides (the x-switchyard-* headers); nil means
// none.
type Backend interface {
	// Chat and Stream answer chat requests (inbound.ChatBackend).
	inbound.ChatBackend
}

// Handler serves the Anthropic API paths. Register it with Mount.
type Handler struct {
	Backend Backend
	// CountTokens estimates a request's prompt tokens, for POST
	// /v1/messages/count_tokens; nil means the endpoint answers 404.
	CountTokens func(*llm.Request) int
	// Models lists the models (routes and deployments) the caller of ctx
	// may ask for, for GET /v1/models asked with anthropic-version
	// (ModelsRequest); nil means that list is never answered here.
	Models func(ctx context.Context) []string
	// ResolveModel returns the route or deployment a model name stands
	// for (an alias's, or a deployment's upstream model id); nil means
	// names stand for themselves.
	ResolveModel func(model string) string
	// ModelLimits returns a listed model's context window and output
	// limit in tokens, 0 where unknown (a route's, whose deployments
	// differ); nil means none is known.
	ModelLimits func(id string) (input, output int)
	// MaxBodyBytes bounds request bodies; zero means 10 MiB.
	MaxBodyBytes int64
	// MaxAnswerBytes bounds the copy of a streamed reply a thread keeps
	// (llm.AnswerBytes): past it the turn is not kept, as a cut stream's
	// is not. Zero means dispatch.DefaultMaxAnswerBytes (32 MiB); the
	// router sets it to server.max_answer_bytes.
	MaxAnswerBytes int
	// Batches keeps and runs the Message Batches; nil means the batch
	// endpoints answer 404.
	Batches MessageBatches
	// Files keeps the Files API's files (files.go); nil means its paths
	// answer 404 and no request may name a file.
	Files FileStore
	// InlineFiles puts in a request the bytes of each file it names by
	// id, refusing an id the router does not hold for the caller's
	// tenant (api/openai.Handler.InlineHeldFiles); sent is the body's
	// length. Nil refuses every file named.
	InlineFiles func(ctx context.Context, req *llm.Request, sent int64) error
	// Compactions returns the sealer of the caller's tenant's compaction
	// blocks (compaction.go): the router answers compaction requests with
	// blocks it seals, and opens them in later requests. Nil, or a nil
	// sealer, means no key: compaction requests are refused and no block
	// the router made opens.
	Compactions func(ctx context.Context) *wireresp.Sealer
	// ContextEditing reports what the deployment a request routes to
	// does itself of its context edits (gateway.Gateway.ContextEditing):
	// edits, the clearing edits; compacts, the compact_20260112 edit. The
	// router applies for a deployment those it cannot (compact_edit.go).
	// Nil means every deployment does: the edits are passed on, and
	// dropped where they cannot be.
	ContextEditing func(ctx context.Context, req *llm.Request, ov *route.Overrides) (edits, compacts bool)
	// Threads holds the message threads (thread.go); nil means none is
	// held: a request with a thread is refused with
	// thread_unsupported_request, on which the SDKs' helpers can go on
	// sending whole conversations.
	Threads ThreadStore
	// StoreTimeout bounds each read or write of the store a request waits
	// for (store.timeout): the message batches, the Files API's reads;
	// past it, a 529 overloaded_error. Zero means store.DefaultTimeout.
	StoreTimeout time.Duration
}

// Mount registers the API's routes on mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/messages", h.messages)
	mux.HandleFunc("POST /v1/messages/count_tokens", h.countTokens)
	h.mountBatches(mux)
	mux.HandleFunc("/v1/messages/", h.notFound)
	mux.HandleFunc("/v1/messages", h.notFound)
}

// HeaderRequestID is Anthropic's request id header, which the official
// SDKs read (Message.RequestID in anthropic-sdk-go, _request_id in
// Python). The router sets it to its own request id, the value of
// x-switchyard-request-id.
const HeaderRequestID = "request-id"

// Path reports whether path is served by this package, so the server
// answers errors there (a bad key, an overload) in Anthropic's shape.
func Path(path string) bool {
	return path == "/v1/messages" || strings.HasPrefix(path, "/v1/messages/")
}

// StatusFor is the HTTP status an error is answered with: its own
// (llm.Error.HTTPStatus), but 529 for overloaded_error, as the Messages
// API answers it, and 400 for a client that went away (nobody reads it).
func StatusFor(e *llm.Error) int {
	switch wire.ErrorTypeFor(e.Kind) {
	case wire.OverloadedError:
		return wire.StatusOverloaded
	}
	if s := e.HTTPStatus(); s != 499 {
		return s
	}
	return http.StatusBadRequest
}

// WriteError answers err in Anthropic's error shape with its status
// (StatusFor), the request id of r's context in the body and the
// request-id header, and Retry-After (and x-should-retry) as the OpenAI
// API sets them.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := llm.AsError(err)
	id := llm.RequestID(r.Context())
	buf := inbound.GetBuf()
	defer inbound.PutBuf(buf)
	*buf = wire.AppendError(*buf, e, id)
	hd := w.Header()
	if id != "" {
		hd.Set(HeaderRequestID, id)
	}
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(*buf)))
	inbound.SetRetryHeaders(hd, e)
	w.WriteHeader(StatusFor(e))
	w.Write(*buf)
}

// unknownModel is the 404 for a model that is neither a route nor a
// deployment the caller may ask for.
func unknownModel(model string) *llm.Error {
	if n := 100; len(model) > n {
		for n > 0 && !utf8.RuneStart(model[n]) {
			n--
		}
		model = model[:n] + "…"
	}
	e := llm.Errorf(llm.KindNotFound, "The model `%s` does not exist or you do not have access to it (GET /v1/models lists the models you may ask for).", llm.Clip(model))
	e.Param, e.Code = "model", "model_not_found"
	return e
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	e := llm.Errorf(llm.KindNotFound, "Unknown request URL: %s %s. This router serves POST /v1/messages, POST /v1/messages/count_tokens and /v1/messages/batches of the Messages API.", r.Method, r.URL.Path)
	e.Code = "unknown_url"
	WriteError(w, r, e)
}

// decode reads and decodes a Messages request and its override headers
// (wire.DecodeRequest, or the count_tokens variant), and the thread turn
// it makes (threadBody: a continue's held conversation is put before its
// messages; nil without a thread); on failure it has answered the error
// and returns ok false. encoding/json copies every string, so the pooled
// body buffer is reused at once.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request, countTokens bool) (req *llm.Request, c *wire.Compaction, ov *route.Overrides, turn *threadTurn, ok bool) {
	w.Header().Set(HeaderRequestID, llm.RequestID(r.Context()))
	buf, err := inbound.ReadBody(w, r, h.MaxBodyBytes)
	if err == nil {
		sent, body := int64(len(*buf)), *buf
		if !countTokens {
			body, turn, err = h.threadBody(r.Context(), body)
		}
		if err == nil {
			req, c, err = decodeBody(body, countTokens, wire.KeptBetas(r.Header.Values("anthropic-beta")), r.Header.Get(wire.HeaderUserProfileID), h.opener(r))
		}
		inbound.PutBuf(buf)
		if err == nil {
			err = h.inlineFiles(r.Context(), req, sent)
		}
	}
	if err == nil {
		ov, err = inbound.Overrides(r.Header, req)
	}
	if err != nil {
		WriteError(w, r, err)
		return nil, nil, nil, nil, false
	}
	return req, c, ov, turn, true
}

// decodeBody decodes, validates and translates a Messages (or
// count_tokens) request body read under the anthropic-beta header's
// betas and the anthropic-user-profile-id header's profile ("" for
// none), the router's compaction blocks opened with open
// (wire.OpenCompactions); c is its compaction configuration, nil when it
// is no compaction request (a count_tokens request takes one and
// ignores it, as the API does).
func decodeBody(body []byte, countTokens bool, betas []string, profile string, open func(string) (string, bool)) (req *llm.Request, c *wire.Compaction, err error) {
	mr, err := wire.DecodeMessagesRequest(body, countTokens)
	if err == nil {
		mr.Betas, mr.UserProfileID = betas, profile
		if countTokens {
			mr.Compaction = nil
		}
		err = wire.Validate(mr)
	}
	if err == nil {
		c, _ = wire.CompactionOf(mr) // Validate checked it
		err = wire.OpenCompactions(mr, open)
	}
	if err != nil {
		return nil, nil, err
	}
	req, err = wire.RequestToLLM(mr)
	return req, c, err
}

func (h *Handler) messages(w http.ResponseWriter, r *http.Request) {
	req, c, ov, turn, ok := h.decode(w, r, false)
	if !ok {
		return
	}
	if c != nil {
		h.compact(w, r, req, c, ov)
		return
	}
	ed := h.editContext(r, req, ov)
	if ed != nil && ed.compact != nil {
		h.compactThenAnswer(w, r, req, ov, ed)
		return
	}
	if req.Stream {
		h.stream(w, r, req, ov, ed, turn)
		return
	}
	h.complete(w, r, req, ov, ed, turn)
}

// countTokens answers POST /v1/messages/count_tokens with the router's
// estimate of the prompt's tokens ({"input_tokens": n}): the tokenizer
// the router routes and bills estimates by, whatever model is named, so
// it is an estimate for non-OpenAI models (see docs/anthropic-api.md). A
// model the caller may not ask for (not in Models) is a 404, as the API
// answers a model it does not have.
func (h *Handler) countTokens(w http.ResponseWriter, r *http.Request) {
	if h.CountTokens == nil {
		h.notFound(w, r)
		return
	}
	req, _, _, _, ok := h.decode(w, r, true)
	if !ok {
		return
	}
	if h.Models != nil && !slices.Contains(h.Models(r.Context()), resolve(h.ResolveModel, req.Model)) {
		WriteError(w, r, unknownModel(req.Model))
		return
	}
	out := inbound.GetBuf()
	*out = append(*out, `{"input_tokens":`...)
	*out = strconv.AppendInt(*out, int64(h.CountTokens(req)), 10)
	*out = append(*out, '}')
	inbound.WriteJSON(w, *out)
	inbound.PutBuf(out)
}

// resolve is fn(model), or model when fn is nil.
func resolve(fn func(string) string, model string) string {
	if fn == nil {
		return model
	}
	return fn(model)
}
