package gateway

import (
	"maps"
	"slices"
	"strings"

	"switchyard/llm"
)

// fenceStripper removes, as a stream goes by, the Markdown code fence a
// model may wrap JSON in when it was asked for JSON by an instruction
// (Claude without native structured outputs: ```json … ```), which the
// complete answers lose by stripJSONFences; a client's JSON.parse of the
// streamed text would otherwise fail. Per choice, it holds the answer's
// first characters until they show whether it opens with a fence (its
// opening line is dropped), and, inside a fence, holds back a trailing run
// of whitespace and backticks until more text comes (it was not the end)
// or the choice finishes (a closing fence there is dropped). Text that
// opens with anything else passes at once, unchanged.
type fenceStripper struct {
	choices map[int]*fenceState
	// last is the last chunk seen, its id, model and time for a chunk
	// that flushes what is held at a stream's end.
	last llm.Chunk
}

// fenceState is one choice's progress.
type fenceState struct {
	phase fencePhase
	held  string // the head being decided, or the held-back tail
}

type fencePhase int

const (
	fenceUndecided fencePhase = iota // nothing but whitespace and a partial fence seen
	fenceOpen                        // inside a fence: its tail is held back
	fencePass                        // no fence: everything passes
)

// maxFenceLine is the longest opening line ("```json") still taken for a
// fence; a longer run without a newline is text.
const maxFenceLine = 3 + 16

// wantsJSON reports a request whose answer the client parses as JSON.
func wantsJSON(req *llm.Request) bool {
	rf := req.ResponseFormat
	return rf != nil && (rf.Type == llm.FormatJSONObject || rf.Type == llm.FormatJSONSchema)
}

// chunk rewrites the content deltas of c in place.
func (f *fenceStripper) chunk(c *llm.Chunk) {
	f.last = llm.Chunk{ID: c.ID, Model: c.Model, Created: c.Created, SystemFingerprint: c.SystemFingerprint, ServiceTier: c.ServiceTier}
	for i := range c.Choices {
		ch := &c.Choices[i]
		st := f.state(ch.Index)
		ch.Delta.Content = st.feed(ch.Delta.Content)
		if ch.FinishReason != "" {
			ch.Delta.Content += st.finish()
		}
	}
}

// flush returns a chunk with what the choices still hold, as at their
// end, or nil when they hold nothing: a stream that ends without a finish
// reason loses nothing.
func (f *fenceStripper) flush() *llm.Chunk {
	var out *llm.Chunk
	for _, i := range slices.Sorted(maps.Keys(f.choices)) {
		if s := f.choices[i].finish(); s != "" {
			if out == nil {
				c := f.last
				out = &c
			}
			out.Choices = append(out.Choices, llm.ChunkChoice{Index: i, Delta: llm.Delta{Content: s}})
		}
	}
	return out
}

func (f *fenceStripper) state(i int) *fenceState {
	if f.choices == nil {
		f.choices = map[int]*fenceState{}
	}
	st := f.choices[i]
	if st == nil {
		st = &fenceState{}
		f.choices[i] = st
	}
	return st
}

// feed takes the next text of the choice and returns what may go out now.
func (st *fenceState) feed(s string) string {
	switch st.phase {
	case fencePass:
		return s
	case fenceOpen:
		return st.tail(s)
	}
	st.held += s
	head := strings.TrimLeft(st.held, " \t\r\n")
	switch {
	case head == "":
		return ""
	case !strings.HasPrefix("```", head[:min(len(head), 3)]):
		st.phase = fencePass
	case len(head) < 3:
		return "" // one or two backticks: wait
	default:
		nl := strings.IndexByte(head, '\n')
		if nl < 0 && len(head) <= maxFenceLine {
			return ""
		}
		if nl < 0 || strings.ContainsAny(strings.TrimSpace(head[3:nl]), " `{[\"") {
			st.phase = fencePass // a long first line, or one with content: no fence
			break
		}
		st.phase, st.held = fenceOpen, ""
		return st.tail(head[nl+1:])
	}
	out := st.held
	st.held = ""
	return out
}

// tail returns the held text and s but for their trailing run of
// whitespace and backticks, which it holds back.
func (st *fenceState) tail(s string) string {
	t := st.held + s
	keep := len(strings.TrimRight(t, " \t\r\n`"))
	st.held = t[keep:]
	return t[:keep]
}

// finish returns what the choice still holds at its end: the held tail
// but for a closing fence, or an undecided head as it was.
func (st *fenceState) finish() string {
	out := st.held
	st.held = ""
	if st.phase == fenceOpen && strings.TrimSpace(out) == "```" {
		return ""
	}
	st.phase = fencePass
	return out
}
