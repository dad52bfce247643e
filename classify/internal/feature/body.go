package feature

import "strings"

// The body of a prompt is the material pasted between its instructions: a
// passage after "Summarize this:", a review after a task definition, a
// log before "Why does this fail?". Its words are features of their own
// (namespace nsBody), so that what the human asks is learned from the
// instructions' words and a passage's topic weighs only as a passage.
//
// Paragraphs are separated by a blank line, or, in a text without one (a
// pasted log, a list of lines), by a line break. The first paragraph is an
// instruction unless it is long and the last one is short (a document,
// then the question); the last paragraph is an instruction when it is
// short; every paragraph in between is body. A prompt of one paragraph has
// no body.
const (
	// bodyWeight scales the body's feature vector (unit length otherwise,
	// like every namespace's): a prior that a passage says less about the
	// request than its instructions.
	bodyWeight     = 0.5
	shortParagraph = 320  // bytes: a last paragraph this short is an instruction
	longParagraph  = 1200 // bytes: a first paragraph this long, before a short last one, is body
)

// span is a byte range [start, end) of a text; start == end is empty.
type span struct{ start, end int }

// bodyOf returns the body of s: the bytes from the end of its first
// instruction paragraph to the start of its last one, or an empty span.
func bodyOf(s string) span {
	sep := "\n\n"
	first := strings.Index(s, sep)
	if first < 0 {
		sep = "\n"
		if first = strings.IndexByte(s, '\n'); first < 0 {
			return span{}
		}
	}
	last := strings.LastIndex(s, sep) + len(sep)
	lastLen := len(strings.TrimSpace(s[last:]))
	start := first
	if first >= longParagraph && lastLen <= shortParagraph {
		start = 0
	}
	end := last
	if lastLen > shortParagraph || lastLen == 0 {
		end = len(s)
	}
	if end <= start || strings.TrimSpace(s[start:end]) == "" {
		return span{}
	}
	return span{start, end}
}
