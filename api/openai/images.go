package openai

import (
	"net/http"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// images serves POST /v1/images/generations: the request decoded (400s
// name the param), the upstream's answer relayed as it came (its events
// as they arrive with stream true), with the x-switchyard-* headers.
func (h *Handler) images(w http.ResponseWriter, r *http.Request) {
	req, err := decodeBody(h, w, r, wire.DecodeImageRequest)
	if err != nil {
		WriteError(w, err)
		return
	}
	if req.Stream {
		h.streamMedia(w, r, &llm.MediaStreamRequest{Images: req})
		return
	}
	var served llm.Served
	resp, err := h.Backend.GenerateImages(r.Context(), req, &served)
	writeImages(w, resp, err, &served)
}

// writeImages answers an image request: the served headers, then the
// error, or the upstream's answer as it came with its cost.
func writeImages(w http.ResponseWriter, resp *llm.ImageResponse, err error, served *llm.Served) {
	setServed(w.Header(), served)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set(HeaderCost, costValue(served))
	writeJSON(w, resp.Body)
}
