package completions

import (
	"unicode/utf8"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// Stream encodes a streamed completion's events: each chunk of the chat
// stream that answers it as a text_completion object with the choices'
// new text. It keeps what spans chunks: whether each choice has started
// (echo puts the prompt before its first text) and where its next token
// starts (text_offset). Not safe for concurrent use.
type Stream struct {
	req  *Request
	meta Meta
	// started and offsets are per choice index.
	started []bool
	offsets []int
}

// NewStream returns the encoder of req's stream, its objects named by m.
func NewStream(req *Request, m Meta) *Stream { return &Stream{req: req, meta: m} }

// AppendChunk appends c's object (the JSON, no event framing) and reports
// whether it wrote one: a chunk with nothing the API shows — a role, an
// empty delta, thinking — writes none. A usage-only chunk writes none
// either: AppendUsage writes it.
func (s *Stream) AppendChunk(dst []byte, c *llm.Chunk) ([]byte, bool) {
	if c.Model != "" {
		s.meta.Model = c.Model // the model that answers, as OpenAI names it
	}
	if !s.shows(c) {
		return dst, false
	}
	dst = appendHead(dst, &s.meta)
	n := 0
	for i := range c.Choices {
		ch := &c.Choices[i]
		text := ch.Delta.Content + ch.Delta.Refusal
		if badIndex(ch.Index) || text == "" && ch.FinishReason == "" && ch.Logprobs == nil {
			continue
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		n++
		first := s.start(ch.Index)
		if first && s.req.Echo {
			text = s.req.Prompt + text
		}
		off := s.offsets[ch.Index]
		dst = appendChoice(dst, ch.Index, text, finish(ch.FinishReason), s.req, ch.Logprobs, off)
		if ch.Logprobs != nil {
			for _, t := range ch.Logprobs.Content {
				off += utf8.RuneCountInString(t.Token)
			}
		}
		s.offsets[ch.Index] = off
	}
	return append(dst, "]}"...), true
}

// shows reports whether c has a choice with text, a finish or logprobs.
func (s *Stream) shows(c *llm.Chunk) bool {
	for i := range c.Choices {
		ch := &c.Choices[i]
		if badIndex(ch.Index) {
			continue
		}
		if ch.Delta.Content != "" || ch.Delta.Refusal != "" || ch.FinishReason != "" || ch.Logprobs != nil {
			return true
		}
	}
	return false
}

// badIndex reports a choice index no request can ask for (n is at most
// 128): an upstream's garbage, not shown.
func badIndex(i int) bool { return i < 0 || i >= 128 }

// start marks choice i started and reports whether it just was; the
// first start also sets its text_offset to after the prompt.
func (s *Stream) start(i int) bool {
	for len(s.started) <= i {
		s.started = append(s.started, false)
		s.offsets = append(s.offsets, 0)
	}
	if s.started[i] {
		return false
	}
	s.started[i] = true
	s.offsets[i] = utf8.RuneCountInString(s.req.Prompt)
	return true
}

// AppendUsage appends the stream's last object: no choices, the usage u
// with cost (when not empty).
func (s *Stream) AppendUsage(dst []byte, u *llm.Usage, cost string) []byte {
	dst = appendHead(dst, &s.meta)
	dst = append(dst, `],"usage":`...)
	dst = wire.AppendUsage(dst, u, cost)
	return append(dst, '}')
}
