package openai

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// AppendChatResponse appends r as a "chat.completion" object, the way
// OpenAI writes it: every choice has a message with role, content (null
// when the message has no content), its thinking text as DeepSeek writes
// it (reasoning_content, when it has some), refusal (null when empty), tool_calls
// when there are any, its annotations (an empty list when it has none)
// and a spoken answer's audio object, its logprobs (null
// when it has none) and a finish_reason (null when unknown). Usage is written when r.Usage is set,
// then service_tier (the tier that served it) and system_fingerprint,
// each when known.
func AppendChatResponse(dst []byte, r *llm.Response) []byte {
	return AppendChatResponseCost(dst, r, "")
}

// AppendChatResponseCost is AppendChatResponse with cost, the answer's
// cost in USD as a JSON number, added to the usage as "cost" (as for
// AppendChunkCost); not written when empty or r has no usage.
func AppendChatResponseCost(dst []byte, r *llm.Response, cost string) []byte {
	dst = appendCompletionHead(dst, r.ID, `,"object":"chat.completion","created":`, r.Created, r.Model)
	dst = append(dst, `,"choices":[`...)
	for i := range r.Choices {
		if i > 0 {
			dst = append(dst, ',')
		}
		c := &r.Choices[i]
		dst = append(dst, `{"index":`...)
		dst = appendInt(dst, c.Index)
		dst = append(dst, `,"message":`...)
		dst = appendResponseMessage(dst, &c.Message)
		dst = appendChoiceEnd(dst, c.Logprobs, c.FinishReason)
	}
	dst = append(dst, ']')
	if r.Usage != nil {
		dst = append(dst, `,"usage":`...)
		dst = appendUsage(dst, r.Usage, cost)
	}
	dst = appendServedBy(dst, r.ServiceTier, r.SystemFingerprint)
	return append(dst, '}')
}

// appendCompletionHead opens a chat completion or chunk object: its id,
// object (objectCreated holds the JSON between the id and the created
// time, `,"object":"…","created":`), created time and model.
func appendCompletionHead(dst []byte, id, objectCreated string, created int64, model string) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, id)
	dst = append(dst, objectCreated...)
	dst = appendInt64(dst, created)
	dst = append(dst, `,"model":`...)
	return appendString(dst, model)
}

// appendServedBy writes the service_tier and system_fingerprint fields,
// each when known.
func appendServedBy(dst []byte, tier llm.ServiceTier, fingerprint string) []byte {
	if tier != "" {
		dst = append(dst, `,"service_tier":`...)
		dst = appendString(dst, string(tier))
	}
	if fingerprint != "" {
		dst = append(dst, `,"system_fingerprint":`...)
		dst = appendString(dst, fingerprint)
	}
	return dst
}

// appendChoiceEnd ends a choice of a completion or chunk: its logprobs
// (null when it has none) and its finish_reason (null when unknown).
func appendChoiceEnd(dst []byte, lp *llm.Logprobs, finish llm.FinishReason) []byte {
	if lp == nil {
		dst = append(dst, `,"logprobs":null,"finish_reason":`...)
	} else {
		dst = appendLogprobs(append(dst, `,"logprobs":`...), lp)
		dst = append(dst, `,"finish_reason":`...)
	}
	dst = appendNullString(dst, string(finish))
	return append(dst, '}')
}

func appendResponseMessage(dst []byte, m *llm.Message) []byte {
	dst = append(dst, `{"role":`...)
	role := string(m.Role)
	if role == "" {
		role = string(llm.RoleAssistant)
	}
	dst = appendString(dst, role)
	dst = append(dst, `,"content":`...)
	if m.Content == nil {
		dst = append(dst, "null"...)
	} else if len(m.Content) == 1 {
		dst = appendString(dst, m.Content[0].Text)
	} else {
		dst = appendString(dst, m.Text())
	}
	if text := ReasoningText(m); text != "" {
		dst = appendString(appendKey(dst, keyReasoningContent), text)
	}
	dst = appendDetails(dst, m)
	dst = append(dst, `,"refusal":`...)
	dst = appendNullString(dst, m.Refusal())
	if len(m.ToolCalls()) > 0 {
		dst = append(dst, `,"tool_calls":`...)
		dst = appendToolCalls(dst, m.ToolCalls(), signaturesKept)
	}
	if a := m.Annotations(); len(a) > 0 {
		dst = append(append(dst, `,"annotations":`...), a...)
	} else {
		dst = append(dst, `,"annotations":[]`...)
	}
	if a := m.Audio(); len(a) > 0 {
		dst = append(append(dst, `,"audio":`...), a...)
	}
	return append(dst, '}')
}

func appendInt64(dst []byte, n int64) []byte { return strconv.AppendInt(dst, n, 10) }

// DecodeChatResponse decodes an upstream "chat.completion" body. It is
// lenient where vendors differ harmlessly: unknown fields are ignored,
// counts may be decimals, content may be an array of text parts (joined),
// tool call arguments may be a JSON object (kept as its JSON text), a
// missing role is "assistant", a message's reasoning_content or
// reasoning (reasoning_content.go) is its thinking, and a token's missing top_logprobs is an
// empty list. The service_tier that served it is also set on its usage
// (Usage.ServiceTier prices it). A body that carries an "error" object is returned as that
// error. Other failures are *llm.Error values of kind upstream.
func DecodeChatResponse(data []byte) (*llm.Response, error) {
	s := scanner{data: data}
	if err := notObject(&s); err != nil {
		return nil, upstreamError("chat completion", data, err)
	}
	s.share()
	r := &llm.Response{}
	var upErr *llm.Error
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "id":
			r.ID, err = s.optStr()
		case "created":
			r.Created, err = looseInt64(&s)
		case "model":
			r.Model, err = s.optStr()
		case "system_fingerprint":
			r.SystemFingerprint, err = s.optStr()
		case "service_tier":
			r.ServiceTier, err = optTier(&s)
		case "usage":
			r.Usage, err = decodeUsage(&s)
		case "choices":
			return decodeChoices(&s, r)
		case "error":
			upErr, err = decodeErrorValue(&s)
		default:
			return s.skip()
		}
		return err
	})
	if err == nil {
		err = s.end()
	}
	if err != nil {
		return nil, upstreamError("chat completion", data, err)
	}
	if upErr != nil {
		return nil, upErr
	}
	if r.Usage != nil {
		r.Usage.ServiceTier = r.ServiceTier
	}
	return r, nil
}

