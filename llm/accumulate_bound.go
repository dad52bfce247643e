package llm

// bounded returns c as the accumulator keeps it under MaxText: c itself
// while the text kept stays within the bound, else a copy without its
// text (content, refusal, tool call arguments, thinking, log
// probabilities), whose bytes are counted in TextLeftOut. Once a chunk's
// text has been left out, every later chunk's is too, so that the text
// kept is the answer's beginning. Everything else in the chunk (roles,
// tool call ids and names, finish reasons, usage) is kept.
func (a *Accumulator) bounded(c *Chunk) *Chunk {
	if a.MaxText <= 0 {
		return c
	}
	n := chunkText(c)
	if n == 0 {
		return c
	}
	if a.resp.TextLeftOut == 0 && a.kept+n <= a.MaxText {
		a.kept += n
		return c
	}
	a.resp.TextLeftOut += int64(n)
	cc := *c
	cc.Choices = make([]ChunkChoice, len(c.Choices))
	for i, ch := range c.Choices {
		d := &ch.Delta
		d.Content, d.Refusal, ch.Logprobs = "", "", nil
		if d.Thinking != nil {
			th := *d.Thinking
			th.Text = ""
			d.Thinking = &th
		}
		if len(d.ToolCalls) > 0 {
			calls := make([]ToolCallDelta, len(d.ToolCalls))
			for j, tc := range d.ToolCalls {
				tc.Arguments = ""
				calls[j] = tc
			}
			d.ToolCalls = calls
		}
		cc.Choices[i] = ch
	}
	return &cc
}

// chunkText is the bytes of text c adds to an answer, as MaxText counts
// them.
func chunkText(c *Chunk) int {
	n := 0
	for i := range c.Choices {
		ch := &c.Choices[i]
		d := &ch.Delta
		n += len(d.Content) + len(d.Refusal)
		for _, tc := range d.ToolCalls {
			n += len(tc.Arguments)
		}
		if d.Thinking != nil {
			n += len(d.Thinking.Text)
		}
		if lp := ch.Logprobs; lp != nil {
			for _, t := range lp.Content {
				n += len(t.Token)
			}
			for _, t := range lp.Refusal {
				n += len(t.Token)
			}
		}
	}
	return n
}
