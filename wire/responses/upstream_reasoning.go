package responses

import (
	"encoding/json"
	"fmt"

	"switchyard/llm"
)

// A reasoning item of an upstream that serves the Responses API is one
// thinking block (llm.OpenAIReasoning): its summary, asked for with
// reasoning.summary (llm.Reasoning.Summary), is the block's text, streamed
// from its response.reasoning_summary_text.delta events (the parts apart
// by a blank line), or taken from the done item's summary when none
// streamed; its encrypted_content is the block's Redacted data, yielded
// when the item is done. The router's Responses API shows the text as its
// reasoning item's summary and seals the block for the next turn; every
// other client kind gets no summary, as it does not ask for one.

// reasoningBlock is a reasoning item's thinking block: its index, and the
// summary part its text is at (-1 before any).
type reasoningBlock struct {
	index, part int
}

// reasoningBlockOf returns the block of the reasoning item at output
// index, starting it when new.
func (d *UpstreamDecoder) reasoningBlockOf(index int) *reasoningBlock {
	if b, ok := d.reasoning[index]; ok {
		return b
	}
	if d.reasoning == nil {
		d.reasoning = make(map[int]*reasoningBlock, 1)
	}
	b := &reasoningBlock{index: d.thoughts, part: -1}
	d.thoughts++
	d.reasoning[index] = b
	return b
}

// summaryDelta yields a response.reasoning_summary_text.delta's text as
// its item's thinking.
func (d *UpstreamDecoder) summaryDelta(ev *upstreamEvent, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	var delta string
	if err := json.Unmarshal(ev.Delta, &delta); err != nil {
		return out, false, fmt.Errorf("%w: delta: %v", ErrUpstreamEvent, err)
	}
	if delta == "" || ev.SummaryIndex < 0 {
		return out, false, nil
	}
	b := d.reasoningBlockOf(ev.OutputIndex)
	if b.part >= 0 && b.part != ev.SummaryIndex {
		delta = "\n\n" + delta
	}
	b.part = ev.SummaryIndex
	ch := d.chunk()
	ch.Choices[0].Delta.Thinking = &llm.ThinkingDelta{Index: b.index, Text: delta}
	return append(out, ch), false, nil
}

// reasoningDone yields the done reasoning item it at output index: its
// summary's text when none streamed, then its encrypted_content.
func (d *UpstreamDecoder) reasoningDone(index int, it *upstreamItem, out []*llm.Chunk) []*llm.Chunk {
	encrypted := it.EncryptedContent != nil && *it.EncryptedContent != "" && it.ID != ""
	_, started := d.reasoning[index]
	if !encrypted && !started && !hasSummaryText(it) {
		return out
	}
	b := d.reasoningBlockOf(index)
	if b.part < 0 {
		var text []byte
		for _, p := range it.Summary {
			if p.Text == "" {
				continue
			}
			if len(text) > 0 {
				text = append(text, "\n\n"...)
			}
			text = append(text, p.Text...)
		}
		if len(text) > 0 {
			b.part = len(it.Summary)
			ch := d.chunk()
			ch.Choices[0].Delta.Thinking = &llm.ThinkingDelta{Index: b.index, Text: string(text)}
			out = append(out, ch)
		}
	}
	if encrypted {
		ch := d.chunk()
		ch.Choices[0].Delta.Thinking = &llm.ThinkingDelta{Index: b.index, Redacted: llm.OpenAIReasoning(it.ID, *it.EncryptedContent).Redacted}
		out = append(out, ch)
	}
	return out
}

// hasSummaryText reports whether a reasoning item's summary holds text.
func hasSummaryText(it *upstreamItem) bool {
	for _, p := range it.Summary {
		if p.Text != "" {
			return true
		}
	}
	return false
}
