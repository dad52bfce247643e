package openai

import (
	"bytes"
	"encoding/json"

	"switchyard/llm"
)

// AppendChunk appends c as the JSON of one "chat.completion.chunk" (without
// the "data: " framing), the way OpenAI writes it: service_tier after the
// model when c names one, then system_fingerprint when known; every choice has a delta,
// its logprobs (null when it has none) and a finish_reason that is null
// until the choice's last chunk. A delta that carries the role and nothing else also carries
// "content": "" and "refusal": null, as OpenAI's first chunk does; one
// that carries thinking text has it as reasoning_content, with "content":
// null when it has no text, as DeepSeek writes it. The usage
// chunk (no choices, c.Usage set) is written with "choices": []. A chunk
// without usage has no usage field: use AppendChunkIncludeUsage when the
// client asked for stream_options.include_usage. With a dst of enough
// capacity AppendChunk does not allocate.
func AppendChunk(dst []byte, c *llm.Chunk) []byte { return appendChunk(dst, c, false, "") }

// AppendChunkIncludeUsage is AppendChunk for a stream whose request set
// stream_options.include_usage: a chunk without usage carries
// "usage": null, exactly as OpenAI sends it then.
func AppendChunkIncludeUsage(dst []byte, c *llm.Chunk) []byte { return appendChunk(dst, c, true, "") }

// AppendChunkCost is AppendChunkIncludeUsage with cost, the answer's cost
// in USD as a JSON number (e.g. "0.0000132"), added to c's usage as
// "cost", as OpenRouter reports it: an extension that the OpenAI SDKs
// keep as an extra field of the usage object. cost is not written when
// it is empty or c has no usage.
func AppendChunkCost(dst []byte, c *llm.Chunk, cost string) []byte {
	return appendChunk(dst, c, true, cost)
}

func appendChunk(dst []byte, c *llm.Chunk, usageNull bool, cost string) []byte {
	dst = appendCompletionHead(dst, c.ID, `,"object":"chat.completion.chunk","created":`, c.Created, c.Model)
	dst = appendServedBy(dst, c.ServiceTier, c.SystemFingerprint)
	dst = append(dst, `,"choices":[`...)
	for i := range c.Choices {
		if i > 0 {
			dst = append(dst, ',')
		}
		ch := &c.Choices[i]
		dst = append(dst, `{"index":`...)
		dst = appendInt(dst, ch.Index)
		dst = append(dst, `,"delta":`...)
		dst = appendDelta(dst, &ch.Delta)
		dst = appendChoiceEnd(dst, ch.Logprobs, ch.FinishReason)
	}
	dst = append(dst, ']')
	switch {
	case c.Usage != nil:
		dst = append(dst, `,"usage":`...)
		dst = appendUsage(dst, c.Usage, cost)
	case usageNull:
		dst = append(dst, `,"usage":null`...)
	}
	if r := c.Resumed; r != nil {
		dst = appendResumed(dst, r)
	}
	return append(dst, '}')
}

func appendDelta(dst []byte, d *llm.Delta) []byte {
	dst = append(dst, '{')
	if d.Role != "" {
		dst = appendString(appendKey(dst, "role"), string(d.Role))
	}
	reasoning := deltaReasoning(d)
	switch {
	case d.Content != "":
		dst = appendString(appendKey(dst, "content"), d.Content)
	case reasoning != "":
		dst = append(appendKey(dst, "content"), "null"...)
	case d.Role != "" && len(d.ToolCalls) == 0 && d.Refusal == "":
		dst = append(dst, `,"content":"","refusal":null`...)
	}
	if reasoning != "" {
		dst = appendString(appendKey(dst, keyReasoningContent), reasoning)
	}
	if details, ok := isDetailsDelta(d.Thinking); ok && details != "" {
		dst = append(appendKey(dst, keyReasoningDetails), details...)
	}
	if d.Refusal != "" {
		dst = appendString(appendKey(dst, "refusal"), d.Refusal)
	}
	if len(d.ToolCalls) > 0 {
		dst = append(appendKey(dst, "tool_calls"), '[')
		for i := range d.ToolCalls {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendToolCallDelta(dst, &d.ToolCalls[i])
		}
		dst = append(dst, ']')
	}
	if o := d.Output; o != nil {
		if len(o.Annotations) > 0 {
			dst = append(appendKey(dst, "annotations"), o.Annotations...)
		}
		if len(o.Audio) > 0 {
			dst = append(appendKey(dst, "audio"), o.Audio...)
		}
	}
	return append(dst, '}')
}

