package openai

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"

	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/openai"
)

// decodeChat reads and decodes a chat request and its override headers;
// on failure it has answered the error and returns ok false.
func (h *Handler) decodeChat(w http.ResponseWriter, r *http.Request) (req *llm.Request, ov *route.Overrides, ok bool) {
	req, err := h.decodeChatBody(w, r)
	if err == nil {
		ov, err = overrides(r.Header)
	}
	if err != nil {
		WriteError(w, err)
		return nil, nil, false
	}
	return req, ov, true
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
func (h *Handler) decodeChatBody(w http.ResponseWriter, r *http.Request) (*llm.Request, error) {
	buf, err := h.readBody(w, r)
	if err != nil {
		return nil, err
	}
	if !pooled(buf) {
		return wire.DecodeChatRequestOwned(*buf)
	}
	defer putBuf(buf)
	return wire.DecodeChatRequest(*buf)
}

func (h *Handler) chat(w http.ResponseWriter, r *http.Request) {
	req, ov, ok := h.decodeChat(w, r)
	if !ok {
		return
	}
	if req.Stream {
		h.stream(w, r, req, ov)
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
	writeJSON(w, *out)
	putBuf(out)
}

// streamEndError returns the error event that ends a broken stream, or
// nil when the client has gone away (nobody would read it, and the write
// would fail anyway). A request deadline that passed is reported as a
// timeout naming the deadline: the context's cause when it is an
// *llm.Error (the server sets one), a generic timeout otherwise.
func streamEndError(ctx context.Context, err error) *llm.Error {
	switch ctx.Err() {
	case nil:
		return llm.AsError(err)
	case context.DeadlineExceeded:
		var e *llm.Error
		if errors.As(context.Cause(ctx), &e) {
			c := *e // the cause is shared by every request
			return &c
		}
		return &llm.Error{Kind: llm.KindTimeout, Message: "the request's deadline passed while the answer was streaming", Err: err}
	}
	return nil
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

// costValue is x-switchyard-cost-usd's value: the served cost in dollars,
// or "unknown" when the deployment that answered has no known price
// (never a silent "0").
func costValue(s *llm.Served) string {
	if s.CostUnknown {
		return "unknown"
	}
	return formatUSD(s.CostUSD)
}

// usageCost is the "cost" written into an answer's usage: the served
// cost in dollars as a JSON number, or "" (none written) when the
// deployment that answered has no known price.
func usageCost(s *llm.Served) string {
	if s.CostUnknown {
		return ""
	}
	return formatUSD(s.CostUSD)
}

// formatUSD writes a cost in dollars for a header: rounded to 1e-12 $
// (far below any per-token price), in the shortest decimal form, so that
// float noise (0.000013199999999999999) reads as 0.0000132.
func formatUSD(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e12)/1e12, 'f', -1, 64)
}
