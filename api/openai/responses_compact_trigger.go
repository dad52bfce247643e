package openai

import (
	"net/http"

	"switchyard/llm"
	"switchyard/route"
	wireresp "switchyard/wire/responses"
)

// compactTurn answers a POST /v1/responses whose input ends with a
// compaction_trigger item: the conversation (the stored response or
// conversation it continues, then its input) is summarized by the routed
// model as POST /v1/responses/compact summarizes it (SummaryRequest, run
// through the Backend like any request), and the response's output is one
// compaction item holding the summary sealed for the caller's tenant
// (sealer). It is stored and added to its conversation like any response
// (the trigger itself is not kept). Streamed, the events go out once the
// summary is written: a failure before is an HTTP error.
func (h *Handler) compactTurn(w http.ResponseWriter, r *http.Request, rr *wireresp.Request, ov *route.Overrides, meta wireresp.Meta, k keeper, sealer *wireresp.Sealer) {
	switch {
	case sealer == nil:
		WriteError(w, llm.Errorf(llm.KindNotFound, "compaction_trigger is not served: this router holds no key to seal a compaction with (responses.encryption)"))
		return
	case rr.Background:
		e := llm.Errorf(llm.KindInvalidRequest, "A compaction_trigger cannot run in the background on this router: send it without 'background'.")
		e.Param, e.Code = "background", "unsupported_parameter"
		WriteError(w, e)
		return
	}
	var served llm.Served
	summary, resp, ok := h.summarize(w, r, wireresp.SummaryRequest(rr.Chat, ""), ov, &served)
	if !ok {
		return
	}
	meta.Model = answeringModel(resp.Model, &served, meta.Model)
	out := wireresp.CompactionOutput(meta.IDs, sealer.SealSummary(summary), resp.Usage, usageCost(&served))
	buf := getBuf()
	defer putBuf(buf)
	if !rr.Chat.Stream {
		*buf = k.keepAnswer(r.Context(), rr, &meta, &out, func(m *wireresp.Meta) []byte {
			*buf = wireresp.AppendResponse((*buf)[:0], rr, m, &out)
			return *buf
		})
		writeJSON(w, *buf)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	st := wireresp.NewStreamer(rr, meta)
	started := st.Start(nil)
	k.end(r.Context(), rr, &meta, st, out, (*buf)[:0])
	ew := eventWriter{w: w, rc: http.NewResponseController(w), buf: buf}
	ew.write(st.Compacted(started, &out), true) //nolint:errcheck // the client left: nothing more to do
}
