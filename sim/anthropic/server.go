// Package anthropic is the simulated Anthropic Messages API: POST
// /v1/messages (complete and streamed), POST /v1/messages/count_tokens,
// the Message Batches API (batches.go) and GET /v1/models[/{id}], answering from sim profiles and validating
// requests as strictly as the real API, with its error shape
// {"type":"error","error":{"type","message"},"request_id"} and statuses
// (overloaded_error is 529).
//
// Every request needs a key, in an x-api-key header or (as the current
// official SDKs send it) an "Authorization: Bearer" header; any non-empty
// key is accepted and a missing one is 401 authentication_error. It also
// needs an anthropic-version header (missing or unknown is 400). Answers carry a request-id header and
// message ids of the form "msg_…".
//
// Streams follow the documented event sequence: message_start (with the
// input usage), then per content block content_block_start, deltas and
// content_block_stop (a ping after the first block start), then
// message_delta (stop reason, cumulative usage) and message_stop, each as
// "event: name" + "data: json" and flushed at once.
//
// Prompt caching is simulated as the API documents it (cache.go): an
// entry per breakpoint for the prefix ending there, the model's minimum
// cacheable length, the 20-block lookback, 5-minute and 1-hour lifetimes
// refreshed on use, and the usage split into input_tokens,
// cache_read_input_tokens, cache_creation_input_tokens and cache_creation
// by lifetime, as the API bills a prompt.
//
// Faults come from sim.Faults (control API at /_sim/faults, or directives
// such as "[[sim:cut]]" in the last user text).
package anthropic

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// maxBody is the real API's request size limit for the Messages API.
const maxBody = 32 << 20

// knownVersion reports whether v is an anthropic-version the simulator
// accepts: a date (YYYY-MM-DD) from 2023-01-01 on. The real API knows a
// fixed list ("2023-06-01" and the newer dates its SDKs send); any
// well-formed later date stands in for it.
func knownVersion(v string) bool {
	t, err := time.Parse(time.DateOnly, v)
	return err == nil && !t.Before(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC))
}

type server struct {
	models   sim.Catalog
	faults   *sim.Faults
	behavior *sim.Behavior
	cache    promptCache
	// batches are the Message Batches (batches.go).
	batches batches
	// credits are the refusals' fallback credit tokens (fallback.go).
	credits credits
}

// New returns the simulated Anthropic API serving the chat models of the
// catalog (embedding profiles are left out: Anthropic has none) with the
// given faults (nil means none), answering through the Behavior of opts,
// if any (whose control API it then serves too). The handler is safe for
// concurrent use.
func New(models sim.Catalog, faults *sim.Faults, opts ...sim.Option) http.Handler {
	if faults == nil {
		faults = &sim.Faults{}
	}
	set := sim.Apply(opts)
	s := &server{models: models, faults: faults, behavior: set.Behavior}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/messages", s.authed(http.MethodPost, s.messages))
	mux.HandleFunc("/v1/messages/count_tokens", s.authed(http.MethodPost, s.countTokens))
	mux.HandleFunc("/v1/messages/batches", s.authed(http.MethodPost, s.createBatch))
	mux.HandleFunc("GET /v1/messages/batches", s.authed(http.MethodGet, s.listBatches))
	mux.HandleFunc("/v1/messages/batches/{id}", s.authed(http.MethodGet, s.getBatch))
	mux.HandleFunc("/v1/messages/batches/{id}/results", s.authed(http.MethodGet, s.batchResults))
	mux.HandleFunc("/v1/messages/batches/{id}/cancel", s.authed(http.MethodPost, s.cancelBatch))
	mux.Handle("/_sim/batches", &s.batches.book)
	mux.HandleFunc("/v1/models", s.authed(http.MethodGet, s.listModels))
	mux.HandleFunc("/v1/models/{id}", s.authed(http.MethodGet, s.getModel))
	mux.Handle("/_sim/faults", faults)
	if set.Behavior != nil {
		set.Behavior.Mount(mux)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, wire.NotFoundError, "Not Found")
	})
	return mux
}

// authed checks the method, the API key and the version header before h.
func (s *server) authed(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeErrorStatus(w, http.StatusMethodNotAllowed, wire.InvalidRequestError, "Method Not Allowed")
			return
		}
		if r.Header.Get("x-api-key") == "" && bearer(r) == "" {
			writeError(w, wire.AuthenticationError, "x-api-key header is required")
			return
		}
		v := r.Header.Get("anthropic-version")
		if v == "" {
			writeError(w, wire.InvalidRequestError, "anthropic-version: header is required")
			return
		}
		if !knownVersion(v) {
			writeError(w, wire.InvalidRequestError, fmt.Sprintf("anthropic-version: invalid version %q", v))
			return
		}
		h(w, r)
	}
}

