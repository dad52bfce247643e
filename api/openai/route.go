package openai

import (
	"encoding/json"
	"net/http"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	"switchyard/route"
)

// overrides reads the routing headers of a request whose body decoded to
// req (nil when it has none yet; see inbound.Overrides).
func overrides(h http.Header, req *llm.Request) (*route.Overrides, error) {
	return inbound.Overrides(h, req)
}

// route answers POST /v1/route: the body of a chat completion, decided but
// not sent. The JSON holds the category and confidence at the top level,
// the plan's tiers and the full explanation.
func (h *Handler) route(w http.ResponseWriter, r *http.Request) {
	req, ov, sent, ok := h.decodeChat(w, r)
	if !ok {
		return
	}
	if err := h.inlineFiles(r.Context(), req, sent); err != nil {
		WriteError(w, err)
		return
	}
	plan, err := h.Backend.Route(r.Context(), req, ov)
	if err != nil {
		WriteError(w, err)
		return
	}
	body, err := json.Marshal(plan)
	if err != nil {
		WriteError(w, llm.Wrap(llm.KindInternal, err, "could not encode the routing plan"))
		return
	}
	w.Header().Set(HeaderRoute, plan.Summary(0, plan.First(), 0))
	writeJSON(w, body)
}
