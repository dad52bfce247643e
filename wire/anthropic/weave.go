package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"

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
	itemThink        // thinking block i
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
	return weaveAll(segs, calls, blocks, 0)
}

// weaveAll is weave with the turn's thoughts thinking blocks placed too:
// each right after the provider block before the first that counts it
// (llm.Block.Thoughts; at the start when that is the first), the rest
// after the last provider block.
func weaveAll(segs []segment, calls int, blocks []llm.Block, thoughts int) []item {
	items := weaveParts(segs, calls, blocks)
	if thoughts == 0 || len(blocks) == 0 {
		return items
	}
	out := make([]item, 0, len(items)+thoughts)
	k := 0
	think := func(upTo int) {
		for ; k < min(upTo, thoughts); k++ {
			out = append(out, item{kind: itemThink, i: k})
		}
	}
	think(blocks[0].Thoughts)
	for _, it := range items {
		out = append(out, it)
		if it.kind == itemBlock {
			next := thoughts
			if it.i+1 < len(blocks) {
				next = blocks[it.i+1].Thoughts
			}
			think(next)
		}
	}
	think(thoughts)
	return out
}

// weaveParts is weave without thinking.
func weaveParts(segs []segment, calls int, blocks []llm.Block) []item {
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

// citationsAt is the citations (a JSON array) of the text block that
// starts at byte start of a turn's text, nil when it has none.
func citationsAt(blocks []llm.TextBlock, start int) json.RawMessage {
	for _, tb := range blocks {
		if tb.Start == start && len(tb.Citations) > 0 {
			return append(append(json.RawMessage("["), bytes.Join(rawSlices(tb.Citations), []byte(","))...), ']')
		}
	}
	return nil
}

func rawSlices(list []json.RawMessage) [][]byte {
	out := make([][]byte, len(list))
	for i := range list {
		out[i] = list[i]
	}
	return out
}

// wovenAssistantBlocks converts an assistant turn that holds provider
// blocks (llm.Block, Claude's server tool blocks): its thinking, its parts
// (a text block with its citations, TextBlocks), provider blocks (as they
// came) and tool calls in the order weaveAll gives.
func wovenAssistantBlocks(m *llm.Message, msg int) (Blocks, error) {
	return wovenParts(m, msg, len(m.ToolCalls()))
}

// wovenParts converts m's thinking, parts, provider blocks (as they came)
// and first calls tool calls in the order weaveAll gives.
func wovenParts(m *llm.Message, msg, calls int) (Blocks, error) {
	segs := make([]segment, len(m.Content))
	at := 0
	for j := range m.Content {
		n := len(m.Content[j].Text) // only a text part has text
		segs[j] = segment{start: at, end: at + n, src: j}
		at += n
	}
	var out Blocks
	blocks, thinking := m.Blocks(), m.Thinking()
	for _, it := range weaveAll(segs, calls, blocks, len(thinking)) {
		switch it.kind {
		case itemThink:
			out = append(out, thinkingBlocks(thinking[it.i:it.i+1])...)
		case itemBlock:
			var b ContentBlock // a thinking block's fields, any other's Raw
			if err := json.Unmarshal(blocks[it.i].Raw, &b); err != nil {
				return nil, invalid(fmt.Sprintf("messages[%d].content", msg), "a provider block does not decode: %v", err)
			}
			out = append(out, b)
		case itemCall:
			b, err := toolUseBlock(m, msg, it.i)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		default:
			p := m.Content[it.i]
			s := segs[it.i]
			if p.Type == llm.PartText {
				p.Text = p.Text[it.start-s.start : it.end-s.start]
			}
			b, err := partsToBlocks([]llm.Part{p}, msg)
			if err != nil {
				return nil, err
			}
			if len(b) == 1 && b[0].Type == BlockText && it.start == s.start {
				b[0].Citations = citationsAt(m.TextBlocks(), s.start)
			}
			out = append(out, b...)
		}
	}
	return out, nil
}