// appendToolCallDelta writes one tool call fragment; one of Index -1
// has no "index", as DecodeChunk reads it (the shape of the hosts that
// omit it, which the simulator writes).
func appendToolCallDelta(dst []byte, t *llm.ToolCallDelta) []byte {
	dst = append(dst, '{')
	if t.Index >= 0 {
		dst = append(dst, `"index":`...)
		dst = appendInt(dst, t.Index)
		dst = append(dst, ',')
	}
	if t.ID != "" {
		dst = append(dst, `"id":`...)
		dst = appendString(dst, t.ID)
		dst = append(dst, ',')
	}
	if t.Type != "" {
		dst = append(dst, `"type":`...)
		dst = appendString(dst, t.Type)
		dst = append(dst, ',')
	}
	if t.Type == llm.ToolCustom {
		return appendCustomCallDelta(dst, t)
	}
	dst = append(dst, `"function":{`...)
	if t.Name != "" {
		dst = append(dst, `"name":`...)
		dst = appendString(dst, t.Name)
		dst = append(dst, ',')
	}
	dst = append(dst, `"arguments":`...)
	dst = appendString(dst, t.Arguments)
	dst = append(dst, '}')
	if t.Signature != "" {
		dst = appendExtraContent(dst, t.Signature, t.SignatureModel)
	}
	return append(dst, '}')
}

// DecodeChunk decodes one upstream "chat.completion.chunk" (the payload of
// a "data:" line, not "[DONE]"). It is lenient like DecodeChatResponse:
// null and missing fields are empty, unknown fields (obfuscation…) are
// ignored, a delta's reasoning_content or reasoning is a piece of the
// answer's thinking (reasoning_content.go); a tool call fragment without
// an index (or a null one: Gemini's compatibility endpoint, Ollama) has
// Index -1, for the caller to place; service_tier is the chunk's ServiceTier and, on the usage
// chunk, its usage's. A chunk with neither choices nor
// usage (Azure's prompt_filter_results chunk) decodes as an empty chunk the
// caller may skip. A payload that carries an "error" object is returned as
// that error. Other failures are *llm.Error values of kind upstream.
func DecodeChunk(data []byte) (*llm.Chunk, error) { return DecodeChunkAfter(data, nil) }

// DecodeChunkAfter is DecodeChunk for the chunk that follows prev in a
// stream (nil for the first): the result may share prev's id, model and
// fingerprint strings instead of copying them again.
func DecodeChunkAfter(data []byte, prev *llm.Chunk) (*llm.Chunk, error) {
	if c := fastChunk(data, prev); c != nil {
		return c, nil
	}
	return decodeChunk(data)
}

// decodeChunk is DecodeChunk's general decoder, for every shape.
func decodeChunk(data []byte) (*llm.Chunk, error) {
	s := scanner{data: data}
	if err := notObject(&s); err != nil {
		return nil, upstreamError("stream chunk", data, err)
	}
	if MayHoldStreamError(data) {
		if e := DecodeStreamError(data); e != nil {
			return nil, e
		}
	}
	s.share()
	c := &llm.Chunk{}
	var hosted *llm.Usage // a host's usage outside the chunk's "usage" (usage_hosts.go)
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "id":
			c.ID, err = s.optStr()
		case "created":
			c.Created, err = looseInt64(&s)
		case "model":
			c.Model, err = s.optStr()
		case "system_fingerprint":
			c.SystemFingerprint, err = s.optStr()
		case "service_tier":
			c.ServiceTier, err = optTier(&s)
		case "usage":
			c.Usage, err = decodeUsage(&s)
		case "x_groq":
			return decodeGroqUsage(&s, &hosted)
		case "choices":
			return decodeChunkChoices(&s, c, &hosted)
		default:
			return s.skip()
		}
		return err
	})
	if err == nil {
		err = s.end()
	}
	if err != nil {
		return nil, upstreamError("stream chunk", data, err)
	}
	if c.Usage == nil {
		c.Usage = hosted
	}
	if c.Usage != nil {
		c.Usage.ServiceTier = c.ServiceTier
	}
	return c, nil
}

