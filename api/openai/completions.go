package openai

import (
	"context"
	"net/http"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/wire/completions"
)

// This file serves OpenAI's legacy Completions API, POST /v1/completions,
// with the chat path: the prompt is the one user message of a chat
// request (switchyard/wire/completions), which the Backend answers as any
// chat completion — keys, limits, budgets, the guard, classification,
// routing, failover, billing and records alike — and the answer's text is
// the completion, complete or streamed.

func (h *Handler) completions(w http.ResponseWriter, r *http.Request) {
	created := time.Now().Unix()
	cr, err := decodeBody(h, w, r, completions.DecodeRequest)
	if err != nil {
		WriteError(w, err)
		return
	}
	ov, err := overrides(r.Header, cr.Chat)
	if err != nil {
		WriteError(w, err)
		return
	}
	meta := completions.Meta{ID: completionID(r.Context()), Created: created, Model: cr.Chat.Model}
	if cr.Chat.Stream {
		h.relayStream(w, r, cr.Chat, ov, completions.NewStream(cr, meta), nil)
		return
	}
	var served llm.Served
	resp, err := h.Backend.Chat(r.Context(), cr.Chat, ov, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set(HeaderCost, costValue(&served))
	meta.Model = answeringModel(resp.Model, &served, meta.Model)
	out := getBuf()
	*out = completions.AppendResponse(*out, cr, &meta, resp, usageCost(&served))
	writeJSON(w, *out)
	putBuf(out)
}

// completionID is the completion's id, "cmpl-" and the request id's
// base, so that it names its entry in the request log.
func completionID(ctx context.Context) string {
	return "cmpl-" + strings.TrimPrefix(responseIDs(ctx).Base, "req_")
}
