package openai

import (
	"encoding/json"
	"slices"
	"strconv"

	"switchyard/llm"
)

// ExtraMaxCompletionTokens is the Extra key that records that a client sent
// max_completion_tokens rather than the deprecated max_tokens. The value of
// the limit always lives in Request.MaxTokens; EncodeChatRequest writes it
// under max_completion_tokens when this key is present (whatever its value)
// and under max_tokens otherwise, which every OpenAI-compatible vendor knows.
// A provider that must use the new name (OpenAI reasoning models) can set
// the key on its copy of the request.
const ExtraMaxCompletionTokens = "max_completion_tokens"

// reqSeen records what DecodeChatRequest saw, for the checks that involve
// more than one field.
type reqSeen struct {
	streamOptions       bool
	maxTokens           *int
	maxCompletionTokens *int
	topLogprobs         *int
	// reasoning is OpenRouter's reasoning object, applied over
	// reasoning_effort once both are read.
	reasoning *orReasoning
}

// DecodeChatRequest decodes a client's Chat Completions request body.
//
// Errors are *llm.Error values of kind invalid_request whose Param is the
// JSON path of the offending field (messages[2].content) and whose Message
// says what to send instead, in OpenAI's wording. Malformed JSON is reported
// with its byte offset. Unknown top-level fields are kept verbatim in Extra;
// unknown fields inside messages, parts and tools are ignored; a content
// part of a type Chat Completions does not have is refused as OpenAI
// refuses it (code invalid_value, param messages[i].content[j].type). System,
// developer and tool messages may hold only text parts, as OpenAI requires;
// an image_url given as a bare URL string is accepted. The deprecated
// functions/function_call parameters (null means unset) and "function"
// role are rejected with a pointer to their tools/tool_choice/"tool"
// replacements. Empty arrays and objects for optional fields (tools, stop,
// metadata) decode as unset.
func DecodeChatRequest(data []byte) (*llm.Request, error) {
	return decodeChatRequest(scanner{data: data})
}

// DecodeChatRequestOwned is DecodeChatRequest for a body the caller hands
// over: the request's strings point into data instead of a copy of it,
// which saves the body's size again for a large request. The caller must
// never write to data afterwards (nor return it to a pool).
func DecodeChatRequestOwned(data []byte) (*llm.Request, error) {
	return decodeChatRequest(scanner{data: data, owned: true})
}

func decodeChatRequest(s scanner) (*llm.Request, error) {
	data := s.data
	if err := notObject(&s); err != nil {
		return nil, requestError(data, err)
	}
	s.share()
	req := &llm.Request{}
	var seen reqSeen
	err := s.object(func(key []byte) error { return decodeRequestField(&s, req, &seen, key) })
	if err == nil {
		err = s.end()
	}
	if err == nil {
		err = checkRequest(req, &seen)
	}
	if err != nil {
		return nil, requestError(data, err)
	}
	return req, nil
}

func decodeRequestField(s *scanner, req *llm.Request, seen *reqSeen, key []byte) error {
	var err error
	switch string(key) {
	case "model":
		req.Model, err = s.optStr()
	case "messages":
		return decodeMessages(s, req)
	case "tools":
		return decodeTools(s, req)
	case "tool_choice":
		return decodeToolChoice(s, req)
	case "parallel_tool_calls":
		req.ParallelToolCalls, err = optBool(s)
	case "response_format":
		return decodeResponseFormat(s, req)
	case "stop":
		return decodeStop(s, req)
	case "user":
		req.User, err = s.optStr()
	case "metadata":
		return decodeMetadata(s, req)
	case "stream":
		var b *bool
		b, err = optBool(s)
		req.Stream = b != nil && *b
	case "stream_options":
		return decodeStreamOptions(s, req, seen)
	case "prompt_cache_options":
		return decodeCacheOptions(s, req)
	case "functions": // null (as some clients send for unset) is no use of it
		if !s.null() {
			return errInvalid("the deprecated 'functions' parameter is not supported. Declare each function in 'tools' as {\"type\": \"function\", \"function\": {...}} instead.")
		}
	case "function_call":
		if !s.null() {
			return errInvalid("the deprecated 'function_call' parameter is not supported. Use 'tool_choice' instead.")
		}
	default:
		return decodeSamplingField(s, req, seen, key)
	}
	return err
}

