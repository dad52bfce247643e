package openai

import (
	"net/http"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// moderations serves POST /v1/moderations: the request decoded strictly
// (400s name the param), the upstream's answer relayed as it came, with
// the x-switchyard-* headers.
func (h *Handler) moderations(w http.ResponseWriter, r *http.Request) {
	req, err := decodeBody(h, w, r, wire.DecodeModerationRequest)
	if err != nil {
		WriteError(w, err)
		return
	}
	var served llm.Served
	resp, err := h.Backend.Moderate(r.Context(), req, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set(HeaderCost, costValue(&served))
	if resp.Body != nil {
		writeJSON(w, resp.Body)
		return
	}
	out := getBuf()
	*out = wire.AppendModerationResponse(*out, resp)
	writeJSON(w, *out)
	putBuf(out)
}
