package server

import (
	"errors"

	"switchyard/api/openai/batch"
	"switchyard/llm"
	wireanthropic "switchyard/wire/anthropic"
	"switchyard/wire/completions"
	wireopenai "switchyard/wire/openai"
)

// This file decodes the lines of a batch the forwarder may send to a
// provider's batch API, as the API handler of each endpoint decodes them.

// lineRequest is a batch line's body decoded as the API handler of its
// endpoint decodes it: a chat request (/v1/chat/completions,
// /v1/messages; /v1/completions, whose legacy request completion is
// then), or an embeddings request (/v1/embeddings).
type lineRequest struct {
	chat       *llm.Request
	completion *completions.Request
	embed      *llm.EmbeddingRequest
}

// decodeLine decodes a line's body sent to endpoint; false for a body
// that does not decode, a streamed one, or an endpoint whose lines are
// never forwarded.
func decodeLine(endpoint string, body []byte) (lineRequest, bool) {
	var (
		req lineRequest
		err error
	)
	switch endpoint {
	case "/v1/chat/completions":
		if req.chat, err = decodeChatLine(body); err != nil {
			return req, false
		}
	case batch.MessagesEndpoint:
		req.chat, err = wireanthropic.DecodeRequest(body)
	case completionsEndpoint:
		if req.completion, err = completions.DecodeRequest(body); err == nil {
			req.chat = req.completion.Chat
		}
	case "/v1/embeddings":
		req.embed, err = wireopenai.DecodeEmbeddingRequest(body)
		return req, err == nil
	default:
		return req, false
	}
	return req, err == nil && !req.chat.Stream
}

// errStoredLine is decodeChatLine's refusal of a line with store true.
var errStoredLine = errors.New("batches: a completion the router stores runs on the router")

// decodeChatLine decodes a Chat Completions line as the API handler
// does: reasoning_content shown (ShowsReasoningText) unless the line's
// reasoning object excludes it, and store taken out
// (wireopenai.TakeStore: never asked of an upstream). A line with store
// true is refused (errStoredLine), as is one whose store is invalid: the
// router runs them, keeping the completion as a live one is kept, or
// answering the handler's error.
func decodeChatLine(body []byte) (*llm.Request, error) {
	req, err := wireopenai.DecodeChatRequestOwned(body)
	if err != nil {
		return nil, err
	}
	req.ShowsReasoningText = !req.HideReasoning // reasoning_content, as DeepSeek writes it, unless excluded
	storing, _, err := wireopenai.TakeStore(req)
	if err == nil && storing {
		err = errStoredLine
	}
	return req, err
}
