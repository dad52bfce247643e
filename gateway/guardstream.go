package gateway

import (
	"slices"

	"switchyard/guard/sanitize"
	"switchyard/llm"
	"switchyard/record"
)

// answerGuard sanitizes a streamed answer as it goes, choice by choice:
// each chunk's content passes through its choice's sanitize.Stream, which
// holds back only what could still become a link (and, when leaks are
// cut, the word being written) and hands it on with a later chunk.
type answerGuard struct {
	san    *sanitize.Sanitizer
	system string
	// open holds each choice's stream until its finish reason comes.
	open map[int]*sanitize.Stream
	done map[int]bool
	f    sanitize.Findings
	cut  bool
	// last is the last chunk seen, whose identity a closing chunk copies.
	last llm.Chunk
}

// newAnswerGuard returns the guard of req's streamed answer under p, or
// nil when it would do nothing.
func newAnswerGuard(p *guardPolicy, req *llm.Request) *answerGuard {
	san := p.sanitizer(req)
	if san == nil {
		return nil
	}
	a := &answerGuard{san: san, open: map[int]*sanitize.Stream{}, done: map[int]bool{}}
	if p.leak {
		a.system = systemText(req)
	}
	return a
}

// apply sanitizes c's choices in place; it reports whether the answer was
// cut at a leak (c then carries finish_reason content_filter and must be
// the stream's last).
func (a *answerGuard) apply(c *llm.Chunk) bool {
	a.last = llm.Chunk{ID: c.ID, Model: c.Model, Created: c.Created, SystemFingerprint: c.SystemFingerprint}
	for i := range c.Choices {
		cc := &c.Choices[i]
		if a.done[cc.Index] {
			continue
		}
		st := a.open[cc.Index]
		if st == nil {
			st = a.san.NewStream(a.system)
			a.open[cc.Index] = st
		}
		out := st.Write(cc.Delta.Content)
		if cc.FinishReason != "" {
			out += st.Close()
			a.finish(cc.Index, st)
		}
		cc.Delta.Content = out
		if st.Cut() {
			cc.FinishReason = llm.FinishContentFilter
			a.finish(cc.Index, st)
			a.cut = true
			return true
		}
	}
	return false
}

func (a *answerGuard) finish(i int, st *sanitize.Stream) {
	if a.done[i] {
		return
	}
	a.done[i] = true
	delete(a.open, i)
	f := st.Findings()
	a.f.Links += f.Links
	a.f.Images += f.Images
	a.f.Leak = a.f.Leak || f.Leak
}

// flush ends the choices whose stream ended without a finish reason; it
// returns a chunk with the text they still held, or nil.
func (a *answerGuard) flush() *llm.Chunk {
	if len(a.open) == 0 {
		return nil
	}
	c := a.last
	idx := make([]int, 0, len(a.open))
	for i := range a.open {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	for _, i := range idx {
		st := a.open[i]
		if tail := st.Close(); tail != "" {
			c.Choices = append(c.Choices, llm.ChunkChoice{Index: i, Delta: llm.Delta{Content: tail}})
		}
		a.finish(i, st)
	}
	if len(c.Choices) == 0 {
		return nil
	}
	return &c
}

// note records what the sanitizer changed.
func (a *answerGuard) note(rec *record.Record) {
	for i, st := range a.open { // a stream cut or closed early
		a.finish(i, st)
	}
	noteOutput(rec, a.f, a.cut)
}
