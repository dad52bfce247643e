package openai

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"switchyard/llm"
)

// EncodeChatRequest encodes req as a Chat Completions request body for an
// upstream. Fields are written in a fixed order, unset (nil) fields are
// omitted, and req.Extra is appended verbatim in key order, except for keys
// the router models itself (those always come from the typed fields). The
// token limit is written as max_tokens unless Extra holds
// ExtraMaxCompletionTokens. Content the client sent as a plain string is
// written back as a string; a message without content is written with
// "content": null when it is an assistant's and "" otherwise.
//
// The stream_options object is written only for a streamed request that
// asks for usage. The error, an *llm.Error of kind internal, reports raw
// JSON (Extra, tool parameters, schemas, PartOther) that is not valid; one
// of kind invalid_request a document by URL, which the format cannot
// carry. A document decoded from an OpenAI file part is written as sent;
// another (from an Anthropic client) as appendDocument writes it.
func EncodeChatRequest(req *llm.Request) ([]byte, error) {
	return EncodeChatRequestWith(req, ChatOptions{})
}

// EncodeChatRequestWith is EncodeChatRequest writing what o asks besides.
func EncodeChatRequestWith(req *llm.Request, o ChatOptions) ([]byte, error) {
	if !o.AllowedTools {
		req = llm.AllowedOnly(req)
	}
	dst := make([]byte, 0, requestSizeHint(req))
	dst = append(dst, `{"model":`...)
	dst = appendString(dst, req.Model)
	dst = append(dst, `,"messages":[`...)
	var err error
	marks := newCacheMarks(req)
	sigs := signaturesFor(req.ModelID(), o)
	n := 0
	msgs := mediaAfterResults(callTurns(req.Messages))
	for i := range msgs {
		if msgs[i].ControlOnly() {
			continue // tool changes alone: offered as the tools in effect; an effort alone: Request.TurnEffort
		}
		if n++; n > 1 {
			dst = append(dst, ',')
		}
		if dst, err = appendMessage(dst, &msgs[i], &marks, o, sigs); err != nil {
			if e, ok := err.(*llm.Error); ok {
				return nil, e // the caller's: a document this format cannot take
			}
			return nil, encodeError("messages["+strconv.Itoa(i)+"]", err)
		}
	}
	dst = append(dst, ']')
	if dst, err = appendTools(dst, req); err != nil {
		return nil, err
	}
	dst = appendParams(dst, req)
	dst = marks.appendCacheOptions(dst, req.PromptCache)
	return appendExtra(dst, req.Extra, modeled)
}

func encodeError(where string, err error) *llm.Error {
	return &llm.Error{Kind: llm.KindInternal, Message: "cannot encode the request: " + where + ": " + err.Error(), Err: err}
}

type rawError string

func (e rawError) Error() string { return string(e) }

// appendRaw appends raw JSON after checking it is one valid value.
func appendRaw(dst []byte, raw json.RawMessage) ([]byte, error) {
	if !json.Valid(raw) {
		return dst, rawError("not valid JSON")
	}
	return append(dst, raw...), nil
}

func appendMessage(dst []byte, m *llm.Message, marks *cacheMarks, o ChatOptions, sigs callSignatures) ([]byte, error) {
	dst = append(dst, `{"role":`...)
	dst = appendString(dst, string(m.Role))
	dst = append(dst, `,"content":`...)
	var err error
	if dst, err = appendContent(dst, m, marks, o.StringContent); err != nil {
		return dst, err
	}
	if o.ReasoningContent && m.Role == llm.RoleAssistant {
		dst = appendString(appendKey(dst, keyReasoningContent), ReasoningText(m))
	}
	if o.ReasoningDetails && m.Role == llm.RoleAssistant {
		dst = appendDetails(dst, m)
	}
	if m.Name() != "" {
		dst = append(dst, `,"name":`...)
		dst = appendString(dst, m.Name())
	}
	if len(m.ToolCalls()) > 0 {
		dst = append(dst, `,"tool_calls":`...)
		dst = appendToolCalls(dst, m.ToolCalls(), sigs)
	}
	if m.ToolCallID() != "" {
		dst = append(dst, `,"tool_call_id":`...)
		dst = appendString(dst, m.ToolCallID())
	}
	if m.Refusal() != "" {
		dst = append(dst, `,"refusal":`...)
		dst = appendString(dst, m.Refusal())
	}
	if a := m.Audio(); len(a) > 0 {
		dst = append(append(dst, `,"audio":`...), a...)
	}
	if m.Prefix {
		dst = append(dst, `,"prefix":true`...)
	}
	return append(dst, '}'), nil
}

