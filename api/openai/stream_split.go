package openai

import "switchyard/llm"

// OpenAI streams one piece of an answer per chunk: the text (with the
// role on the first chunk), then each tool call in chunks of its own, then
// the finish_reason in a chunk whose delta is empty. The SDKs' stream
// helpers rely on it: openai-go's ChatCompletionAccumulator reports text
// or a tool call finished (JustFinishedContent, JustFinishedToolCall) when
// the next chunk moves on from it, and npm openai's stream emits
// tool_calls.function.arguments.done when a later chunk starts another
// call or finishes. Other upstreams put more in one chunk — Gemini sends a
// whole function call, or the last text, with its finishReason, and
// several calls in one part list — and relayed as they came, those pieces
// would never be reported finished. splitPieces cuts such a chunk into
// OpenAI's pieces.

// needsSplit reports whether ch holds more than OpenAI puts in one chunk:
// several tool calls, text beside a call, or a finish beside a delta.
func needsSplit(ch *llm.ChunkChoice) bool {
	d := &ch.Delta
	text := d.Content != "" || d.Refusal != "" || d.Thinking != nil
	switch calls := len(d.ToolCalls); {
	case calls > 1, calls == 1 && text:
		return true
	case ch.FinishReason != "":
		return text || calls > 0 || d.Role != ""
	}
	return false
}

// splitPieces returns c cut into OpenAI's pieces, appended to dst, or
// dst unchanged when no choice of c needs it (the usual case: nothing is
// allocated). Each piece has one choice: its text, refusal and logprobs
// first (with the role), then each tool call alone (the first with the
// role when there is no text), then its finish with an empty delta. The
// usage and Resumed of c go on the last piece, which is the closing one.
// c is not modified.
func splitPieces(dst []llm.Chunk, c *llm.Chunk) []llm.Chunk {
	split := false
	for i := range c.Choices {
		split = split || needsSplit(&c.Choices[i])
	}
	if !split {
		return dst
	}
	piece := func(ch llm.ChunkChoice) {
		p := *c
		p.Choices, p.Usage, p.Resumed = []llm.ChunkChoice{ch}, nil, nil
		dst = append(dst, p)
	}
	for _, ch := range c.Choices {
		d, n := ch.Delta, len(dst)
		role := d.Role // on the text's piece, else on the first call's, as OpenAI sends it
		if d.Content != "" || d.Refusal != "" || d.Thinking != nil || ch.Logprobs != nil || role != "" && len(d.ToolCalls) == 0 {
			head := ch
			head.Delta.ToolCalls, head.FinishReason, head.Stop = nil, "", nil
			if r := ch.Refusal(); r != nil {
				head.Stop = &llm.FinishDetails{Refusal: r}
			}
			piece(head)
			role = ""
		}
		for i := range d.ToolCalls {
			piece(llm.ChunkChoice{Index: ch.Index, Delta: llm.Delta{Role: role, ToolCalls: d.ToolCalls[i : i+1]}})
			role = ""
		}
		if ch.FinishReason != "" || len(dst) == n { // an empty choice stays
			fin := llm.ChunkChoice{Index: ch.Index, FinishReason: ch.FinishReason}
			if seq := ch.StopSequence(); seq != "" {
				fin.Stop = &llm.FinishDetails{StopSequence: seq}
			}
			piece(fin)
		}
	}
	last := &dst[len(dst)-1]
	last.Usage, last.Resumed = c.Usage, c.Resumed
	return dst
}
