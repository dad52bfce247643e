package openai

import (
	"net/http"
	"time"

	"switchyard/llm"
	"switchyard/route"
	wireresp "switchyard/wire/responses"
)

// compact answers POST /v1/responses/compact: the conversation (its
// input, or the stored response it continues) is summarized by the routed
// model (wireresp.CompactRequest.SummaryRequest, run through the Backend
// like any request: keys, budgets, routing, failover and records apply),
// and the answer is the conversation's user messages and a compaction
// item holding the summary sealed for the caller's tenant, which a later
// input sends back in the conversation's place.
func (h *Handler) compact(w http.ResponseWriter, r *http.Request) {
	createdAt := time.Now().Unix()
	st := stored(r.Context(), h.storing(), h.conversing(), h.storeTimeout())
	st.Sealer = h.sealer(r.Context())
	if st.Sealer == nil {
		e := llm.Errorf(llm.KindNotFound, "POST /v1/responses/compact is not served: this router holds no key to seal a compaction with")
		WriteError(w, e)
		return
	}
	cr, err := decodeBody(h, w, r, func(b []byte) (*wireresp.CompactRequest, error) { return wireresp.DecodeCompactRequest(b, st) })
	if err != nil {
		WriteError(w, err)
		return
	}
	ov, err := overrides(r.Header, nil)
	if err != nil {
		WriteError(w, err)
		return
	}
	var served llm.Served
	summary, resp, ok := h.summarize(w, r, cr.SummaryRequest(), ov, &served)
	if !ok {
		return
	}
	buf := getBuf()
	*buf = cr.AppendCompacted((*buf)[:0], responseIDs(r.Context()), createdAt, st.Sealer.SealSummary(summary), resp.Usage, usageCost(&served))
	writeJSON(w, *buf)
	putBuf(buf)
}

// summarize runs sr, a request for a summary of a conversation, through
// the Backend (with ov's inference geography), filling served and the
// answer's served headers. It returns the summary and the answer, or
// writes the error and reports false (no summary written is an upstream
// error).
func (h *Handler) summarize(w http.ResponseWriter, r *http.Request, sr *llm.Request, ov *route.Overrides, served *llm.Served) (string, *llm.Response, bool) {
	if ov != nil {
		sr.InferenceGeo = ov.InferenceGeo
	}
	resp, err := h.Backend.Chat(r.Context(), sr, ov, served)
	setServed(w.Header(), served)
	if err != nil {
		WriteError(w, responsesError(err))
		return "", nil, false
	}
	summary := ""
	if len(resp.Choices) > 0 {
		summary = resp.Choices[0].Message.Text()
	}
	if summary == "" {
		WriteError(w, llm.Errorf(llm.KindUpstream, "the model wrote no summary of the conversation; try again, or with another model"))
		return "", nil, false
	}
	w.Header().Set(HeaderCost, costValue(served))
	return summary, resp, true
}
