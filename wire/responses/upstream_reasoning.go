package responses

import (
	"encoding/json"
	"fmt"

	"switchyard/llm"
)

// A reasoning item of an upstream that serves the Responses API is two
// thinking blocks: its summary, asked for with reasoning.summary
// (llm.Reasoning.Summary), is an unsigned block of text (another
// provider's thought summary, as Gemini's are), streamed from its
// response.reasoning_summary_text.delta events (the parts apart by a
// blank line) or taken from the done item's summary when none streamed;
// its encrypted_content is the next block (llm.OpenAIReasoning), yielded
// when the item is done. The router's Responses API shows the text as its
// reasoning item's summary and seals both blocks for the next turn; an
// Anthropic client that shows thinking gets a thinking block (without a
// signature) and a redacted_thinking block; only the second goes back
// upstream.

// reasoningBlock is a reasoning item's summary block: its index (-1
// before any text), and the summary part its text is at.
type reasoningBlock struct {
	text, part int
}

// reasoningBlockOf returns the summary block of the reasoning item at
// output index.
func (d *UpstreamDecoder) reasoningBlockOf(index int) *reasoningBlock {
	if b, ok := d.reasoning[index]; ok {
		return b
	}
	if d.reasoning == nil {
		d.reasoning = make(map[int]*reasoningBlock, 1)
	}
	b := &reasoningBlock{text: -1, part: -1}
	d.reasoning[index] = b
	return b
}

// summaryText yields text as the summary block of b, starting it when
// new.
func (d *UpstreamDecoder) summaryText(b *reasoningBlock, text string, out []*llm.Chunk) []*llm.Chunk {
	if b.text < 0 {
		b.text = d.thoughts
		d.thoughts++
	}
	ch := d.chunk()
	ch.Choices[0].Delta.Thinking = &llm.ThinkingDelta{Index: b.text, Text: text}
	return append(out, ch)
}

// summaryDelta yields a response.reasoning_summary_text.delta's text as
// its item's thinking.
func (d *UpstreamDecoder) summaryDelta(ev *upstreamEvent, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	var delta string
	if err := json.Unmarshal(ev.Delta, &delta); err != nil {
		return out, false, fmt.Errorf("%w: delta: %v", ErrUpstreamEvent, err)
	}
	if _, relayed := d.hosted[ev.OutputIndex]; delta == "" || ev.SummaryIndex < 0 || relayed {
		return out, false, nil
	}
	b := d.reasoningBlockOf(ev.OutputIndex)
	if b.part >= 0 && b.part != ev.SummaryIndex {
		delta = "\n\n" + delta
	}
	b.part = ev.SummaryIndex
	return d.summaryText(b, delta, out), false, nil
}

// reasoningDone yields the done reasoning item it at output index: its
// summary's text when none streamed, then its encrypted_content.
func (d *UpstreamDecoder) reasoningDone(index int, it *upstreamItem, out []*llm.Chunk) []*llm.Chunk {
	if b := d.reasoningBlockOf(index); b.text < 0 && hasSummaryText(it) {
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
		out = d.summaryText(b, string(text), out)
	}
	if it.EncryptedContent == nil || *it.EncryptedContent == "" || it.ID == "" {
		return out
	}
	ch := d.chunk()
	ch.Choices[0].Delta.Thinking = &llm.ThinkingDelta{Index: d.thoughts, Redacted: llm.OpenAIReasoning(it.ID, *it.EncryptedContent).Redacted}
	d.thoughts++
	return append(out, ch)
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
