package anthropic

import (
	"bytes"
	"unicode/utf8"

	"switchyard/llm"
)

// fastTextDelta reads the event nearly every streamed Claude answer is
// made of, a text delta, in the exact shape Anthropic sends it:
//
//	{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":S}}
//
// with no whitespace, N a decimal of at most nine digits without a
// leading zero, and S a string that needs no unescaping (no backslash,
// no control character) and is valid UTF-8. It reports false for
// anything else, which the general decoder then reads; for what it
// accepts it returns the index and text the general decoder reads
// (FuzzFastTextDelta checks that). It allocates only the text.
func fastTextDelta(data []byte) (index int, text string, ok bool) {
	const head, mid, tail = `{"type":"content_block_delta","index":`, `,"delta":{"type":"text_delta","text":"`, `"}}`
	rest, ok := bytes.CutPrefix(data, []byte(head))
	if !ok {
		return 0, "", false
	}
	n := 0
	for n < len(rest) && n < 10 && rest[n] >= '0' && rest[n] <= '9' {
		index = index*10 + int(rest[n]-'0')
		n++
	}
	if n == 0 || n > 9 || n > 1 && rest[0] == '0' {
		return 0, "", false
	}
	if rest, ok = bytes.CutPrefix(rest[n:], []byte(mid)); !ok {
		return 0, "", false
	}
	s, ok := bytes.CutSuffix(rest, []byte(tail))
	if !ok {
		return 0, "", false
	}
	for _, c := range s {
		if c == '"' || c == '\\' || c < 0x20 {
			return 0, "", false
		}
	}
	if !utf8.Valid(s) {
		return 0, "", false
	}
	return index, string(s), true
}

// fastText translates a text delta that fastTextDelta reads, of a block
// that was started, as the general path does (blockDelta): a chunk of its
// text, none for an empty one. It reports false for any other event,
// which the general path then reads (and reports malformed, if it is).
func (t *StreamTranslator) fastText(data []byte) ([]*llm.Chunk, bool) {
	if !t.started {
		return nil, false
	}
	index, text, ok := fastTextDelta(data)
	if !ok {
		return nil, false
	}
	if _, started := t.blocks[index]; !started {
		return nil, false
	}
	if text == "" {
		return nil, true
	}
	return []*llm.Chunk{t.chunk(llm.Delta{Content: text}, "")}, true
}
