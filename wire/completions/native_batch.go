package completions

import (
	"encoding/json"
	"fmt"

	"switchyard/llm"
)

// This file is the native side of a legacy completion sent in a
// provider batch (OpenAI's Batch API takes /v1/completions lines, and
// answers them whole): the body not streamed, the text_completion object
// read back as a response.

// EncodeUpstreamBatch returns the body of req's native call in a
// provider batch: EncodeUpstream's, not streamed (a batch's lines
// cannot be).
func EncodeUpstreamBatch(req *llm.Request) ([]byte, error) {
	return encodeUpstream(req, false)
}

// DecodeUpstreamResponse reads a completions endpoint's whole answer (a
// text_completion object) as a response: each choice's text as its
// message, its finish reason and log probabilities (the likeliest
// alternatives first), and the usage. An error object in it is returned
// as an error.
func DecodeUpstreamResponse(data []byte) (*llm.Response, error) {
	var u upstreamChunk
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, err
	}
	if len(u.Error) > 0 && string(u.Error) != "null" {
		return nil, fmt.Errorf("completions: the answer is an error: %s", u.Error)
	}
	if len(u.Choices) == 0 {
		return nil, fmt.Errorf("completions: an answer without choices")
	}
	r := &llm.Response{ID: u.ID, Model: u.Model, Created: u.Created, Choices: make([]llm.Choice, 0, len(u.Choices))}
	for _, ch := range u.Choices {
		c := llm.Choice{Index: ch.Index, Logprobs: ch.Logprobs.toLLM(),
			Message: llm.Message{Role: llm.RoleAssistant, Content: []llm.Part{{Type: llm.PartText, Text: ch.Text}}}}
		if ch.FinishReason != nil {
			c.FinishReason = llm.FinishReason(*ch.FinishReason)
		}
		r.Choices = append(r.Choices, c)
	}
	if x := u.Usage; x != nil {
		r.Usage = &llm.Usage{PromptTokens: x.PromptTokens, CompletionTokens: x.CompletionTokens, TotalTokens: x.TotalTokens}
	}
	return r, nil
}
