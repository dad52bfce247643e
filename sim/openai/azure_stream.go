package openai

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
)

// asyncFilterDirective asks the Azure simulator to stream as a
// deployment whose content filter runs as the Asynchronous Filter.
const asyncFilterDirective = "[[sim:async_filter]]"

// asyncFilterAsked reports whether prompt asks for the Asynchronous
// Filter, and returns it without that directive (so another directive
// in it still picks the fault).
func asyncFilterAsked(prompt string) (string, bool) {
	if !strings.Contains(prompt, asyncFilterDirective) {
		return prompt, false
	}
	return strings.Replace(prompt, asyncFilterDirective, "", 1), true
}

// azureStream writes the chunks of an Azure stream with its content
// filter's annotations, as Azure OpenAI's "Content streaming"
// documentation shows them. By default the filter runs on the buffered
// output before it is sent, and each choice of a chunk carries its
// results first: content_filter_results {} with the role and the
// finish, the output's categories with a piece of the answer, a
// filtered category where the filter cut it. Under the Asynchronous
// Filter the chunks go out unannotated and the results follow in
// annotation chunks of their own (empty id, object and model, created
// 0, a choice with no delta): content_filter_results and
// content_filter_offsets, the text they cover counted in characters
// from the start of the prompt (start_offset where the answer begins,
// end_offset where it ends so far, check_offset how far it is fully
// checked). One comes before each choice's finish chunk, checked to the
// answer's start, and one after it, checked to its end; a choice the
// filter cut ends with an annotation whose finish_reason is
// content_filter, in place of its finish chunk.
type azureStream struct {
	async bool
	start int   // where the answer's text begins
	sent  []int // per choice, the characters of text sent
	buf   []byte
}

func newAzureStream(t *turn) *azureStream {
	return &azureStream{async: t.asyncFilter, start: utf8.RuneCountInString(t.ask.System + t.ask.Prompt), sent: make([]int, t.n)}
}

// write writes ch as Azure sends it; it reports whether the client is
// still there.
func (a *azureStream) write(sw *sseWriter, ch *llm.Chunk) bool {
	if len(ch.Choices) != 1 {
		return sw.chunk(ch) // the usage chunk: no choices to annotate
	}
	c := ch.Choices[0]
	if !a.async {
		return sw.raw(withChoiceResults(sw.render(ch), choiceResults(c)))
	}
	if c.Index >= 0 && c.Index < len(a.sent) {
		a.sent[c.Index] += utf8.RuneCountInString(c.Delta.Content) + utf8.RuneCountInString(c.Delta.Refusal)
	}
	switch {
	case c.FinishReason == "content_filter":
		return a.annotation(sw, c.Index, "content_filter", true)
	case c.FinishReason != "":
		return a.annotation(sw, c.Index, "", false) && sw.chunk(ch) && a.annotation(sw, c.Index, "", true)
	}
	return sw.chunk(ch)
}

// choiceResults are the content_filter_results of a choice's chunk
// under the default filter.
func choiceResults(c llm.ChunkChoice) string {
	switch {
	case c.FinishReason == "content_filter":
		return azureFilteredResults
	case c.Delta.Content != "" || c.Delta.Refusal != "" || len(c.Delta.ToolCalls) > 0:
		return azureOutputResults
	}
	return `{}`
}

// withChoiceResults puts content_filter_results first in the one choice
// of the encoded chunk b.
func withChoiceResults(b []byte, results string) []byte {
	const at = `"choices":[{`
	i := bytes.Index(b, []byte(at))
	if i < 0 {
		return b
	}
	i += len(at)
	out := make([]byte, 0, len(b)+len(results)+26)
	out = append(out, b[:i]...)
	out = append(out, `"content_filter_results":`...)
	out = append(out, results...)
	if b[i] != '}' {
		out = append(out, ',')
	}
	return append(out, b[i:]...)
}

// annotation writes an Asynchronous Filter annotation chunk for choice
// index: its finish_reason (null for ""), checked to the end of the text
// sent when checked, else to its start.
func (a *azureStream) annotation(sw *sseWriter, index int, finish string, checked bool) bool {
	end := a.start
	if index >= 0 && index < len(a.sent) {
		end += a.sent[index]
	}
	check := a.start
	if checked {
		check = end
	}
	results := azureOutputResults
	b := append(a.buf[:0], `{"id":"","object":"","created":0,"model":"","choices":[{"index":`...)
	b = strconv.AppendInt(b, int64(index), 10)
	if finish == "" {
		b = append(b, `,"finish_reason":null`...)
	} else {
		b = append(b, `,"finish_reason":"`+finish+`"`...)
		results = azureFilteredResults
	}
	b = append(b, `,"content_filter_results":`+results+`,"content_filter_offsets":{"check_offset":`...)
	b = strconv.AppendInt(b, int64(check), 10)
	b = append(b, `,"start_offset":`...)
	b = strconv.AppendInt(b, int64(a.start), 10)
	b = append(b, `,"end_offset":`...)
	b = strconv.AppendInt(b, int64(end), 10)
	b = append(b, "}}]"...)
	if sw.nullUsage {
		b = append(b, `,"usage":null`...)
	}
	a.buf = append(b, '}')
	return sw.raw(a.buf)
}
