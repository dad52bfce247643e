package responses

import "switchyard/llm"

// This file carries Gemini's thought signatures in the reasoning items.
// A Gemini model signs its function calls (llm.ToolCall.Signature) and
// wants each signature back on its call: the Responses API has no place
// for it on a function_call item, so the reasoning item's
// encrypted_content carries it, sealed with the thinking
// (llm.GeminiSignature blocks: the call id, the model that made it, the
// signature). Any router holding the key opens it when the client sends
// the item back, and puts each signature back on its call, marked with
// its model, as a Chat Completions client's extra_content is (only that
// model is sent it: llm.ToolCall.SignatureFor). The thinking memory
// stays the path for a client that drops the items.

// carriesSignatures reports whether r's reasoning items carry its
// answer's call signatures: r asks for reasoning and its items are
// sealed.
func (r *Request) carriesSignatures() bool { return r.asksReasoning() && r.sealer != nil }

// withSignatures returns blocks with a block per signed call of calls
// after them (blocks itself when none is signed).
func withSignatures(blocks []llm.Thinking, calls []llm.ToolCall) []llm.Thinking {
	for i := range calls {
		if tc := &calls[i]; tc.Signature != "" && tc.ID != "" {
			blocks = append(blocks[:len(blocks):len(blocks)], llm.GeminiSignature(tc.ID, tc.SignatureModel, tc.Signature))
		}
	}
	return blocks
}

// callSignature appends, before a streamed call's first delta that
// carries a signature, the block that carries it: to the reasoning item
// still open (the call closes it next), or to one it opens.
func (s *Streamer) callSignature(dst []byte, tc *llm.ToolCallDelta) []byte {
	if tc.Signature == "" || tc.ID == "" || !s.req.carriesSignatures() {
		return dst
	}
	b := llm.GeminiSignature(tc.ID, tc.SignatureModel, tc.Signature)
	index := 0
	if s.rs >= 0 {
		th := s.items[s.rs].thought
		index = th.base + len(th.blocks)
	}
	return s.thinking(dst, &llm.ThinkingDelta{Index: index, Redacted: b.Redacted})
}

// callSignatures holds the signatures the reasoning items sent back
// carried, by call id, until the function_call items of their calls.
type callSignatures map[string]llm.ToolCall

// takeSignatures returns blocks without the signature blocks, which it
// keeps in d.sigs for their calls.
func (d *inputDecoder) takeSignatures(blocks []llm.Thinking) []llm.Thinking {
	var rest []llm.Thinking
	for i := range blocks {
		id, model, sig, ok := blocks[i].GeminiSignature()
		if !ok {
			if rest != nil {
				rest = append(rest, blocks[i])
			}
			continue
		}
		if rest == nil {
			rest = append(make([]llm.Thinking, 0, len(blocks)), blocks[:i]...)
		}
		if d.sigs == nil {
			d.sigs = callSignatures{}
		}
		d.sigs[id] = llm.ToolCall{Signature: sig, SignatureModel: model}
	}
	if rest == nil {
		return blocks
	}
	return rest
}

// sign puts on call the signature a reasoning item carried for it, when
// it has none.
func (d *inputDecoder) sign(call *llm.ToolCall) {
	if s, ok := d.sigs[call.ID]; ok && call.Signature == "" {
		call.Signature, call.SignatureModel = s.Signature, s.SignatureModel
	}
}
