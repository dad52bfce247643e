package dispatch

import (
	"strings"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// A model that writes its reasoning in the content between <think> tags
// (think_tags; provider/openai splits it out) may be cut while thinking:
// the client has had reasoning and no text. Such a stream is continued
// only by prefill on a vLLM-style deployment that splits the tags too
// (thinkPrefill): the prefill is the block so far, "<think>\n" and the
// reasoning relayed, and the continuation's adapter reads the rest as
// reasoning up to its </think>, then text — the answer the client would
// have had unbroken. Cut in the text, the prefill is the text alone (the
// models' templates drop an earlier block from an assistant message).

// thinkPrefill returns the prefill that continues a stream cut inside
// its <think> block on t, or "" when t cannot: it must continue a final
// assistant message as vLLM does and read the tags (writesThinkTags).
func (r *resumer) thinkPrefill(t *Target) string {
	if t.Deployment.Continuation != llm.ContinueVLLM || !writesThinkTags(&t.Deployment) {
		return ""
	}
	return "<think>\n" + strings.TrimRight(r.thought.String(), " \t\r\n")
}

// writesThinkTags reports whether d's answers are read for a <think>
// block (its think_tags, else by its model id, as provider/openai reads
// them).
func writesThinkTags(d *llm.Deployment) bool {
	switch d.ThinkTags {
	case llm.ThinkTagsOn:
		return true
	case llm.ThinkTagsOff:
		return false
	}
	m := d.BaseModel
	if m == "" {
		m = d.Model
	}
	return wire.ThinkTagsModel(m)
}

// observeThought keeps the reasoning of choice ch relayed before any
// text, the start of a prefill that ends inside the block; more than
// Options.ResumeBytes blocks the stream from being continued.
func (r *resumer) observeThought(ch *llm.ChunkChoice) {
	if r.text.Len() > 0 || ch.Delta.Thinking == nil || ch.Delta.Thinking.Text == "" {
		return
	}
	if r.thought.Len()+len(ch.Delta.Thinking.Text) > r.d.opts.ResumeBytes {
		r.blocked, r.thought = true, strings.Builder{}
		return
	}
	r.thought.WriteString(ch.Delta.Thinking.Text)
}

// trimThinkingSkip drops from the continuation's first reasoning the
// whitespace the prefill lost, as trimSkip does for text.
func (r *resumer) trimThinkingSkip(d *llm.Delta) {
	if d.Thinking == nil || d.Thinking.Text == "" {
		return
	}
	th := *d.Thinking // the adapter's: not written through
	if th.Text = r.trimSkip(th.Text); th.Text == "" {
		d.Thinking = nil
		return
	}
	d.Thinking = &th
}
