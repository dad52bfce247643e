package openai

import (
	"net/http"

	"switchyard/llm"
	wireresp "switchyard/wire/responses"
)

// warmup answers a warm-up, a response.create of WebSocket mode with
// generate false (the Codex CLI sends one first on each connection): no
// upstream is called; the response completes without output or usage,
// and its conversation (its input, after the one it continues) is the
// one its lane continues, as a streamed response's is (rememberStream).
// It is kept on the connection alone, stored or not. Over plain HTTP,
// where the API has no such parameter, it is a 400 naming generate.
func (h *Handler) warmup(w http.ResponseWriter, r *http.Request, rr *wireresp.Request, meta wireresp.Meta) {
	if s, _ := socketOf(r.Context()); s == nil {
		e := llm.Errorf(llm.KindInvalidRequest, "'generate': false warms up a connection of the Responses API's WebSocket mode: send it in a response.create on a WebSocket to /v1/responses, or leave it out of POST /v1/responses.")
		e.Param, e.Code = "generate", "unsupported_parameter"
		WriteError(w, e)
		return
	}
	out := wireresp.Output{Status: wireresp.StatusCompleted}
	rememberStream(r.Context(), rr, &meta, &out)
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	st := wireresp.NewStreamer(rr, meta)
	buf := getBuf()
	*buf = st.Warmup(st.Start((*buf)[:0]))
	w.Write(*buf) //nolint:errcheck // a client gone is the connection's to see
	putBuf(buf)
}
