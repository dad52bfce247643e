package llm

// bounded returns c as the accumulator keeps it under MaxText and
// MaxParts: c itself while what is kept stays within the bounds, else a
// copy without its text (content, refusal, tool call arguments, thinking,
// log probabilities; counted in TextLeftOut) or without its parts (audio,
// annotations, provider and hosted blocks, citations, thinking signatures
// and redacted reasoning; counted in PartsLeftOut), or both. Once a
// chunk's text (parts) has been left out, every later chunk's is too, so
// that what is kept is the answer's beginning. Everything else in the
// chunk (roles, tool call ids and names, finish reasons, usage) is kept.
func (a *Accumulator) bounded(c *Chunk) *Chunk {
	dropText := a.MaxText > 0 && leaveOut(chunkText(c), a.MaxText, &a.kept, &a.resp.TextLeftOut)
	dropParts := a.MaxParts > 0 && leaveOut(chunkParts(c), a.MaxParts, &a.keptParts, &a.resp.PartsLeftOut)
	if !dropText && !dropParts {
		return c
	}
	cc := *c
	cc.Choices = make([]ChunkChoice, len(c.Choices))
	for i, ch := range c.Choices {
		if dropText {
			withoutText(&ch)
		}
		if dropParts {
			withoutParts(&ch.Delta)
		}
		cc.Choices[i] = ch
	}
	return &cc
}

// leaveOut counts n more bytes against bound: in kept while they fit
// and nothing was left out before, else in leftOut, and then it reports
// true.
func leaveOut(n, bound int, kept *int, leftOut *int64) bool {
	if n == 0 {
		return false
	}
	if *leftOut == 0 && *kept+n <= bound {
		*kept += n
		return false
	}
	*leftOut += int64(n)
	return true
}

// withoutText empties ch's text, which is a copy whose pointers and
// slices are still the chunk's: those are copied before they change.
func withoutText(ch *ChunkChoice) {
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
}

// withoutParts empties d's parts, copying what it changes as
// withoutText does.
func withoutParts(d *Delta) {
	if d.Output != nil {
		d.Output = &OutputDelta{}
	}
	if d.TextBlock != nil {
		tb := *d.TextBlock
		tb.Citation = nil
		d.TextBlock = &tb
	}
	if d.Thinking != nil {
		th := *d.Thinking
		th.Signature, th.Redacted = "", ""
		d.Thinking = &th
	}
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

// chunkParts is the bytes of parts c adds to an answer, as MaxParts
// counts them: each piece as the upstream wrote it.
func chunkParts(c *Chunk) int {
	n := 0
	for i := range c.Choices {
		d := &c.Choices[i].Delta
		if od := d.Output; od != nil {
			n += len(od.Audio) + len(od.Annotations) + len(od.TextAnnotations) + blockBytes(od.Block) + blockBytes(od.Hosted)
		}
		if d.TextBlock != nil {
			n += len(d.TextBlock.Citation)
		}
		if d.Thinking != nil {
			n += len(d.Thinking.Signature) + len(d.Thinking.Redacted)
		}
	}
	return n
}

// blockBytes is the bytes of bd an accumulator keeps: the block as it
// started and whole.
func blockBytes(bd *BlockDelta) int {
	if bd == nil {
		return 0
	}
	return len(bd.Start) + len(bd.Whole)
}
