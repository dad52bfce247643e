package responses

import (
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file holds the reasoning output item: the thinking an upstream
// showed (Claude's extended thinking: llm.Thinking), written before the
// answer's message and calls. Its summary holds one summary_text part per
// thinking block with text when reasoning.summary asks for one (auto,
// concise, detailed: Claude 4's thinking as the API shows it is already a
// summary); otherwise it is []. A redacted block has no text. Its
// encrypted_content is the blocks sealed (Sealer), for the client that
// sends the item back.

// ItemReasoning is the type of a reasoning item.
const ItemReasoning = "reasoning"

// IncludeEncrypted is the include value that asks for the reasoning
// items' encrypted_content.
const IncludeEncrypted = "reasoning.encrypted_content"

// Reasoning is the id of the response's n-th reasoning item (from 0).
func (ids IDs) Reasoning(n int) string {
	if n == 0 {
		return "rs_" + ids.Base
	}
	return "rs_" + ids.Base + "_" + strconv.Itoa(n)
}

// showsSummary reports whether r asks for the reasoning's summary.
func (r *Request) showsSummary() bool {
	switch r.ReasoningSummary {
	case "auto", "concise", "detailed":
		return true
	}
	return false
}

// asksReasoning reports whether r asks for reasoning: its answer's
// thinking then comes back as a reasoning item.
func (r *Request) asksReasoning() bool { return r != nil && r.Chat.Reasoning != nil }

// OutputOf returns the output of a complete canonical response to r:
// FromResponse's, its calls of r's client-executed tools as their items
// (shellcalls.go), after a reasoning item holding the answer's thinking
// when r asks for reasoning and the answer has some.
func OutputOf(r *Request, resp *llm.Response, ids IDs) Output {
	out := FromResponse(resp, ids)
	raiseClientCalls(&out, r.Chat.Tools)
	for i := range out.Items {
		r.qualify(&out.Items[i])
	}
	if !r.asksReasoning() || len(resp.Choices) == 0 {
		return out
	}
	blocks := resp.Choices[0].Message.Thinking()
	if r.carriesSignatures() {
		blocks = withSignatures(blocks, resp.Choices[0].Message.ToolCalls())
	}
	if len(blocks) == 0 {
		return out
	}
	it := Item{Type: ItemReasoning, ID: ids.Reasoning(0), Encrypted: r.sealer.Seal(blocks)}
	if r.showsSummary() {
		for _, b := range blocks {
			if b.Text != "" {
				it.Summary = append(it.Summary, b.Text)
			}
		}
	}
	out.Items = append([]Item{it}, out.Items...)
	return out
}

// appendReasoningItem appends a reasoning item, with its encrypted_content
// when blob is set (and it has one).
func appendReasoningItem(dst []byte, it *Item, blob bool) []byte {
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, it.ID)
	dst = append(dst, `,"type":"reasoning","summary":[`...)
	for i, s := range it.Summary {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendSummaryPart(dst, s)
	}
	dst = append(dst, ']')
	if blob && it.Encrypted != "" {
		dst = append(dst, `,"encrypted_content":`...)
		dst = jsonw.String(dst, it.Encrypted)
	}
	return append(dst, '}')
}

// appendSummaryPart appends a summary_text part.
func appendSummaryPart(dst []byte, text string) []byte {
	dst = append(dst, `{"type":"summary_text","text":`...)
	dst = jsonw.String(dst, text)
	return append(dst, '}')
}
