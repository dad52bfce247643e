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

// This file serves OpenAI's Responses API, stateless subset:
// POST /v1/responses runs through the same Backend as a chat completion
// (so keys, limits, budgets, the guard, routing, failover and records
// apply alike) and answers in the Responses shapes (switchyard/wire/responses).
// The router keeps no response: retrieving, deleting or cancelling one,
// and the other /v1/responses/ endpoints, answer 404 saying so.

// mountResponses registers the Responses API's routes on mux.
func (h *Handler) mountResponses(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/responses", h.responses)
	mux.HandleFunc("/v1/responses/", h.responseNotStored)
}

// responses answers POST /v1/responses.
func (h *Handler) responses(w http.ResponseWriter, r *http.Request) {
	createdAt := time.Now().Unix()
	rr, ov, ok := h.decodeResponses(w, r)
	if !ok {
		return
	}
	meta := wireresp.Meta{IDs: responseIDs(r.Context()), CreatedAt: createdAt, Model: rr.Chat.Model}
	if rr.Chat.Stream {
		h.streamResponse(w, r, rr, ov, meta)
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
	out := wireresp.FromResponse(resp, meta.IDs)
	out.Cost = usageCost(&served)
	buf := getBuf()
	*buf = wireresp.AppendResponse(*buf, rr, &meta, &out)
	writeJSON(w, *buf)
	putBuf(buf)
}

// decodeResponses reads and decodes a Responses request and its override
// headers; on failure it has answered the error and returns ok false.
func (h *Handler) decodeResponses(w http.ResponseWriter, r *http.Request) (*wireresp.Request, *route.Overrides, bool) {
	rr, err := decodeBody(h, w, r, wireresp.DecodeRequest)
	var ov *route.Overrides
	if err == nil {
		ov, err = overrides(r.Header)
	}
	if err != nil {
		WriteError(w, err)
		return nil, nil, false
	}
	return rr, ov, true
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

// responseNotStored answers the endpoints of stored responses: the router
// keeps none.
func (h *Handler) responseNotStored(w http.ResponseWriter, r *http.Request) {
	e := llm.Errorf(llm.KindNotFound, "%s %s is not supported: this router serves the Responses API statelessly and keeps no responses to retrieve, delete, cancel or list. Keep the response you got, and send the whole conversation in 'input' of POST /v1/responses.", r.Method, r.URL.Path)
	e.Code = "response_not_stored"
	WriteError(w, e)
}
