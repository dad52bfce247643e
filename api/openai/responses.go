package openai

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/route"
	wireresp "switchyard/wire/responses"
)

// This file serves OpenAI's Responses API: POST /v1/responses runs
// through the same Backend as a chat completion (so keys, limits,
// budgets, the guard, routing, failover and records apply alike) and
// answers in the Responses shapes (switchyard/wire/responses). With a
// ResponseStore, responses created with store true are kept and can be
// continued, retrieved, listed and deleted (responses_store.go); with a
// background runner too, responses created with background true run
// after the request is answered and can be polled, streamed again and
// cancelled (responses_background.go, responses_follow.go). Input tokens
// are counted (responses_tokens.go), conversations compacted
// (responses_compact.go). Without a store the /v1/responses/ paths of
// stored responses answer 404 saying so.

// mountResponses registers the Responses API's routes on mux.
func (h *Handler) mountResponses(mux *http.ServeMux) {
	bounded := h.bounded(mux)
	mux.HandleFunc("POST /v1/responses", h.responses)
	mux.HandleFunc("GET /v1/responses/{id}", h.getResponse)
	bounded.HandleFunc("DELETE /v1/responses/{id}", h.deleteResponse)
	bounded.HandleFunc("GET /v1/responses/{id}/input_items", h.inputItems)
	bounded.HandleFunc("POST /v1/responses/{id}/cancel", h.cancelResponse)
	mux.HandleFunc("POST /v1/responses/input_tokens", h.inputTokens)
	mux.HandleFunc("POST /v1/responses/compact", h.compact)
	mux.HandleFunc("/v1/responses/", h.responseNotStored)
	mux.HandleFunc("GET /v1/responses", h.responsesWebSocket)
	mux.HandleFunc("/v1/responses", h.notFound) // another method: not the mux's redirect to /v1/responses/
	h.mountConversations(mux)
}

// responses answers POST /v1/responses.
func (h *Handler) responses(w http.ResponseWriter, r *http.Request) {
	createdAt := time.Now().Unix()
	rs, cs := h.storing(), h.conversing()
	st := stored(r.Context(), rs, cs, h.storeTimeout())
	st.Previous = socketLoader(r.Context(), st.Previous) // WebSocket mode: the connection's last response first
	st.Sealer = h.sealer(r.Context())
	rr, ov, ok := h.decodeResponses(w, r, st)
	if !ok {
		return
	}
	meta := wireresp.Meta{IDs: responseIDs(r.Context()), CreatedAt: createdAt, Model: rr.Chat.Model, Store: rs != nil && rr.Store, Conversation: rr.Conversation}
	if rr.Warmup {
		h.warmup(w, r, rr, meta)
		return
	}
	if rr.CompactionTrigger {
		h.compactTurn(w, r, rr, ov, meta, keeper{rs, cs, h.storeTimeout()}, st.Sealer)
		return
	}
	if rr.Background {
		h.createBackground(w, r, rr, ov, meta)
		return
	}
	if rr.Chat.Stream {
		h.streamResponse(w, r, rr, ov, meta, keeper{rs, cs, h.storeTimeout()})
		return
	}
	var served llm.Served
	resp, err := h.Backend.Chat(r.Context(), rr.Chat, ov, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, responsesError(err))
		return
	}
	w.Header().Set(HeaderCost, costValue(&served))
	meta.Model = answeringModel(resp.Model, &served, meta.Model)
	out := wireresp.OutputOf(rr, resp, meta.IDs)
	out.Cost = usageCost(&served)
	buf := getBuf()
	*buf = keeper{rs, cs, h.storeTimeout()}.keepAnswer(r.Context(), rr, &meta, &out, func(m *wireresp.Meta) []byte {
		*buf = wireresp.AppendResponse((*buf)[:0], rr, m, &out)
		return *buf
	})
	writeJSON(w, *buf)
	putBuf(buf)
}