// appendContent writes null (no content on an assistant message), a string,
// or an array of parts (with the breakpoints marks writes). Text alone
// the client sent as a string goes back as one, and so does any text
// alone when asString (ChatOptions.StringContent), its parts joined by a
// blank line.
func appendContent(dst []byte, m *llm.Message, marks *cacheMarks, asString bool) ([]byte, error) {
	if m.Content == nil {
		if m.Role == llm.RoleAssistant {
			return append(dst, "null"...), nil
		}
		return append(dst, `""`...), nil
	}
	if (m.StringContent || asString) && allText(m.Content) && !marks.carries(m) {
		if m.StringContent || len(m.Content) == 1 {
			return appendString(dst, m.Text()), nil
		}
		return appendJoinedText(dst, m.Content), nil
	}
	dst = append(dst, '[')
	for j := range m.Content {
		if j > 0 {
			dst = append(dst, ',')
		}
		p := &m.Content[j]
		switch p.Type {
		case llm.PartText:
			dst = append(dst, `{"type":"text","text":`...)
			dst = appendString(dst, p.Text)
			dst = append(marks.appendMark(dst, p), '}')
		case llm.PartImage:
			dst = append(dst, `{"type":"image_url","image_url":{"url":`...)
			dst = appendString(dst, p.ImageURL())
			if p.ImageDetail() != "" {
				dst = append(dst, `,"detail":`...)
				dst = appendString(dst, p.ImageDetail())
			}
			dst = append(marks.appendMark(append(dst, '}'), p), '}')
		case llm.PartDocument:
			var err error
			if len(p.Raw()) == 0 {
				if dst, err = appendDocument(dst, p.Document()); err != nil {
					return dst, err
				}
				dst = append(marks.appendMark(dst[:len(dst)-1], p), '}')
				continue
			}
			if dst, err = appendRaw(dst, marks.rawPart(p)); err != nil {
				return dst, rawError("content[" + strconv.Itoa(j) + "] (file part) is " + err.Error())
			}
		default:
			var err error
			if dst, err = appendRaw(dst, marks.rawPart(p)); err != nil {
				return dst, rawError("content[" + strconv.Itoa(j) + "] (" + string(p.Type) + " part) is " + err.Error())
			}
		}
	}
	return append(dst, ']'), nil
}

func allText(parts []llm.Part) bool {
	for i := range parts {
		if parts[i].Type != llm.PartText {
			return false
		}
	}
	return true
}

// appendTools writes tools, tool_choice, parallel_tool_calls and
// response_format. Without tools it writes neither tool_choice nor
// parallel_tool_calls, which OpenAI and Azure refuse then ("Invalid value
// for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when
// 'tools' are specified.", the same for tool_choice: peers'
// QuantumNous/new-api, whose relay drops them, and agent frameworks
// that set them on every call) and which say nothing without tools: a
// Responses API request sends parallel_tool_calls whatever its tools,
// and a turn may have no tool left to offer.
func appendTools(dst []byte, req *llm.Request) ([]byte, error) {
	var err error
	if len(req.Tools) > 0 {
		dst = append(dst, `,"tools":[`...)
		for i := range req.Tools {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendTool(dst, &req.Tools[i]); err != nil {
				return nil, encodeError("tools["+strconv.Itoa(i)+"].function.parameters", err)
			}
		}
		dst = append(dst, ']')
	}
	if tc := req.ToolChoice; tc != nil && len(req.Tools) > 0 {
		dst = append(dst, `,"tool_choice":`...)
		if tc.Allowed != nil {
			dst = appendAllowedTools(dst, tc, req.Tools)
		} else if isCustomChoice(tc, req.Tools) {
			dst = append(dst, `{"type":"custom","custom":{"name":`...)
			dst = appendString(dst, tc.Name)
			dst = append(dst, '}', '}')
		} else if tc.Mode == llm.ToolChoiceFunction {
			dst = append(dst, `{"type":"function","function":{"name":`...)
			dst = appendString(dst, tc.Name)
			dst = append(dst, '}', '}')
		} else {
			dst = appendString(dst, string(tc.Mode))
		}
	}
	if req.ParallelToolCalls != nil && len(req.Tools) > 0 {
		dst = append(dst, `,"parallel_tool_calls":`...)
		dst = appendBool(dst, *req.ParallelToolCalls)
	}
	if rf := req.ResponseFormat; rf != nil {
		if dst, err = appendResponseFormat(dst, rf); err != nil {
			return nil, encodeError("response_format.json_schema.schema", err)
		}
	}
	return dst, nil
}

func appendTool(dst []byte, t *llm.Tool) ([]byte, error) {
	if t.IsCustom() {
		return appendCustomTool(dst, t), nil
	}
	dst = append(dst, `{"type":`...)
	dst = appendString(dst, orFunction(t.Type))
	dst = append(dst, `,"function":{"name":`...)
	dst = appendString(dst, t.Name)
	if t.Description != "" {
		dst = append(dst, `,"description":`...)
		dst = appendString(dst, t.Description)
	}
	var err error
	if t.Parameters != nil {
		dst = append(dst, `,"parameters":`...)
		if dst, err = appendRaw(dst, t.Parameters); err != nil {
			return dst, err
		}
	}
	if t.Strict != nil {
		dst = append(dst, `,"strict":`...)
		dst = appendBool(dst, *t.Strict)
	}
	return append(dst, '}', '}'), nil
}

