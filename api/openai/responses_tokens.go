package openai

import (
	"net/http"
	"slices"

	"switchyard/llm"
	wire "switchyard/wire/openai"
	wireresp "switchyard/wire/responses"
)

// inputTokens answers POST /v1/responses/input_tokens with the router's
// count of the request's input tokens ({"object":"response.input_tokens",
// "input_tokens":n}): the request as it would be sent (instructions,
// input, the conversation continued by previous_response_id or
// conversation, tools), counted with the tokenizer the router routes and
// bills by (CountTokens: o200k_base, exact for OpenAI's current models,
// an estimate for others and for a route, whatever deployment would
// answer). A model the caller may not ask for is a 404, as GET
// /v1/models/{model} answers; model may be left out.
func (h *Handler) inputTokens(w http.ResponseWriter, r *http.Request) {
	if h.CountTokens == nil {
		h.responseNotStored(w, r)
		return
	}
	var sent int64
	rr, err := decodeBody(h, w, r, func(b []byte) (*wireresp.Request, error) {
		sent = int64(len(b))
		st := stored(r.Context(), h.storing(), h.conversing(), h.storeTimeout())
		st.Sealer = h.sealer(r.Context())
		return wireresp.DecodeCountRequest(b, st)
	})
	if err == nil { // a file named by id counts as its bytes would
		err = h.inlineFiles(r.Context(), rr.Chat, sent)
	}
	if err != nil {
		WriteError(w, err)
		return
	}
	if m := rr.Chat.Model; m != "" && h.Models != nil && !slices.ContainsFunc(h.Models(r.Context()), func(x wire.Model) bool { return x.ID == h.resolve(m) }) {
		e := llm.Errorf(llm.KindNotFound, "The model `%s` does not exist or you do not have access to it.", llm.Clip(m))
		e.Param, e.Code = "model", "model_not_found"
		WriteError(w, e)
		return
	}
	buf := getBuf()
	*buf = wireresp.AppendInputTokens(*buf, h.CountTokens(rr.Chat))
	writeJSON(w, *buf)
	putBuf(buf)
}
