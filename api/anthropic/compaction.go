package anthropic

import (
	"bytes"
	"encoding/json"
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
	sr := wireresp.SummaryRequest(req, c.Instructions)
	sr.InferenceGeo, sr.Speed = req.InferenceGeo, req.Speed
	resp, err := h.Backend.Chat(r.Context(), sr, ov, &served)
	inbound.SetServed(w.Header(), &served)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	summary := ""
	if len(resp.Choices) > 0 {
		summary = resp.Choices[0].Message.Text()
	}
	if summary == "" {
		WriteError(w, r, llm.Errorf(llm.KindUpstream, "the model wrote no summary of the conversation; try again, or with another model"))
		return
	}
	model := resp.Model
	if model == "" {
		model = req.Model
	}
	a := compactionAnswer{id: wire.MessageID(resp.ID, llm.RequestID(r.Context())), model: model,
		block: compactionBlock{Type: wire.BlockCompaction, Content: summary, Encrypted: s.SealSummary(summary)},
		usage: compactionUsage(resp.Usage)}
	w.Header().Set(inbound.HeaderCost, inbound.CostValue(&served))
	if req.Stream {
		writeCompactionStream(w, &a)
		return
	}
	inbound.WriteJSON(w, marshal(a.message(true)))
}

// compactionBlock is the compaction block the router answers with.
type compactionBlock struct {
	Type      string  `json:"type"`
	Content   string  `json:"content"`
	Encrypted string  `json:"encrypted_content"`
	Signature *string `json:"signature"`
}

// compactionAnswer is a compaction request's answer.
type compactionAnswer struct {
	id, model string
	block     compactionBlock
	usage     wire.Usage
}

// compactionUsage is the usage of a compaction answer: the summary's
// tokens as its one usage.iterations entry (type compaction, no model),
// which the top-level counts leave out, as the API counts a compaction
// iteration.
func compactionUsage(u *llm.Usage) wire.Usage {
	in, write, read, out := wire.UsageFromLLM(u)
	return wire.Usage{Iterations: []wire.UsageIteration{{Type: wire.BlockCompaction, InputTokens: in,
		CacheCreationInputTokens: write, CacheReadInputTokens: read, OutputTokens: out}}}
}

// message is the answer as a Message; done false is its message_start
// skeleton (no content, no stop reason, no usage yet).
func (a *compactionAnswer) message(done bool) *wire.MessagesResponse {
	m := &wire.MessagesResponse{ID: a.id, Type: "message", Role: "assistant", Model: a.model, Content: []wire.ContentBlock{}}
	if done {
		raw, _ := json.Marshal(a.block)
		stop := wire.StopCompaction
		m.Content, m.StopReason, m.Usage = []wire.ContentBlock{{Type: wire.BlockCompaction, Raw: raw}}, &stop, a.usage
	}
	return m
}

// writeCompactionStream writes the answer as the Messages API streams
// it: message_start, the compaction block (content_block_start with it
// empty, one compaction_delta with the whole content and
// encrypted_content, as the API sends them), message_delta with
// stop_reason compaction and the usage, message_stop.
func writeCompactionStream(w http.ResponseWriter, a *compactionAnswer) {
	inbound.BeginStream(w)
	start := a.block
	start.Content, start.Encrypted = "", ""
	type typed struct {
		Type string `json:"type"`
	}
	type indexed struct {
		Type  string `json:"type"`
		Index int    `json:"index"`
	}
	var md struct {
		Type  string `json:"type"`
		Delta struct {
			StopReason   string  `json:"stop_reason"`
			StopSequence *string `json:"stop_sequence"`
			StopDetails  *string `json:"stop_details"`
		} `json:"delta"`
		Usage wire.Usage `json:"usage"`
	}
	md.Type, md.Delta.StopReason, md.Usage = "message_delta", wire.StopCompaction, a.usage
	events := []struct {
		name string
		data any
	}{
		{"message_start", struct {
			Type    string                 `json:"type"`
			Message *wire.MessagesResponse `json:"message"`
		}{"message_start", a.message(false)}},
		{"content_block_start", struct {
			indexed
			Block compactionBlock `json:"content_block"`
		}{indexed{"content_block_start", 0}, start}},
		{"content_block_delta", struct {
			indexed
			Delta compactionDelta `json:"delta"`
		}{indexed{"content_block_delta", 0}, compactionDelta{Type: "compaction_delta", Content: a.block.Content, Encrypted: a.block.Encrypted}}},
		{"content_block_stop", indexed{"content_block_stop", 0}},
		{"message_delta", &md},
		{"message_stop", typed{"message_stop"}},
	}
	buf := inbound.GetBuf()
	defer inbound.PutBuf(buf)
	for _, ev := range events {
		data := marshal(ev.data)
		*buf = append(*buf, "event: "+ev.name+"\ndata: "...)
		*buf = append(*buf, data...)
		*buf = append(*buf, "\n\n"...)
	}
	w.Write(*buf)
	http.NewResponseController(w).Flush()
}

// compactionDelta is a compaction block's content_block_delta.
type compactionDelta struct {
	Type      string `json:"type"`
	Content   string `json:"content"`
	Encrypted string `json:"encrypted_content"`
}

// marshal encodes v as the API writes JSON: <, > and & as they are, and
// no newline after.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // strings and numbers always encode
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
