package anthropic

import (
	"bytes"
	"encoding/json"

	"switchyard/llm"
)

// This file places an assistant turn's provider blocks (llm.Block: the
// server tool blocks Claude wrote) among its text and tool_use blocks,
// where Claude wrote them, for the encoders of a request and of an answer.

// segment is a run of a turn's text, bytes [start, end) of it, from its
// text block (or part) src.
type segment struct{ start, end, src int }

// The kinds of a woven item.
const (
	itemText  = iota // text [start, end) of segment src
	itemBlock        // provider block i
	itemCall         // tool call i
)

// item is one content block of a woven turn.
type item struct{ kind, i, start, end int }

// weave returns the order of a turn's content: its text segments (in
// order, covering its text), its provider blocks and its calls tool
// calls, each block before the first text from its At on and before its
// Calls-th tool call; a block whose At falls inside a segment cuts it in
// two (the piece after it keeps the segment's src). Blocks past the end
// come last, in order.
func weave(segs []segment, calls int, blocks []llm.Block) []item {
	out := make([]item, 0, len(segs)+calls+len(blocks))
	b := 0
	for _, s := range segs {
		start := s.start
		for b < len(blocks) && blocks[b].Calls == 0 && blocks[b].At < s.end {
			if at := blocks[b].At; at > start {
				out = append(out, item{kind: itemText, i: s.src, start: start, end: at})
				start = at
			}
			out = append(out, item{kind: itemBlock, i: b})
			b++
		}
		if start < s.end || s.start == s.end {
			out = append(out, item{kind: itemText, i: s.src, start: start, end: s.end})
		}
	}
	for k := 0; k < calls; k++ {
		for b < len(blocks) && blocks[b].Calls <= k {
			out = append(out, item{kind: itemBlock, i: b})
			b++
		}
		out = append(out, item{kind: itemCall, i: k})
	}
	for ; b < len(blocks); b++ {
		out = append(out, item{kind: itemBlock, i: b})
	}
	return out
}

// withInput returns the block start (a content_block_start's object) with
// its input member's value replaced by input (the joined input_json_delta
// pieces), as the complete block is written; start itself when input is
// empty, the member is missing or start does not decode.
func withInput(start json.RawMessage, input string) json.RawMessage {
	if input == "" {
		return start
	}
	d := json.NewDecoder(bytes.NewReader(start))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return start
	}
	for d.More() {
		key, err := d.Token()
		if err != nil {
			return start
		}
		from := int(d.InputOffset())
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return start
		}
		if key != "input" {
			continue
		}
		to := int(d.InputOffset())
		// from is just after the key: skip the colon and spaces.
		from += bytes.IndexByte(start[from:to], ':') + 1
		for from < to && (start[from] == ' ' || start[from] == '\t' || start[from] == '\n' || start[from] == '\r') {
			from++
		}
		out := make(json.RawMessage, 0, len(start)-(to-from)+len(input))
		out = append(out, start[:from]...)
		out = append(out, input...)
		return append(out, start[to:]...)
	}
	return start
}
