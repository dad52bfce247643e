package openai

import (
	"switchyard/llm"
	"switchyard/sim"
)

// This file tracks where a simulated Responses stream stands, for the
// faults that strike after a given piece (responses.go's afterEvent).

// faultPoint is where a stream stands for its faults: after the events
// of chunk i, which sent the sent-th of its pieces pieces of content
// (piece reports that chunk i was one: a reasoning chunk, a hosted
// tool's, a tool call's are not).
type faultPoint struct {
	i, sent, pieces int
	piece           bool
	// tokens counts the tokens of the pieces sent; usage is the whole
	// answer's (nil: none), whose prompt a failure's usage so far keeps.
	tokens int
	usage  *llm.Usage
}

// next moves p to chunk i, ch.
func (p *faultPoint) next(i int, ch *llm.Chunk) {
	p.i, p.piece = i, isPiece(ch)
	if p.piece {
		p.sent++
		p.tokens += sim.CountTokens(ch.Choices[0].Delta.Content)
	}
}

// usageSoFar is the usage of what the answer did until p: its whole
// prompt, its reasoning, and the tokens of the pieces sent; nil when the
// answer has no usage.
func (p *faultPoint) usageSoFar() *llm.Usage {
	if p.usage == nil {
		return nil
	}
	u := *p.usage
	u.CompletionTokens = u.ReasoningTokens + p.tokens
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	return &u
}

// after reports whether the n-th piece was just sent (n 0: the first
// chunk's events).
func (p *faultPoint) after(n int) bool {
	if n == 0 {
		return p.i == 0
	}
	return p.piece && p.sent == n
}

// isPiece reports a chunk of content text.
func isPiece(ch *llm.Chunk) bool { return len(ch.Choices) == 1 && ch.Choices[0].Delta.Content != "" }

// countPieces is how many chunks are pieces of content.
func countPieces(chunks []*llm.Chunk) int {
	n := 0
	for _, ch := range chunks {
		if isPiece(ch) {
			n++
		}
	}
	return n
}