// bearer returns the token of an "Authorization: Bearer" header, or "".
func bearer(r *http.Request) string {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// chatModel returns the profile of a chat model, or nil.
func (s *server) chatModel(id string) *sim.Profile {
	if p := s.models[id]; p != nil && !p.Embedding {
		return p
	}
	return nil
}

// writeError answers with the error type's status and Anthropic's shape.
func writeError(w http.ResponseWriter, t wire.ErrorType, msg string) {
	writeErrorStatus(w, t.Status(), t, msg)
}

func writeErrorStatus(w http.ResponseWriter, status int, t wire.ErrorType, msg string) {
	id := newID("req_")
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("request-id", id)
	if status >= 500 || status == http.StatusTooManyRequests {
		h.Set("x-should-retry", "true")
	}
	w.WriteHeader(status)
	w.Write(wire.EncodeError(t, msg, id))
}

func writeJSON(w http.ResponseWriter, v []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("request-id", newID("req_"))
	w.WriteHeader(http.StatusOK)
	w.Write(v)
}

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns an id shaped like the API's: prefix + "01" + 22 base62
// characters (msg_01…, req_01…, toolu_01…).
func newID(prefix string) string {
	b := make([]byte, 0, len(prefix)+24)
	b = append(b, prefix...)
	b = append(b, "01"...)
	for i := 0; i < 22; i++ {
		b = append(b, idAlphabet[rand.IntN(len(idAlphabet))])
	}
	return string(b)
}

// modelInfo is one entry of GET /v1/models. The API writes every member
// (the spec's ModelInfo and anthropic-sdk-go's require them; the limits
// and capabilities may be null).
type modelInfo struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	CreatedAt   string `json:"created_at"`
	// Capabilities is null: the simulator does not model the API's
	// capability table.
	Capabilities   *struct{} `json:"capabilities"`
	MaxInputTokens *int      `json:"max_input_tokens"`
	MaxTokens      *int      `json:"max_tokens"`
}

func (s *server) info(id string) modelInfo {
	m := modelInfo{Type: "model", ID: id, DisplayName: displayName(id), CreatedAt: "2025-02-19T00:00:00Z"}
	if p, ok := s.models[id]; ok {
		if p.ContextWindow > 0 {
			m.MaxInputTokens = &p.ContextWindow
		}
		if p.MaxOutputTokens > 0 {
			m.MaxTokens = &p.MaxOutputTokens
		}
	}
	return m
}

// listModels serves GET /v1/models with limit (1–1000, default 20),
// after_id and before_id paging, in id order.
func (s *server) listModels(w http.ResponseWriter, r *http.Request) {
	var ids []string
	for id, p := range s.models {
		if !p.Embedding {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	q := r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, wire.InvalidRequestError, "limit: Input should be greater than or equal to 1 and less than or equal to 1000")
			return
		}
		limit = n
	}
	if after := q.Get("after_id"); after != "" {
		i := sort.SearchStrings(ids, after)
		if i < len(ids) && ids[i] == after {
			i++
		}
		ids = ids[i:]
	} else if before := q.Get("before_id"); before != "" {
		ids = ids[:sort.SearchStrings(ids, before)]
		if len(ids) > limit {
			ids = ids[len(ids)-limit:]
		}
	}
	more := len(ids) > limit
	if more {
		ids = ids[:limit]
	}
	out := struct {
		Data    []modelInfo `json:"data"`
		HasMore bool        `json:"has_more"`
		FirstID *string     `json:"first_id"`
		LastID  *string     `json:"last_id"`
	}{Data: []modelInfo{}, HasMore: more}
	for _, id := range ids {
		out.Data = append(out.Data, s.info(id))
	}
	if len(ids) > 0 {
		out.FirstID, out.LastID = &ids[0], &ids[len(ids)-1]
	}
	b, _ := json.Marshal(out)
	writeJSON(w, b)
}

func (s *server) getModel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if s.chatModel(id) == nil {
		writeError(w, wire.NotFoundError, "model: "+id)
		return
	}
	b, _ := json.Marshal(s.info(id))
	writeJSON(w, b)
}

// displayName makes "Claude Sonnet 4.5" of "claude-sonnet-4-5-20250929":
// words capitalised, consecutive numbers joined by dots, dates dropped.
func displayName(id string) string {
	var words []string
	number := false
	for _, part := range strings.Split(id, "-") {
		isNum := part != "" && strings.Trim(part, "0123456789") == ""
		switch {
		case part == "" || (isNum && len(part) == 8):
			continue
		case isNum && number:
			words[len(words)-1] += "." + part
		case isNum:
			words = append(words, part)
		default:
			words = append(words, strings.ToUpper(part[:1])+part[1:])
		}
		number = isNum
	}
	return strings.Join(words, " ")
}
