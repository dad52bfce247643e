// Package quality computes the answer-quality signals of a chat request
// (store.Signals) off the hot path: format adherence when JSON, a JSON
// schema or tools were asked for (validated with a JSON Schema validator),
// tool calls with bad names or arguments, refusals, content-policy stops,
// truncation, empty answers, and the answer's length against the
// deployment's usual length for the category. Sink runs it on the
// recorder's goroutine, stores the signals in each record and exports them
// as Prometheus counters per routing path.
package quality

import (
	"strings"
	"unicode/utf8"

	"switchyard/llm"
	"switchyard/store"
)

// Checker computes quality signals. It caches compiled JSON schemas (by
// their bytes' SHA-256, at most a bounded number of them) so that a route
// that sends the same schema on every request compiles it once. The zero
// value is ready to use; a Checker is safe for concurrent use and must not
// be copied after first use.
type Checker struct {
	schemas schemaCache
}

var defaultChecker Checker

// Check is Checker.Check on a Checker shared by the package.
func Check(req *llm.Request, ans *llm.Response, fail *llm.Error) store.Signals {
	return defaultChecker.Check(req, ans, fail)
}

// Check returns the quality signals of ans, the answer the client got to
// req, for a request that failed with fail (nil when it succeeded; only its
// Code is read). req and ans may be nil (not kept, or no answer): the
// signals are then those the other arguments tell. Check only reads its
// arguments. The signals describe the first choice (Choices[0]), the one
// clients read; other choices are ignored.
//
//   - ContentFilter: the choice stopped with finish reason content_filter,
//     or fail's code is llm.CodeContentFilter (the upstream refused the
//     request or the answer under its content policy).
//   - Truncated: the choice stopped with finish reason length.
//   - Refusal: the message carries a refusal (the provider's refusal
//     field), or its text opens with a refusal (IsRefusal).
//   - Empty: the request succeeded but the choice has no text (whitespace
//     only counts as none), no tool call and no refusal, and was not
//     stopped by a content filter; a response without choices is empty
//     too. A truncated answer with no text is both Truncated and Empty.
//   - AnswerChars: the number of characters (runes) of the choice's text,
//     not counting the refusal field or tool calls; for a streamed answer
//     kept only in part (ans.TextLeftOut), plus the bytes left out.
//   - FormatChecked, FormatOK, InvalidToolCalls: see checkFormat. They are
//     computed only for a request that succeeded, with req known, and an
//     answer that is neither a refusal nor stopped by a content filter
//     (those are counted as such, not as format failures), and kept whole.
//
// LengthRatio is left zero: it needs history (see Lengths).
func (c *Checker) Check(req *llm.Request, ans *llm.Response, fail *llm.Error) store.Signals {
	var s store.Signals
	if fail != nil && fail.Code == llm.CodeContentFilter {
		s.ContentFilter = true
	}
	if ans == nil {
		return s
	}
	if len(ans.Choices) == 0 {
		s.Empty = fail == nil && !s.ContentFilter
		return s
	}
	ch := &ans.Choices[0]
	msg := &ch.Message
	text := msg.Text()
	if text == "" { // a spoken answer's text is its audio's transcript
		text = msg.AudioTranscript()
	}
	calls := msg.ToolCalls()
	s.AnswerChars = utf8.RuneCountInString(text) + int(ans.TextLeftOut)
	switch ch.FinishReason {
	case llm.FinishLength:
		s.Truncated = true
	case llm.FinishContentFilter:
		s.ContentFilter = true
	}
	s.Refusal = strings.TrimSpace(msg.Refusal()) != "" || IsRefusal(text)
	noText := strings.TrimSpace(text) == ""
	s.Empty = fail == nil && !s.ContentFilter && !s.Refusal && noText && len(calls) == 0
	if fail == nil && req != nil && !s.Refusal && !s.ContentFilter && ans.TextLeftOut == 0 {
		c.checkFormat(&s, req, text, calls)
	}
	return s
}