// decodeResponses reads and decodes a Responses request and its override
// headers, the conversation it continues read with s, and puts in it the
// files it names by id (inlineFiles); on failure it has answered the
// error and returns ok false.
func (h *Handler) decodeResponses(w http.ResponseWriter, r *http.Request, s wireresp.Stored) (*wireresp.Request, *route.Overrides, bool) {
	var sent int64
	rr, err := decodeBody(h, w, r, func(b []byte) (*wireresp.Request, error) {
		sent = int64(len(b))
		return wireresp.DecodeRequestStored(b, s)
	})
	var ov *route.Overrides
	if err == nil {
		ov, err = overrides(r.Header, rr.Chat)
		wireresp.BetaHeader(rr.Chat, r.Header.Get("OpenAI-Beta")) // passed on with a beta member
	}
	if err == nil { // the input stays as sent (rr.Input): a stored response keeps the file's id
		err = h.inlineFiles(r.Context(), rr.Chat, sent)
	}
	if err != nil {
		WriteError(w, err)
		return nil, nil, false
	}
	return rr, ov, true
}

// sealer returns the Sealer of the reasoning items of the caller of ctx
// (Handler.Reasoning); nil when there is none.
func (h *Handler) sealer(ctx context.Context) *wireresp.Sealer {
	if h.Reasoning == nil {
		return nil
	}
	return h.Reasoning(ctx)
}

// answeringModel is the model a response names: the one the upstream
// said answered, else the deployment's upstream model, else the one
// asked for.
func answeringModel(upstream string, served *llm.Served, asked string) string {
	switch {
	case upstream != "":
		return upstream
	case served.Model != "":
		return served.Model
	}
	return asked
}

// responseIDs are the ids of the request's response, made from its
// request id (so a response id names its entry in the request log) or,
// outside the server, from random bytes.
func responseIDs(ctx context.Context) wireresp.IDs {
	if id := llm.RequestID(ctx); id != "" {
		return wireresp.IDs{Base: strings.TrimPrefix(id, "req_")}
	}
	var b [12]byte
	rand.Read(b[:])
	return wireresp.IDs{Base: hex.EncodeToString(b[:])}
}

// responseNotStored answers the /v1/responses/ endpoints the router does
// not serve: all of those of stored responses when it keeps none;
// compact, and any other path, otherwise.
func (h *Handler) responseNotStored(w http.ResponseWriter, r *http.Request) {
	var e *llm.Error
	if h.storing() == nil {
		e = llm.Errorf(llm.KindNotFound, "%s %s is not supported: this router keeps no responses (responses.store is false, or store.driver is none), so none can be retrieved, deleted, cancelled or listed. Keep the response you got, and send the whole conversation in 'input' of POST /v1/responses.", r.Method, r.URL.Path)
	} else {
		e = llm.Errorf(llm.KindNotFound, "%s %s is not supported by this router: it serves POST /v1/responses, /v1/responses/input_tokens and /v1/responses/compact, and for stored responses GET and DELETE /v1/responses/{id}, GET /v1/responses/{id}/input_items and POST /v1/responses/{id}/cancel.", r.Method, r.URL.Path)
	}
	e.Code = "response_not_stored"
	WriteError(w, e)
}

// responsesWebSocket answers GET /v1/responses without a WebSocket
// upgrade: a 404 naming the Responses API's WebSocket mode, which the
// server serves on the upgraded handshake (server/responses_ws.go), rather
// than the mux's redirect to /v1/responses/.
func (h *Handler) responsesWebSocket(w http.ResponseWriter, r *http.Request) {
	e := llm.Errorf(llm.KindNotFound, "GET /v1/responses serves the Responses API's WebSocket mode only: open a WebSocket on it (Upgrade: websocket) and send response.create events, or send each response as POST /v1/responses.")
	e.Code = "unknown_url"
	WriteError(w, e)
}