// decodeSamplingField decodes the numeric parameters, and keeps any other
// field verbatim in Extra.
func decodeSamplingField(s *scanner, req *llm.Request, seen *reqSeen, key []byte) error {
	var err error
	switch string(key) {
	case "temperature":
		req.Temperature, err = optFloatIn(s, 0, 2)
	case "top_p":
		req.TopP, err = optFloatIn(s, 0, 1)
	case "presence_penalty":
		req.PresencePenalty, err = optFloatIn(s, -2, 2)
	case "frequency_penalty":
		req.FrequencyPenalty, err = optFloatIn(s, -2, 2)
	case "max_tokens":
		seen.maxTokens, err = optIntIn(s, 1, maxInt)
	case "max_completion_tokens":
		seen.maxCompletionTokens, err = optIntIn(s, 1, maxInt)
	case "n":
		req.N, err = optIntIn(s, 1, 128)
	case "logprobs":
		var b *bool
		b, err = optBool(s)
		req.Logprobs = b != nil && *b
	case "top_logprobs":
		seen.topLogprobs, err = optTopLogprobs(s)
	case "reasoning_effort":
		return decodeReasoningEffort(s, req)
	case "reasoning":
		return decodeOpenRouterReasoning(s, req, seen)
	case "service_tier":
		return decodeServiceTier(s, req)
	case ExtraLogitBias:
		return decodeLogitBias(s, req)
	case "seed":
		if !s.null() {
			var n int64
			n, err = s.integer()
			req.Seed = &n
		}
	default:
		raw, err := s.raw()
		if err != nil {
			return err
		}
		if req.Extra == nil {
			req.Extra = make(map[string]json.RawMessage, 4)
		}
		req.Extra[string(key)] = raw
	}
	return err
}

const maxInt = int64(^uint(0) >> 1)

// decodeReasoningEffort reads reasoning_effort into req.Reasoning; null
// leaves it unset.
func decodeReasoningEffort(s *scanner, req *llm.Request) error {
	if s.null() {
		return nil
	}
	v, err := s.str()
	if err != nil {
		return err
	}
	e, ok := llm.ParseEffort(v)
	if !ok {
		return errEnum(v, "'none', 'minimal', 'low', 'medium', 'high', 'xhigh' and 'max'")
	}
	req.Reasoning = &llm.Reasoning{Effort: e}
	return nil
}

// decodeServiceTier reads service_tier into req.ServiceTier; null leaves
// it unset.
func decodeServiceTier(s *scanner, req *llm.Request) error {
	if s.null() {
		return nil
	}
	v, err := s.str()
	if err != nil {
		return err
	}
	if !slices.Contains(llm.ChatTiers, llm.ServiceTier(v)) {
		return errEnum(v, "'auto', 'default', 'flex', 'scale', 'priority' and 'fast'")
	}
	req.ServiceTier = llm.ServiceTier(v)
	return nil
}

// checkRequest applies the checks that span fields.
func checkRequest(req *llm.Request, seen *reqSeen) error {
	if req.Model == "" {
		return errMissing().in("model")
	}
	if req.Messages == nil {
		return errMissing().in("messages")
	}
	if len(req.Messages) == 0 {
		return errEmptyArray().in("messages")
	}
	llm.KeepLastBreakpoints(req.Messages, llm.MaxCacheMatchBreakpoints)
	mt, mct := seen.maxTokens, seen.maxCompletionTokens
	switch {
	case mt != nil && mct != nil && *mt != *mct:
		return errInvalid("cannot be combined with a different 'max_completion_tokens'. Send only 'max_completion_tokens'.").in("max_tokens")
	case mct != nil:
		req.MaxTokens = mct
		if req.Extra == nil {
			req.Extra = make(map[string]json.RawMessage, 1)
		}
		req.Extra[ExtraMaxCompletionTokens] = strconv.AppendInt(nil, int64(*mct), 10)
	case mt != nil:
		req.MaxTokens = mt
	}
	if err := checkToolChoice(req); err != nil {
		return err
	}
	if seen.reasoning != nil {
		seen.reasoning.apply(req)
	}
	if seen.streamOptions && !req.Stream {
		return errInvalid("only allowed when 'stream' is true. Remove 'stream_options' or set 'stream': true.").in("stream_options")
	}
	if n := seen.topLogprobs; n != nil {
		if !req.Logprobs {
			return &fieldError{segs: []string{"top_logprobs"}, before: "The '", after: "' parameter is only allowed when 'logprobs' is enabled."}
		}
		req.TopLogprobs = *n
	}
	return nil
}

