package dispatch

import (
	"strings"

	"switchyard/llm"
)

// adapt turns a chunk of the continuation into one of the client's
// stream: the original id, model, creation time and fingerprint, no
// second role, the prefill's dropped whitespace not repeated, usage
// summed with the broken attempts' estimate. In regenerate mode the text
// the client already has is held back and compared first. keep is false
// for a chunk left with nothing to say.
func (r *resumer) adapt(c *llm.Chunk) (*llm.Chunk, bool) {
	out := *c
	out.ID, out.Model, out.Created, out.SystemFingerprint = r.id, r.model, r.made, r.fp
	out.UsageSoFar = nil // the continuation's alone: the resumer bills it if it breaks
	if c.Usage != nil {
		u := *c.Usage
		u.Add(r.info.FromUsage)
		out.Usage = &u
	}
	out.Choices = make([]llm.ChunkChoice, 0, len(c.Choices))
	for _, ch := range c.Choices {
		ch.Delta.Role = ""
		if r.mode == ResumeRegenerate && !r.matched(&ch) {
			continue
		}
		switch {
		case r.skip == "":
		case r.inBlock:
			r.trimThinkingSkip(&ch.Delta)
		case ch.Delta.Content != "":
			ch.Delta.Content = r.trimSkip(ch.Delta.Content)
		}
		if !answers(&ch.Delta) && ch.FinishReason == "" {
			continue
		}
		out.Choices = append(out.Choices, ch)
	}
	if len(out.Choices) == 0 && out.Usage == nil {
		return nil, false
	}
	if out.Usage != nil || finishes(out.Choices) {
		in := r.info
		out.Resumed = &llm.Resumed{From: in.From, To: in.To, Offset: in.Offset, Mode: in.Mode}
	}
	return &out, true
}

// trimSkip drops from the start of s the whitespace the prefill lost and
// the client already has; the first other byte ends the skipping.
func (r *resumer) trimSkip(s string) string {
	i := 0
	for i < len(s) && i < len(r.skip) && s[i] == r.skip[i] {
		i++
	}
	r.skip = ""
	return s[i:]
}

// matched holds back a regenerated choice until its text covers what the
// client received, then lets through only what is new. A regenerated
// answer that differs, or ends or calls a tool first, breaks the
// continuation with errResumeMismatch (recorded by next as a failure to
// resume past).
func (r *resumer) matched(ch *llm.ChunkChoice) bool {
	if r.regenDone {
		return true
	}
	sent := r.text.String()
	r.regen += ch.Delta.Content
	switch {
	case len(r.regen) < len(sent) && strings.HasPrefix(sent, r.regen) && ch.FinishReason == "" && len(ch.Delta.ToolCalls) == 0:
		return false
	case len(r.regen) >= len(sent) && strings.HasPrefix(r.regen, sent):
		r.regenDone = true
		ch.Delta.Content = r.regen[len(sent):]
		return true
	}
	r.mismatch = true
	return false
}

func finishes(cs []llm.ChunkChoice) bool {
	for i := range cs {
		if cs[i].FinishReason != "" {
			return true
		}
	}
	return false
}
