// Package completions is the codec of OpenAI's legacy Completions API
// (POST /v1/completions): a prompt in, text out. The router answers it
// with chat models: the prompt becomes the one user message of a chat
// request (Request.Chat), routed like any other, and the answer's text is
// the completion. What a chat model cannot do faithfully — fill in the
// middle (suffix), server-side best_of, prompts as token ids, several
// prompts in one request, the prompt's own log probabilities — is a 400
// that says so.
package completions

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"switchyard/llm"
	"switchyard/wire/internal/strict"
)

// docs is the API's reference, which a malformed body's error points to.
const docs = "https://platform.openai.com/docs/api-reference/completions/create"

// DefaultMaxTokens is the API's default max_tokens: 16, as OpenAI's.
const DefaultMaxTokens = 16

// MaxLogprobs is the largest logprobs the API accepts.
const MaxLogprobs = 5

// Request is a decoded completions request.
type Request struct {
	// Chat is the request the router answers: the prompt as one user
	// message, with the sampling, limits and stream options asked for.
	Chat *llm.Request
	// Prompt is the prompt's text; Echo asks for it before the answer.
	Prompt string
	Echo   bool
	// Logprobs is how many alternatives per token were asked for, or -1
	// when log probabilities were not asked for.
	Logprobs int
}

// createRequest is the body as sent.
type createRequest struct {
	Model            *string            `json:"model"`
	Prompt           json.RawMessage    `json:"prompt"`
	Suffix           *string            `json:"suffix"`
	MaxTokens        *int               `json:"max_tokens"`
	Temperature      *float64           `json:"temperature"`
	TopP             *float64           `json:"top_p"`
	N                *int               `json:"n"`
	Stream           *bool              `json:"stream"`
	StreamOptions    *streamOptions     `json:"stream_options"`
	Logprobs         *int               `json:"logprobs"`
	Echo             *bool              `json:"echo"`
	Stop             json.RawMessage    `json:"stop"`
	PresencePenalty  *float64           `json:"presence_penalty"`
	FrequencyPenalty *float64           `json:"frequency_penalty"`
	BestOf           *int               `json:"best_of"`
	LogitBias        map[string]float64 `json:"logit_bias"`
	User             *string            `json:"user"`
	Seed             *int64             `json:"seed"`
}

type streamOptions struct {
	IncludeUsage *bool `json:"include_usage"`
}