// optTopLogprobs reads top_logprobs, an integer from 0 to
// llm.MaxTopLogprobs, or null (as nil), with OpenAI's messages.
func optTopLogprobs(s *scanner) (*int, error) {
	n, err := optIntIn(s, 0, maxInt)
	if err == nil && n != nil && *n > llm.MaxTopLogprobs {
		return nil, &fieldError{before: "Invalid value for '", after: "': must be less than or equal to " + strconv.Itoa(llm.MaxTopLogprobs) + "."}
	}
	return n, err
}

// optBool reads a boolean or null (as nil).
func optBool(s *scanner) (*bool, error) {
	if s.null() {
		return nil, nil
	}
	b, err := s.boolean()
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// optFloatIn reads a number in [lo, hi] or null (as nil).
func optFloatIn(s *scanner, lo, hi float64) (*float64, error) {
	if s.null() {
		return nil, nil
	}
	f, err := s.float()
	if err != nil {
		return nil, err
	}
	if f < lo {
		return nil, errInvalid("decimal below minimum value. Expected a value >= " + fmtNum(lo) + ", but got " + fmtNum(f) + " instead.")
	}
	if f > hi {
		return nil, errInvalid("decimal above maximum value. Expected a value <= " + fmtNum(hi) + ", but got " + fmtNum(f) + " instead.")
	}
	return &f, nil
}

// optIntIn reads an integer in [lo, hi] or null (as nil).
func optIntIn(s *scanner, lo, hi int64) (*int, error) {
	if s.null() {
		return nil, nil
	}
	n, err := s.integer()
	if err != nil {
		return nil, err
	}
	if n < lo {
		return nil, errInvalid("integer below minimum value. Expected a value >= " + strconv.FormatInt(lo, 10) + ", but got " + strconv.FormatInt(n, 10) + " instead.")
	}
	if n > hi {
		return nil, errInvalid("integer above maximum value. Expected a value <= " + strconv.FormatInt(hi, 10) + ", but got " + strconv.FormatInt(n, 10) + " instead.")
	}
	v := int(n)
	return &v, nil
}

func fmtNum(f float64) string { return string(appendFloat(nil, f, 64)) }

// decodeStop reads a string or an array of up to 4 strings.
func decodeStop(s *scanner, req *llm.Request) error {
	switch s.peek() {
	case 'n':
		s.null()
		req.Stop = nil
		return nil
	case '"':
		v, err := s.str()
		req.Stop = []string{v}
		return err
	case '[':
	default:
		return s.typeErr("a string or an array of strings")
	}
	var stop []string
	err := s.array(func(int) error {
		v, err := s.str()
		stop = append(stop, v)
		return err
	})
	if err != nil {
		return err
	}
	if len(stop) > 4 {
		return errInvalid("array too long. Expected an array with maximum length 4, but got an array with length " + strconv.Itoa(len(stop)) + " instead.")
	}
	req.Stop = stop
	return nil
}

// decodeMetadata reads an object of string values.
func decodeMetadata(s *scanner, req *llm.Request) error {
	req.Metadata = nil
	if s.null() {
		return nil
	}
	return s.object(func(key []byte) error {
		v, err := s.str()
		if err != nil {
			return err
		}
		if req.Metadata == nil {
			req.Metadata = make(map[string]string, 4)
		}
		req.Metadata[string(key)] = v
		return nil
	})
}

// decodeStreamOptions reads {"include_usage": bool}; other options are
// OpenAI-specific transport details the router does not forward.
func decodeStreamOptions(s *scanner, req *llm.Request, seen *reqSeen) error {
	if s.null() {
		return nil
	}
	seen.streamOptions = true
	return s.object(func(key []byte) error {
		if string(key) != "include_usage" {
			return s.skip()
		}
		b, err := optBool(s)
		req.IncludeUsage = b != nil && *b
		return err
	})
}
