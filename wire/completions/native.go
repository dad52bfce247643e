package completions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"switchyard/llm"
)

// This file is the native side: a legacy completion sent to a
// completions-only model (llm.CapCompletions) on its own completions
// endpoint, and its streamed answer read back as chunks, so that the rest
// of the router sees what a chat model's stream would give.

// upstreamRequest is the body a completions endpoint is sent, in the
// order OpenAI documents its fields.
type upstreamRequest struct {
	Model            string                 `json:"model"`
	Prompt           string                 `json:"prompt"`
	MaxTokens        *int                   `json:"max_tokens,omitempty"`
	Temperature      *float64               `json:"temperature,omitempty"`
	TopP             *float64               `json:"top_p,omitempty"`
	N                *int                   `json:"n,omitempty"`
	Stop             []string               `json:"stop,omitempty"`
	PresencePenalty  *float64               `json:"presence_penalty,omitempty"`
	FrequencyPenalty *float64               `json:"frequency_penalty,omitempty"`
	Seed             *int64                 `json:"seed,omitempty"`
	LogitBias        json.RawMessage        `json:"logit_bias,omitempty"`
	Logprobs         *int                   `json:"logprobs,omitempty"`
	User             string                 `json:"user,omitempty"`
	Stream           bool                   `json:"stream"`
	StreamOptions    *upstreamStreamOptions `json:"stream_options,omitempty"`
}

// upstreamStreamOptions are a streamed native call's stream_options.
type upstreamStreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// EncodeUpstream returns the body of req's native call: its prompt
// (req.Completion), model and the parameters it was asked with, streamed
// with the usage at the end. echo is not sent: the router writes the
// prompt itself, as for a chat model's answer.
func EncodeUpstream(req *llm.Request) ([]byte, error) {
	return encodeUpstream(req, true)
}

// encodeUpstream is EncodeUpstream, streamed or not.
func encodeUpstream(req *llm.Request, stream bool) ([]byte, error) {
	if req.Completion == nil {
		return nil, fmt.Errorf("completions: a request without a prompt")
	}
	u := upstreamRequest{Model: req.Model, Prompt: req.Completion.Prompt, MaxTokens: req.MaxTokens,
		Temperature: req.Temperature, TopP: req.TopP, N: req.N, Stop: req.Stop, PresencePenalty: req.PresencePenalty,
		FrequencyPenalty: req.FrequencyPenalty, Seed: req.Seed, LogitBias: req.Extra["logit_bias"], User: req.User, Stream: stream}
	if req.Logprobs {
		u.Logprobs = &req.TopLogprobs
	}
	if stream {
		u.StreamOptions = &upstreamStreamOptions{IncludeUsage: true}
	}
	return json.Marshal(u)
}

// upstreamChunk is one event of a completions endpoint's stream: a
// text_completion object.
type upstreamChunk struct {
	ID      string `json:"id"`
	Created int64  `json:"created"`
	Model   string `json:"model"`
	Choices []struct {
		Index        int             `json:"index"`
		Text         string          `json:"text"`
		Logprobs     *legacyLogprobs `json:"logprobs"`
		FinishReason *string         `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	} `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// legacyLogprobs is the completions API's logprobs object.
type legacyLogprobs struct {
	Tokens        []string            `json:"tokens"`
	TokenLogprobs []*float64          `json:"token_logprobs"`
	TopLogprobs   []orderedLogprobMap `json:"top_logprobs"`
}

// orderedLogprobMap is a top_logprobs entry: tokens and their log
// probabilities, in the order the upstream wrote them (null: none).
type orderedLogprobMap []llm.TopLogprob

// UnmarshalJSON reads an object of token → log probability in order.
func (m *orderedLogprobMap) UnmarshalJSON(data []byte) error {
	*m = nil
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(data))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("top_logprobs: not an object")
	}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return err
		}
		var lp float64
		if err := d.Decode(&lp); err != nil {
			return err
		}
		*m = append(*m, llm.TopLogprob{Token: t.(string), Logprob: lp})
	}
	return nil
}

// DecodeUpstreamChunk reads one event of a completions endpoint's stream
// as a chunk: each choice's text as its content delta, its finish reason,
// its log probabilities (the likeliest alternatives first), and the
// usage. An error object in the event is returned as an error.
func DecodeUpstreamChunk(data []byte) (*llm.Chunk, error) {
	var u upstreamChunk
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, err
	}
	if len(u.Error) > 0 && string(u.Error) != "null" {
		return nil, fmt.Errorf("completions: the stream sent an error: %s", u.Error)
	}
	c := &llm.Chunk{ID: u.ID, Model: u.Model, Created: u.Created, Choices: make([]llm.ChunkChoice, 0, len(u.Choices))}
	for _, ch := range u.Choices {
		cc := llm.ChunkChoice{Index: ch.Index, Delta: llm.Delta{Content: ch.Text}, Logprobs: ch.Logprobs.toLLM()}
		if ch.FinishReason != nil {
			cc.FinishReason = llm.FinishReason(*ch.FinishReason)
		}
		c.Choices = append(c.Choices, cc)
	}
	if x := u.Usage; x != nil {
		c.Usage = &llm.Usage{PromptTokens: x.PromptTokens, CompletionTokens: x.CompletionTokens, TotalTokens: x.TotalTokens}
	}
	return c, nil
}

// toLLM returns the tokens of l in the canonical shape (nil for none).
func (l *legacyLogprobs) toLLM() *llm.Logprobs {
	if l == nil {
		return nil
	}
	out := &llm.Logprobs{Content: make([]llm.TokenLogprob, 0, len(l.Tokens))}
	for i, tok := range l.Tokens {
		t := llm.TokenLogprob{Token: tok}
		if i < len(l.TokenLogprobs) && l.TokenLogprobs[i] != nil {
			t.Logprob = *l.TokenLogprobs[i]
		}
		if i < len(l.TopLogprobs) {
			t.TopLogprobs = slices.Clone(l.TopLogprobs[i])
			slices.SortStableFunc(t.TopLogprobs, func(a, b llm.TopLogprob) int {
				switch {
				case a.Logprob > b.Logprob:
					return -1
				case a.Logprob < b.Logprob:
					return 1
				}
				return 0
			})
		}
		out.Content = append(out.Content, t)
	}
	return out
}
