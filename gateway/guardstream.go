package gateway

import (
	"maps"
	"slices"

	"switchyard/guard/sanitize"
	"switchyard/llm"
	"switchyard/record"
)

// answerGuard sanitizes a streamed answer as it goes, choice by choice:
// each chunk's content passes through its choice's sanitize.Stream, which
// holds back only what could still become a link (and, when leaks are
// cut, the word being written) and hands it on with a later chunk; each
// tool call's arguments pass through a sanitize.Args, which holds a JSON
// string until it closes.
type answerGuard struct {
	// san sanitizes the text (nil: it passes), args the tool calls'
	// arguments (nil: they pass).
	san, args *sanitize.Sanitizer
	system    string
	// open holds each choice's text stream, and calls each choice's tool
	// calls' arguments by tool call index, until its finish reason comes.
	open  map[int]*sanitize.Stream
	calls map[int]map[int]*sanitize.Args
	done  map[int]bool
	f     sanitize.Findings
	cut   bool
	// last is the last chunk seen, whose identity a closing chunk copies.
	last llm.Chunk
}

// newAnswerGuard returns the guard of req's streamed answer under p, or
// nil when it would do nothing.
func newAnswerGuard(p *guardPolicy, req *llm.Request) *answerGuard {
	san := p.sanitizer(req)
	if san == nil && p.output == nil {
		return nil
	}
	a := &answerGuard{san: san, args: p.output, open: map[int]*sanitize.Stream{}, calls: map[int]map[int]*sanitize.Args{},
		done: map[int]bool{}}
	if p.leak {
		a.system = systemText(req)
	}
	return a
}

// apply sanitizes c's choices in place; it reports whether the answer was
// cut at a leak (c then carries finish_reason content_filter, no logprobs,
// and must be the stream's last).
func (a *answerGuard) apply(c *llm.Chunk) bool {
	a.last = llm.Chunk{ID: c.ID, Model: c.Model, Created: c.Created, SystemFingerprint: c.SystemFingerprint, ServiceTier: c.ServiceTier}
	for i := range c.Choices {
		cc := &c.Choices[i]
		if a.done[cc.Index] {
			continue
		}
		cut := a.text(cc)
		if cut {
			cc.Delta.ToolCalls = nil // the answer ends at the leak
		} else {
			cut = a.toolCalls(cc)
		}
		if !cut && cc.FinishReason != "" {
			cut = a.finish(cc.Index, &cc.Delta)
		}
		if cut {
			cc.FinishReason = llm.FinishContentFilter
			cc.Logprobs = nil // they spell the tokens that were cut
			a.finish(cc.Index, nil)
			a.cut = true
			return true
		}
	}
	return false
}

// text passes cc's content through its choice's stream; it reports a cut.
func (a *answerGuard) text(cc *llm.ChunkChoice) bool {
	if a.san == nil {
		return false
	}
	st := a.open[cc.Index]
	if st == nil {
		st = a.san.NewStream(a.system)
		a.open[cc.Index] = st
	}
	cc.Delta.Content = st.Write(cc.Delta.Content)
	return st.Cut()
}

// toolCalls passes cc's tool call deltas through their arguments'
// sanitizers; it reports a cut (the deltas then end at the one cut).
func (a *answerGuard) toolCalls(cc *llm.ChunkChoice) bool {
	if a.args == nil || len(cc.Delta.ToolCalls) == 0 {
		return false
	}
	calls := a.calls[cc.Index]
	if calls == nil {
		calls = map[int]*sanitize.Args{}
		a.calls[cc.Index] = calls
	}
	for k := range cc.Delta.ToolCalls {
		d := &cc.Delta.ToolCalls[k]
		args, ok := calls[d.Index]
		if !ok {
			args = a.args.NewArgs(a.system)
			calls[d.Index] = args
		}
		d.Arguments = args.Write(d.Arguments)
		if args.Cut() {
			cc.Delta.ToolCalls = cc.Delta.ToolCalls[:k+1]
			return true
		}
	}
	return false
}

// finish ends choice i: the text its stream still held and its tool
// calls' open arguments go into d (nil: they are dropped, the answer was
// cut), and what they found is noted. It reports a cut at a leak in the
// arguments' last string.
func (a *answerGuard) finish(i int, d *llm.Delta) bool {
	if a.done[i] {
		return false
	}
	a.done[i] = true
	cut := false
	if st := a.open[i]; st != nil {
		if tail := st.Close(); d != nil {
			d.Content += tail
		}
		addFindings(&a.f, st.Findings())
		delete(a.open, i)
	}
	calls := a.calls[i]
	for _, idx := range slices.Sorted(maps.Keys(calls)) {
		args := calls[idx]
		if tail := args.Close(); d != nil && tail != "" && !cut {
			d.ToolCalls = append(d.ToolCalls, llm.ToolCallDelta{Index: idx, Arguments: tail})
		}
		cut = cut || args.Cut()
		addFindings(&a.f, args.Findings())
	}
	delete(a.calls, i)
	return cut
}

// flush ends the choices whose stream ended without a finish reason; it
// returns a chunk with the text and arguments they still held, or nil.
func (a *answerGuard) flush() *llm.Chunk {
	idx := slices.Sorted(maps.Keys(a.open))
	for i := range a.calls {
		if !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	if len(idx) == 0 {
		return nil
	}
	c := a.last
	for _, i := range idx {
		var d llm.Delta
		if a.finish(i, &d) {
			a.cut = true
			c.Choices = append(c.Choices, llm.ChunkChoice{Index: i, Delta: d, FinishReason: llm.FinishContentFilter})
			continue
		}
		if d.Content != "" || len(d.ToolCalls) > 0 {
			c.Choices = append(c.Choices, llm.ChunkChoice{Index: i, Delta: d})
		}
	}
	if len(c.Choices) == 0 {
		return nil
	}
	return &c
}

// note records what the sanitizer changed.
func (a *answerGuard) note(rec *record.Record) {
	for _, i := range slices.Sorted(maps.Keys(a.open)) { // a stream cut or closed early
		a.finish(i, nil)
	}
	for i := range a.calls {
		a.finish(i, nil)
	}
	noteOutput(rec, a.f, a.cut)
}
