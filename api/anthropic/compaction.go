package anthropic

import (
	"net/http"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/anthropic"
	wireresp "switchyard/wire/responses"
)

// This file answers the Messages API's compaction requests (compaction
// {"type":"summarize"} on POST /v1/messages) the way POST
// /v1/responses/compact is answered: the routed model, of any kind, is
// sent the conversation as a transcript under summarizing instructions
// (wireresp.SummaryRequest; the request's compaction.instructions replace
// them), and the answer is the one compaction block Anthropic's API
// answers with (stop_reason "compaction"): its content the summary, its
// encrypted_content the summary sealed for the caller's tenant as the
// Responses API's compaction items are (wireresp.Sealer.SealSummary), its
// signature null (the API's schema allows it: the router's block is
// checked by opening its seal, not by a signature). A later request that
// starts with the block is sent its summary as text
// (wire.OpenCompactions), to Claude as to any other deployment.

// sealer is the caller's tenant's sealer; nil when the router holds no
// key to seal with.
func (h *Handler) sealer(r *http.Request) *wireresp.Sealer {
	if h.Compactions == nil {
		return nil
	}
	return h.Compactions(r.Context())
}

// opener opens the router's compaction blocks for the caller's tenant;
// nil when the router holds no key (no block it made then opens).
func (h *Handler) opener(r *http.Request) func(string) (string, bool) {
	s := h.sealer(r)
	if s == nil {
		return nil
	}
	return s.OpenSummary
}

// compact answers a compaction request: req is the conversation, c its
// compaction configuration.
func (h *Handler) compact(w http.ResponseWriter, r *http.Request, req *llm.Request, c *wire.Compaction, ov *route.Overrides) {
	s := h.sealer(r)
	if s == nil {
		e := llm.Errorf(llm.KindInvalidRequest, "compaction: this router holds no key to seal a compaction with (responses.encryption), so it answers no compaction request; send the conversation itself")
		e.Param = "compaction"
		WriteError(w, r, e)
		return
	}
	var served llm.Served
	a, err := h.summarize(r, req, c.Instructions, ov, s, &served)
	inbound.SetServed(w.Header(), &served)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeCompaction(w, a, req.Stream, &served)
}

// summarize has the routed model write the summary of req's
// conversation under instructions ("" for the default ones) and returns
// the compaction answer holding it, sealed with s; served is filled as
// Backend.Chat fills it.
func (h *Handler) summarize(r *http.Request, req *llm.Request, instructions string, ov *route.Overrides, s *wireresp.Sealer, served *llm.Served) (*wire.CompactionAnswer, error) {
	sr := wireresp.SummaryRequest(req, instructions)
	sr.InferenceGeo, sr.Speed = req.InferenceGeo, req.Speed
	resp, err := h.Backend.Chat(r.Context(), sr, ov, served)
	if err != nil {
		return nil, err
	}
	summary := ""
	if len(resp.Choices) > 0 {
		summary = resp.Choices[0].Message.Text()
	}
	if summary == "" {
		return nil, llm.Errorf(llm.KindUpstream, "the model wrote no summary of the conversation; try again, or with another model")
	}
	model := resp.Model
	if model == "" {
		model = req.Model
	}
	in, write, read, out := wire.UsageFromLLM(resp.Usage)
	return &wire.CompactionAnswer{ID: wire.MessageID(resp.ID, llm.RequestID(r.Context())), Model: model,
		Content: summary, EncryptedContent: s.SealSummary(summary), Usage: wire.CompactionUsage(in, write, read, out)}, nil
}

// writeCompaction answers with the compaction answer a, complete or
// streamed, costing served's.
func writeCompaction(w http.ResponseWriter, a *wire.CompactionAnswer, stream bool, served *llm.Served) {
	w.Header().Set(inbound.HeaderCost, inbound.CostValue(served))
	buf := inbound.GetBuf()
	defer inbound.PutBuf(buf)
	if !stream {
		*buf = a.AppendJSON((*buf)[:0])
		inbound.WriteJSON(w, *buf)
		return
	}
	inbound.BeginStream(w)
	*buf = a.AppendEvents((*buf)[:0])
	w.Write(*buf)
	http.NewResponseController(w).Flush()
}
