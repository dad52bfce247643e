package anthropic

import (
	"encoding/json"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// appendWoven appends the content of an answer that holds a Claude
// deployment's server tool blocks (llm.Block): its thinking blocks, its
// text blocks (the cited ones, TextBlocks, when the answer has them, else
// its text), each server block as Claude wrote it and each tool_use block,
// in the order Claude wrote them (weave). A text block a server block
// cuts keeps its citations on its first piece.
func appendWoven(dst []byte, m *llm.Message, text string) []byte {
	var segs []segment
	cited := m.TextBlocks()
	if len(cited) > 0 && text == m.Text() {
		segs = make([]segment, len(cited))
		for i := range cited {
			start, end := min(max(cited[i].Start, 0), len(text)), len(text)
			if i+1 < len(cited) {
				end = min(max(cited[i+1].Start, start), len(text))
			}
			segs[i] = segment{start: start, end: end, src: i}
		}
	} else if text != "" {
		cited = nil
		segs = []segment{{start: 0, end: len(text), src: -1}}
	}
	blocks, calls, thinking := m.Blocks(), m.ToolCalls(), m.Thinking()
	for n, it := range weaveAll(segs, len(calls), blocks, len(thinking)) {
		if n > 0 {
			dst = append(dst, ',')
		}
		switch it.kind {
		case itemThink:
			dst = appendThinkingBlock(dst, &thinking[it.i])
		case itemBlock:
			dst = append(dst, blocks[it.i].Raw...)
		case itemCall:
			dst = appendToolUseBlock(dst, ClientToolID(calls[it.i].ID), calls[it.i].Name, ToolInput(calls[it.i].Arguments))
		default:
			var citations []json.RawMessage
			if it.i >= 0 && it.start == segs[it.i].start {
				citations = cited[it.i].Citations
			}
			dst = appendText(dst, text[it.start:it.end], citations)
		}
	}
	return dst
}

// appendText appends a text block with its citations (none: no
// citations member, as the API writes it).
func appendText(dst []byte, text string, citations []json.RawMessage) []byte {
	dst = append(dst, `{"type":"text","text":`...)
	dst = jsonw.String(dst, text)
	if len(citations) > 0 {
		dst = append(dst, `,"citations":[`...)
		for j := range citations {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, citations[j]...)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// appendServerToolUse appends usage's server_tool_use member: the server
// tools' request counts, or null when u counts none. The API sends it in
// every usage, the message's and message_delta's (required and nullable
// in its schema, api:"required" in anthropic-sdk-go's Usage and
// MessageDeltaUsage).
func appendServerToolUse(dst []byte, u *llm.Usage) []byte {
	if u == nil || u.WebSearchRequests == 0 && u.WebFetchRequests == 0 {
		return append(dst, `,"server_tool_use":null`...)
	}
	dst = append(dst, `,"server_tool_use":{"web_search_requests":`...)
	dst = jsonw.Int(dst, u.WebSearchRequests)
	dst = append(dst, `,"web_fetch_requests":`...)
	dst = jsonw.Int(dst, u.WebFetchRequests)
	return append(dst, '}')
}