func appendResponseFormat(dst []byte, rf *llm.ResponseFormat) ([]byte, error) {
	dst = append(dst, `,"response_format":{"type":`...)
	dst = appendString(dst, string(rf.Type))
	if rf.Type == llm.FormatJSONSchema {
		dst = append(dst, `,"json_schema":{"name":`...)
		dst = appendString(dst, rf.Name)
		if rf.Description != "" {
			dst = append(dst, `,"description":`...)
			dst = appendString(dst, rf.Description)
		}
		if rf.Schema != nil {
			dst = append(dst, `,"schema":`...)
			var err error
			if dst, err = appendRaw(dst, rf.Schema); err != nil {
				return dst, err
			}
		}
		if rf.Strict != nil {
			dst = append(dst, `,"strict":`...)
			dst = appendBool(dst, *rf.Strict)
		}
		dst = append(dst, '}')
	}
	return append(dst, '}'), nil
}

func appendOptFloat(dst []byte, name string, f *float64) []byte {
	if f == nil {
		return dst
	}
	return appendFloat(appendKey(dst, name), *f, 64)
}

// appendParams writes the sampling, limit, identity and stream fields.
func appendParams(dst []byte, req *llm.Request) []byte {
	dst = appendOptFloat(dst, "temperature", req.Temperature)
	dst = appendOptFloat(dst, "top_p", req.TopP)
	dst = appendOptFloat(dst, "presence_penalty", req.PresencePenalty)
	dst = appendOptFloat(dst, "frequency_penalty", req.FrequencyPenalty)
	if req.MaxTokens != nil {
		name := "max_tokens"
		if _, ok := req.Extra[ExtraMaxCompletionTokens]; ok {
			name = ExtraMaxCompletionTokens
		}
		dst = appendInt(appendKey(dst, name), *req.MaxTokens)
	}
	if req.N != nil {
		dst = appendInt(appendKey(dst, "n"), *req.N)
	}
	if req.Seed != nil {
		dst = strconv.AppendInt(appendKey(dst, "seed"), *req.Seed, 10)
	}
	if r := req.Reasoning; r != nil {
		dst = appendString(appendKey(dst, "reasoning_effort"), string(r.Level()))
	}
	if len(req.OpenRouterReasoning) > 0 { // an OpenRouter upstream's alone: its adapter clears it for others
		dst = append(appendKey(dst, "reasoning"), req.OpenRouterReasoning...)
	}
	if req.Logprobs {
		dst = append(dst, `,"logprobs":true`...)
		if req.TopLogprobs > 0 {
			dst = appendInt(appendKey(dst, "top_logprobs"), req.TopLogprobs)
		}
	}
	if len(req.Stop) > 0 {
		dst = append(dst, `,"stop":[`...)
		for i, s := range req.Stop {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, s)
		}
		dst = append(dst, ']')
	}
	if req.User != "" {
		dst = appendString(appendKey(dst, "user"), UserParam(req.User))
	}
	if req.ServiceTier != "" {
		dst = appendString(appendKey(dst, "service_tier"), string(req.ServiceTier))
	}
	if len(req.Metadata) > 0 {
		dst = append(dst, `,"metadata":{`...)
		for i, k := range slices.Sorted(maps.Keys(req.Metadata)) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(appendString(dst, k), ':')
			dst = appendString(dst, req.Metadata[k])
		}
		dst = append(dst, '}')
	}
	if req.Stream {
		dst = append(dst, `,"stream":true`...)
		if req.IncludeUsage {
			dst = append(dst, `,"stream_options":{"include_usage":true}`...)
		}
	}
	return dst
}

// modeled reports whether a top-level field is written from typed fields,
// so that an Extra entry of that name is not written a second time.
func modeled(key string) bool {
	switch key {
	case "model", "messages", "tools", "tool_choice", "parallel_tool_calls", "response_format",
		"temperature", "top_p", "presence_penalty", "frequency_penalty", "max_tokens",
		"max_completion_tokens", "n", "seed", "stop", "user", "metadata", "stream", "stream_options",
		"logprobs", "top_logprobs", "reasoning_effort", "reasoning", "service_tier", "prompt_cache_options":
		return true
	}
	return false
}

// appendExtra appends the extra fields that skip does not claim, in key
// order, and closes the object.
func appendExtra(dst []byte, extra map[string]json.RawMessage, skip func(string) bool) ([]byte, error) {
	if len(extra) > 0 {
		for _, k := range slices.Sorted(maps.Keys(extra)) {
			if skip(k) {
				continue
			}
			dst = append(appendString(append(dst, ','), k), ':')
			var err error
			if dst, err = appendRaw(dst, extra[k]); err != nil {
				return nil, encodeError("extra field "+strconv.Quote(k), err)
			}
		}
	}
	return append(dst, '}'), nil
}