// DecodeRequest decodes a completions request body. Every error is an
// *llm.Error of kind invalid_request naming the parameter.
func DecodeRequest(body []byte) (*Request, error) {
	if strict.First(body) != '{' {
		return nil, strict.InvalidJSON(docs)
	}
	var cr createRequest
	if err := strict.Decode(body, "", &cr, docs); err != nil {
		return nil, err
	}
	if cr.Model == nil || *cr.Model == "" {
		return nil, strict.Invalid("model", "you must provide a model parameter")
	}
	prompt, err := decodePrompt(cr.Prompt)
	if err != nil {
		return nil, err
	}
	out := &Request{Prompt: prompt, Logprobs: -1, Chat: &llm.Request{
		Model:      *cr.Model,
		Messages:   []llm.Message{llm.TextMessage(llm.RoleUser, prompt)},
		Completion: &llm.Completion{Prompt: prompt},
	}}
	for _, step := range []func(*createRequest, *Request) error{unsupportedParams, sampling, limits, options} {
		if err := step(&cr, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodePrompt returns the one prompt's text: a string, or an array of
// one string.
func decodePrompt(raw json.RawMessage) (string, error) {
	if strict.IsNull(raw) {
		return "", strict.Invalid("prompt", "Missing required parameter: 'prompt'. This router answers completions with chat models, which need a prompt to answer.")
	}
	var s string
	if strict.First(raw) == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", strict.JSONError(err, "prompt", docs)
		}
		return s, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return "", strict.Invalid("prompt", "Invalid type for 'prompt': expected a string or an array of strings.")
	}
	switch {
	case len(list) == 0:
		return "", strict.Invalid("prompt", "Invalid 'prompt': empty array. Expected a string or an array of one string.")
	case strict.First(list[0]) != '"':
		return "", strict.Unsupported("prompt", "Prompts given as token ids are not supported: this router routes to models with different tokenizers. Send the prompt's text.")
	case len(list) > 1:
		return "", strict.Unsupported("prompt", "Several prompts in one request (%d given) are not supported. Send each prompt in its own request.", len(list))
	}
	if err := json.Unmarshal(list[0], &s); err != nil {
		return "", strict.JSONError(err, "prompt[0]", docs)
	}
	return s, nil
}

// unsupportedParams refuses what a chat model cannot do faithfully.
func unsupportedParams(cr *createRequest, out *Request) error {
	switch {
	case cr.Suffix != nil && *cr.Suffix != "":
		return strict.Unsupported("suffix", "'suffix' (fill in the middle) is not supported: this router answers completions with chat models, which do not insert text between a prefix and a suffix.")
	case cr.BestOf != nil && *cr.BestOf > 1:
		return strict.Unsupported("best_of", "'best_of' above 1 is not supported: the router does not rank candidate completions server-side. Ask for several with 'n' and choose among them.")
	case cr.BestOf != nil && *cr.BestOf < 0:
		return strict.Invalid("best_of", "Invalid 'best_of': expected a value between 0 and 20, but got %d instead.", *cr.BestOf)
	case cr.Echo != nil && *cr.Echo && cr.Logprobs != nil:
		return strict.Unsupported("echo", "'echo' with 'logprobs' is not supported: chat models do not score the prompt's tokens. Ask for one or the other.")
	}
	return nil
}

// sampling reads the sampling parameters, in the API's ranges.
func sampling(cr *createRequest, out *Request) error {
	req := out.Chat
	if t := cr.Temperature; t != nil && (*t < 0 || *t > 2) {
		return rangeError("temperature", *t, "0", "2")
	}
	if p := cr.TopP; p != nil && (*p < 0 || *p > 1) {
		return rangeError("top_p", *p, "0", "1")
	}
	for _, p := range []struct {
		name string
		v    *float64
	}{{"presence_penalty", cr.PresencePenalty}, {"frequency_penalty", cr.FrequencyPenalty}} {
		if p.v != nil && (*p.v < -2 || *p.v > 2) {
			return rangeError(p.name, *p.v, "-2", "2")
		}
	}
	req.Temperature, req.TopP, req.PresencePenalty, req.FrequencyPenalty, req.Seed = cr.Temperature, cr.TopP, cr.PresencePenalty, cr.FrequencyPenalty, cr.Seed
	if err := checkLogitBias(cr.LogitBias); err != nil {
		return err
	}
	if len(cr.LogitBias) > 0 {
		b, _ := json.Marshal(cr.LogitBias) // a map of numbers: cannot fail
		req.Extra = map[string]json.RawMessage{"logit_bias": b}
	}
	if n := cr.Logprobs; n != nil {
		if *n < 0 || *n > MaxLogprobs {
			return strict.Invalid("logprobs", "Invalid 'logprobs': expected an integer between 0 and %d, but got %d instead.", MaxLogprobs, *n)
		}
		req.Logprobs, req.TopLogprobs, out.Logprobs = true, *n, *n
	}
	return nil
}

// checkLogitBias checks logit_bias as OpenAI does: its keys token ids
// (non-negative integers), its values from -100 to 100; the first wrong
// key in order is named.
func checkLogitBias(bias map[string]float64) error {
	for _, k := range slices.Sorted(maps.Keys(bias)) {
		if k == "" || strings.Trim(k, "0123456789") != "" {
			if len(k) > 64 {
				k = strings.ToValidUTF8(k[:64], "") + "…" // a long key is not echoed whole
			}
			return strict.Invalid("logit_bias", "Invalid key in 'logit_bias': %s. You should only be submitting non-negative integers.", k)
		}
		if v := bias[k]; v < -100 || v > 100 {
			return rangeError("logit_bias."+k, v, "-100", "100")
		}
	}
	return nil
}

func rangeError(param string, v float64, low, high string) error {
	return strict.Invalid(param, "Invalid '%s': expected a value between %s and %s, but got %s instead.", param, low, high, strconv.FormatFloat(v, 'g', -1, 64))
}

// limits reads max_tokens (16 when unset, as OpenAI's default), n and
// stop.
func limits(cr *createRequest, out *Request) error {
	req := out.Chat
	maxTokens := DefaultMaxTokens
	if cr.MaxTokens != nil {
		if *cr.MaxTokens < 0 {
			return strict.Invalid("max_tokens", "Invalid 'max_tokens': integer below minimum value. Expected a value >= 0, but got %d instead.", *cr.MaxTokens)
		}
		maxTokens = *cr.MaxTokens
	}
	if maxTokens > 0 { // 0: the model's own limit
		req.MaxTokens = &maxTokens
	}
	if n := cr.N; n != nil {
		if *n < 1 || *n > 128 {
			return strict.Invalid("n", "Invalid 'n': expected a value between 1 and 128, but got %d instead.", *n)
		}
		if *n > 1 {
			req.N = n
		}
	}
	stop, err := decodeStop(cr.Stop)
	req.Stop = stop
	return err
}

// decodeStop reads stop: a string, or up to four strings.
func decodeStop(raw json.RawMessage) ([]string, error) {
	if strict.IsNull(raw) {
		return nil, nil
	}
	var one string
	if strict.First(raw) == '"' {
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, strict.JSONError(err, "stop", docs)
		}
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, strict.Invalid("stop", "Invalid type for 'stop': expected a string or an array of strings.")
	}
	if len(list) > 4 {
		return nil, strict.Invalid("stop", "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length %d instead.", len(list))
	}
	return list, nil
}

// options reads stream, stream_options, echo and user.
func options(cr *createRequest, out *Request) error {
	req := out.Chat
	req.Stream = cr.Stream != nil && *cr.Stream
	if so := cr.StreamOptions; so != nil {
		if !req.Stream {
			return strict.Invalid("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.")
		}
		req.IncludeUsage = so.IncludeUsage != nil && *so.IncludeUsage
	}
	out.Echo = cr.Echo != nil && *cr.Echo
	if cr.User != nil {
		req.User = *cr.User
	}
	return nil
}
