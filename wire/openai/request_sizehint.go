package openai

import "switchyard/llm"

// requestSizeHint estimates the encoded size of req from its fields'
// lengths plus the JSON around them, with a sixteenth more for escapes. It
// sizes the body in one allocation: an estimate far above the size (as
// a flat per-message guess was, 2.5× for short messages) is memory each
// upstream attempt holds for nothing, and one far below it costs a copy
// on every growth.
func requestSizeHint(req *llm.Request) int {
	n := 256 + len(req.Model)
	for i := range req.Messages {
		n += messageSizeHint(&req.Messages[i])
	}
	for i := range req.Tools {
		n += len(req.Tools[i].Description) + len(req.Tools[i].Parameters) + len(req.Tools[i].Format) + 64
	}
	for _, v := range req.Extra {
		n += len(v) + 24
	}
	return n + n/16
}

// messageSizeHint is requestSizeHint's estimate for one message: exact for
// text without escapes, the JSON around each field included.
func messageSizeHint(m *llm.Message) int {
	n := len(`{"role":"","content":},`) + len(m.Role) + 2
	if m.Name() != "" {
		n += len(`,"name":""`) + len(m.Name())
	}
	if m.ToolCallID() != "" {
		n += len(`,"tool_call_id":""`) + len(m.ToolCallID())
	}
	if m.Refusal() != "" {
		n += len(`,"refusal":""`) + len(m.Refusal())
	}
	parts := !m.StringContent || len(m.Content) > 1
	for j := range m.Content {
		p := &m.Content[j]
		n += len(p.Text)
		if e := p.Extra; e != nil {
			n += len(e.ImageURL) + len(e.ImageDetail) + len(e.Raw)
			if e.Cache != llm.NoCache {
				n += len(`,"prompt_cache_breakpoint":{"mode":"explicit","ttl":"12h"}`)
			}
			if d := e.Document; d != nil && len(e.Raw) == 0 {
				n += len(d.Data) + len(d.Text) + len(d.Filename) + len(d.Title) + len(d.Context) + 120
			}
		}
		if parts {
			n += partOverhead(p.Type)
		}
	}
	for j := range m.ToolCalls() {
		n += len(m.ToolCalls()[j].ID) + len(m.ToolCalls()[j].Arguments) + len(m.ToolCalls()[j].Name) + 80
	}
	return n
}

// partOverhead is the JSON a content part of type t adds around its
// fields' values, with the comma or bracket that precedes it.
func partOverhead(t llm.PartType) int {
	switch t {
	case llm.PartText:
		return len(`,{"type":"text","text":""}`)
	case llm.PartImage:
		return len(`,{"type":"image_url","image_url":{"url":"","detail":""}}`)
	}
	return 1
}
