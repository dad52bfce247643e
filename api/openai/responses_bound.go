package openai

import (
	"fmt"

	"switchyard/dispatch"
	"switchyard/llm"
)

// CodeAnswerTooLarge is the error code of a streamed Responses answer
// that passed the router's limit on an answer (Handler.MaxAnswerBytes),
// as of a complete one (llm.CodeAnswerTooLarge).
const CodeAnswerTooLarge = llm.CodeAnswerTooLarge

// maxAnswerBytes is Handler.MaxAnswerBytes, or its default.
func (h *Handler) maxAnswerBytes() int {
	if h.MaxAnswerBytes > 0 {
		return h.MaxAnswerBytes
	}
	return dispatch.DefaultMaxAnswerBytes
}

// answerTooLarge is the error a streamed Responses answer ends with when
// it passed max bytes: the Responses API's last event carries the whole
// answer, so the router keeps it all, and bounds it as it bounds a
// complete one. A 502, as the upstream's answer was too large.
func answerTooLarge(served *llm.Served, max int) *llm.Error {
	from := "the upstream"
	if served.Provider != "" {
		from = "upstream " + served.Provider
	}
	return &llm.Error{
		Kind: llm.KindUpstream, Code: CodeAnswerTooLarge, Provider: served.Provider,
		Message: fmt.Sprintf("%s sent an answer larger than the router's limit of %d bytes for a response (the final event carries the whole answer, so the router keeps it); the stream was ended there, after the events already sent. Lower max_output_tokens, or use /v1/chat/completions to stream longer answers", from, max),
	}
}
