package responses

import (
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file streams the reasoning item. The first thinking delta opens it
// (response.output_item.added, summary []); when the summary is asked
// for, each thinking block with text is a summary part
// (response.reasoning_summary_part.added, then
// response.reasoning_summary_text.delta per piece, .done and
// response.reasoning_summary_part.done when the next block, or another
// item, starts); the first delta of another item closes it
// (response.output_item.done, whole, its encrypted_content made then).

// thought is a streamed reasoning item's thinking.
type thought struct {
	// base is the ThinkingDelta.Index of the item's first block.
	base   int
	blocks []thinkingBuf
	// part is the block (index in blocks) whose summary part is open, or
	// -1; summaryIndex is that part's index in the summary, parts the
	// number of parts opened.
	part, summaryIndex, parts int
	// settled says Summary and Encrypted hold the blocks so far.
	settled bool
}

// thinkingBuf gathers one thinking block's pieces.
type thinkingBuf struct{ text, signature, redacted []byte }

// thinking appends the events of a thinking delta, opening the reasoning
// item first when none is open (an open message is closed then: text
// that follows goes to a new one).
func (s *Streamer) thinking(dst []byte, td *llm.ThinkingDelta) []byte {
	if s.rs < 0 {
		if s.msg >= 0 {
			dst = s.closeItem(dst, s.msg, StatusCompleted)
			s.msg = -1
		}
		s.rs = len(s.items)
		s.items = append(s.items, streamItem{Item: Item{Type: ItemReasoning, ID: s.meta.IDs.Reasoning(s.reasonings)},
			textPart: -1, refusalPart: -1, toolIndex: -1, thought: &thought{base: td.Index, part: -1}})
		s.reasonings++
		dst = s.itemAdded(dst, s.rs)
	}
	th := s.items[s.rs].thought
	k := td.Index - th.base
	if k < 0 {
		return dst
	}
	for len(th.blocks) <= k {
		th.blocks = append(th.blocks, thinkingBuf{})
	}
	b := &th.blocks[k]
	b.signature = append(b.signature, td.Signature...)
	b.redacted = append(b.redacted, td.Redacted...)
	th.settled = false
	if td.Text == "" {
		return dst
	}
	b.text = append(b.text, td.Text...)
	if !s.req.showsSummary() {
		return dst
	}
	if th.part != k {
		dst = s.summaryPartDone(dst, s.rs)
		th.part, th.summaryIndex = k, th.parts
		th.parts++
		dst = s.summaryBegin(dst, "response.reasoning_summary_part.added", s.rs)
		dst = end(append(dst, `,"part":{"type":"summary_text","text":""}`...))
	}
	dst = append(s.summaryBegin(dst, "response.reasoning_summary_text.delta", s.rs), `,"delta":`...)
	return end(jsonw.String(dst, td.Text))
}

// endReasoning closes the open reasoning item, if any: another item
// starts.
func (s *Streamer) endReasoning(dst []byte) []byte {
	if s.rs < 0 {
		return dst
	}
	dst = s.closeItem(dst, s.rs, StatusCompleted)
	s.rs = -1
	return dst
}

// closeReasoning appends the events that close reasoning item i: its open
// summary part's, then response.output_item.done with its summary and
// encrypted_content.
func (s *Streamer) closeReasoning(dst []byte, i int) []byte {
	it := &s.items[i]
	dst = s.summaryPartDone(dst, i)
	s.settle(it)
	it.done = true
	return s.itemDone(dst, i, StatusCompleted)
}

// summaryPartDone appends response.reasoning_summary_text.done and
// response.reasoning_summary_part.done for the open summary part of
// reasoning item i, if any.
func (s *Streamer) summaryPartDone(dst []byte, i int) []byte {
	th := s.items[i].thought
	if th.part < 0 {
		return dst
	}
	text := string(th.blocks[th.part].text)
	dst = append(s.summaryBegin(dst, "response.reasoning_summary_text.done", i), `,"text":`...)
	dst = end(jsonw.String(dst, text))
	dst = append(s.summaryBegin(dst, "response.reasoning_summary_part.done", i), `,"part":`...)
	dst = end(appendSummaryPart(dst, text))
	th.part = -1
	return dst
}

// summaryBegin appends the start of an event of reasoning item i's open
// summary part, up to its indexes; the caller ends it.
func (s *Streamer) summaryBegin(dst []byte, typ string, i int) []byte {
	dst = s.begin(dst, typ)
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"summary_index":`...)
	return strconv.AppendInt(dst, int64(s.items[i].thought.summaryIndex), 10)
}

// settle makes reasoning item it's Summary and Encrypted those of its
// blocks so far (sealed once for the same blocks); other items are left
// as they are.
func (s *Streamer) settle(it *streamItem) {
	th := it.thought
	if th == nil || th.settled {
		return
	}
	th.settled = true
	blocks := make([]llm.Thinking, len(th.blocks))
	it.Summary = nil // a copy of the item may hold the earlier one
	for j, b := range th.blocks {
		blocks[j] = llm.Thinking{Text: string(b.text), Signature: string(b.signature), Redacted: string(b.redacted)}
		if len(b.text) > 0 && s.req.showsSummary() {
			it.Summary = append(it.Summary, blocks[j].Text)
		}
	}
	it.Encrypted = s.req.sealer.Seal(blocks)
}