// decodeChunkChoices reads a chunk's choices into c; the usage a choice
// carries (Moonshot's, usage_hosts.go) into *hosted.
func decodeChunkChoices(s *scanner, c *llm.Chunk, hosted **llm.Usage) error {
	c.Choices = nil
	if s.null() {
		return nil
	}
	return s.array(func(int) error {
		c.Choices = append(c.Choices, llm.ChunkChoice{})
		ch := &c.Choices[len(c.Choices)-1]
		return s.object(func(key []byte) error {
			var err error
			switch string(key) {
			case "index":
				err = count(s, &ch.Index)
			case "delta":
				return decodeDelta(s, &ch.Delta)
			case "logprobs":
				ch.Logprobs, err = decodeLogprobs(s)
			case "finish_reason":
				var v string
				v, err = s.optStr()
				ch.FinishReason = llm.FinishReason(v)
			case "usage":
				*hosted, err = decodeUsage(s)
			default:
				return s.skip()
			}
			return err
		})
	})
}

func decodeDelta(s *scanner, d *llm.Delta) error {
	*d = llm.Delta{}
	if s.null() {
		return nil
	}
	var reasoning reasoningField
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "role":
			var v string
			v, err = s.optStr()
			d.Role = llm.Role(v)
		case "content":
			d.Content, _, err = looseText(s)
		case keyReasoningContent, keyReasoning:
			return reasoning.read(s, string(key))
		case "refusal":
			d.Refusal, err = s.optStr()
		case "tool_calls":
			return decodeToolCallDeltas(s, d)
		case "audio", "annotations":
			return decodeOutputDelta(s, d, string(key))
		default:
			return s.skip()
		}
		return err
	})
	reasoning.setOnDelta(d)
	return err
}

// decodeOutputDelta reads a delta's audio or annotations (key) into
// d.Output.
func decodeOutputDelta(s *scanner, d *llm.Delta, key string) error {
	v, err := s.rawOutput()
	if err != nil || v == nil {
		return err
	}
	if d.Output == nil {
		d.Output = new(llm.OutputDelta)
	}
	if key == "audio" {
		d.Output.Audio = v
	} else {
		d.Output.Annotations = v
	}
	return nil
}

func decodeToolCallDeltas(s *scanner, d *llm.Delta) error {
	d.ToolCalls = nil
	if s.null() {
		return nil
	}
	return s.array(func(int) error {
		d.ToolCalls = append(d.ToolCalls, llm.ToolCallDelta{Index: -1}) // no "index" yet
		t := &d.ToolCalls[len(d.ToolCalls)-1]
		return s.object(func(key []byte) error {
			var err error
			switch string(key) {
			case "index":
				if !s.null() {
					err = count(s, &t.Index)
				}
			case "id":
				t.ID, err = s.optStr()
			case "type":
				t.Type, err = s.optStr()
			case "function":
				return decodeFunctionCall(s, &t.Name, &t.Arguments)
			case "custom":
				t.Type = llm.ToolCustom // on every fragment: see llm.ToolCallDelta
				return decodeCustomCall(s, &t.Name, &t.Arguments)
			case keyExtraContent:
				return readExtraContent(s, &t.Signature, nil)
			default:
				return s.skip()
			}
			return err
		})
	})
}

// appendResumed writes the router's note on a resumed stream as an extra
// chunk field, "x_switchyard": {"resumed_from", "resumed_to",
// "resumed_at" (bytes of content before the break), "resume_mode"};
// clients that do not know it ignore it.
func appendResumed(dst []byte, r *llm.Resumed) []byte {
	dst = append(dst, `,"x_switchyard":{"resumed_from":`...)
	dst = appendString(dst, r.From)
	dst = append(dst, `,"resumed_to":`...)
	dst = appendString(dst, r.To)
	dst = append(dst, `,"resumed_at":`...)
	dst = appendInt(dst, r.Offset)
	dst = append(dst, `,"resume_mode":`...)
	dst = appendString(dst, r.Mode)
	return append(dst, '}')
}

// rawOutput consumes one value and returns it compacted onto one line
// (it may be written again inside a server-sent event's data line), or
// nil for null.
func (s *scanner) rawOutput() (json.RawMessage, error) {
	if s.null() {
		return nil, nil
	}
	raw, err := s.raw()
	if err != nil || !bytes.ContainsAny(raw, "\r\n") {
		return raw, err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
