package openai

import (
	"context"
	"net/http"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/openai"
)

// decodeChat reads and decodes a chat request and its override headers,
// and returns the body's length; on failure it has answered the error and
// returns ok false.
func (h *Handler) decodeChat(w http.ResponseWriter, r *http.Request) (req *llm.Request, ov *route.Overrides, sent int64, ok bool) {
	req, sent, err := h.decodeChatBody(w, r)
	if err == nil {
		ov, err = overrides(r.Header, req)
	}
	if err != nil {
		WriteError(w, err)
		return nil, nil, 0, false
	}
	return req, ov, sent, true
}

// decodeBody reads the body into a pooled buffer and decodes it.
func decodeBody[T any](h *Handler, w http.ResponseWriter, r *http.Request, decode func([]byte) (T, error)) (T, error) {
	buf, err := h.readBody(w, r)
	if err != nil {
		var zero T
		return zero, err
	}
	defer putBuf(buf)
	return decode(*buf)
}

// decodeChatBody reads and decodes a chat request body. A body too large
// for the buffer pool is never reused, so it is handed to the decoder,
// whose strings then point into it rather than into a copy.
func (h *Handler) decodeChatBody(w http.ResponseWriter, r *http.Request) (*llm.Request, int64, error) {
	buf, err := h.readBody(w, r)
	if err != nil {
		return nil, 0, err
	}
	sent := int64(len(*buf))
	if !pooled(buf) {
		req, err := wire.DecodeChatRequestOwned(*buf)
		return req, sent, err
	}
	defer putBuf(buf)
	req, err := wire.DecodeChatRequest(*buf)
	return req, sent, err
}

func (h *Handler) chat(w http.ResponseWriter, r *http.Request) {
	req, ov, sent, ok := h.decodeChat(w, r)
	if !ok {
		return
	}
	req.ShowsReasoningText = !req.HideReasoning // reasoning_content, as DeepSeek writes it, unless excluded
	keep, ok := h.takeStore(w, req)             // the messages as sent: a file by its id
	if !ok {
		return
	}
	if err := h.inlineFiles(r.Context(), req, sent); err != nil {
		WriteError(w, err)
		return
	}
	if req.Stream {
		h.stream(w, r, req, ov, keep)
		return
	}
	var served llm.Served
	resp, err := h.Backend.Chat(r.Context(), req, ov, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set(HeaderCost, costValue(&served))
	out := getBuf()
	*out = wire.AppendChatResponseCost(*out, resp, usageCost(&served))
	if keep != nil {
		keep.save(r, resp.ID, resp.Model, *out)
	}
	writeJSON(w, *out)
	putBuf(out)
}

func streamEndError(ctx context.Context, err error) *llm.Error {
	return inbound.StreamEndError(ctx, err)
}

func (h *Handler) embeddings(w http.ResponseWriter, r *http.Request) {
	req, err := decodeBody(h, w, r, wire.DecodeEmbeddingRequest)
	if err != nil {
		WriteError(w, err)
		return
	}
	var served llm.Served
	resp, err := h.Backend.Embed(r.Context(), req, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set(HeaderCost, costValue(&served))
	out := getBuf()
	*out = wire.AppendEmbeddingResponse(*out, resp, req.EncodingFormat)
	writeJSON(w, *out)
	putBuf(out)
}

func costValue(s *llm.Served) string { return inbound.CostValue(s) }
func usageCost(s *llm.Served) string { return inbound.UsageCost(s) }
func formatUSD(v float64) string     { return inbound.FormatUSD(v) }