// optTier reads a service tier, a string or null (""). The usual ones
// are not copied.
func optTier(s *scanner) (llm.ServiceTier, error) {
	v, err := s.optStr()
	return tierOf(v), err
}

// tierOf returns v as a tier, the usual ones without a copy of v.
func tierOf(v string) llm.ServiceTier {
	switch llm.ServiceTier(v) {
	case llm.TierDefault:
		return llm.TierDefault
	case llm.TierFlex:
		return llm.TierFlex
	case llm.TierPriority:
		return llm.TierPriority
	case llm.TierScale:
		return llm.TierScale
	}
	return llm.ServiceTier(v)
}

func looseInt64(s *scanner) (int64, error) {
	if s.null() {
		return 0, nil
	}
	n, err := s.loose()
	return int64(n), err
}

func decodeChoices(s *scanner, r *llm.Response) error {
	r.Choices = nil
	if s.null() {
		return nil
	}
	return s.array(func(int) error {
		r.Choices = append(r.Choices, llm.Choice{})
		c := &r.Choices[len(r.Choices)-1]
		c.Message.Role = llm.RoleAssistant
		return s.object(func(key []byte) error {
			var err error
			switch string(key) {
			case "index":
				err = count(s, &c.Index)
			case "message":
				return decodeResponseMessage(s, &c.Message)
			case "logprobs":
				c.Logprobs, err = decodeLogprobs(s)
			case "finish_reason":
				var v string
				v, err = s.optStr()
				c.FinishReason = llm.FinishReason(v)
			default:
				return s.skip()
			}
			return err
		})
	})
}

func decodeResponseMessage(s *scanner, m *llm.Message) error {
	*m = llm.Message{Role: llm.RoleAssistant}
	if s.null() {
		return nil
	}
	var reasoning reasoningField
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "role":
			var v string
			if v, err = s.optStr(); v != "" {
				m.Role = llm.Role(v)
			}
		case keyReasoningContent, keyReasoning:
			return reasoning.read(s, string(key))
		case keyReasoningDetails:
			return reasoning.readDetails(s)
		case "content":
			var text string
			var null bool
			text, null, err = looseText(s)
			if !null {
				m.Content = []llm.Part{{Type: llm.PartText, Text: text}}
				m.StringContent = true
			}
		case "refusal":
			var v string
			v, err = s.optStr()
			m.SetRefusal(v)
		case "tool_calls":
			return decodeResponseToolCalls(s, m)
		case "audio":
			var v json.RawMessage
			v, err = s.rawOutput()
			m.SetAudio(v)
		case "annotations":
			var v json.RawMessage
			if v, err = s.rawOutput(); string(v) != "[]" {
				m.SetAnnotations(v)
			}
		default:
			return s.skip()
		}
		return err
	})
	reasoning.setOn(m)
	return err
}

// looseText reads a string, null, or an array of content parts whose text
// parts it joins.
func looseText(s *scanner) (text string, null bool, err error) {
	switch s.peek() {
	case 'n':
		s.null()
		return "", true, nil
	case '[':
	default:
		text, err = s.str()
		return text, false, err
	}
	var b []byte
	err = s.array(func(int) error {
		return s.object(func(key []byte) error {
			if string(key) != "text" || s.peek() != '"' {
				return s.skip()
			}
			t, err := s.str()
			b = append(b, t...)
			return err
		})
	})
	return string(b), false, err
}

func decodeResponseToolCalls(s *scanner, m *llm.Message) error {
	m.SetToolCalls(nil)
	if s.null() {
		return nil
	}
	var calls []llm.ToolCall
	defer func() { m.SetToolCalls(calls) }()
	return s.array(func(int) error {
		calls = append(calls, llm.ToolCall{Type: "function"})
		c := &calls[len(calls)-1]
		return s.object(func(key []byte) error {
			var err error
			switch string(key) {
			case "id":
				c.ID, err = s.optStr()
			case "type":
				var v string
				if v, err = s.optStr(); v != "" {
					c.Type = v
				}
			case "function":
				return decodeFunctionCall(s, &c.Name, &c.Arguments)
			case "custom":
				return decodeCustomCall(s, &c.Name, &c.Arguments)
			case keyExtraContent:
				return readExtraContent(s, &c.Signature, nil)
			default:
				return s.skip()
			}
			return err
		})
	})
}

// decodeFunctionCall reads {"name", "arguments"}; arguments that are not a
// string are kept as their JSON text.
func decodeFunctionCall(s *scanner, name, args *string) error {
	if s.null() {
		return nil
	}
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "name":
			*name, err = s.optStr()
		case "arguments":
			switch s.peek() {
			case '"', 'n':
				*args, err = s.optStr()
			default:
				var raw []byte
				raw, err = s.raw()
				*args = string(raw)
			}
		default:
			return s.skip()
		}
		return err
	})
}
