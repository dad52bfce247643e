package openai

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// decodeMessages reads the messages array.
func decodeMessages(s *scanner, req *llm.Request) error {
	if s.null() {
		req.Messages = nil
		return nil
	}
	// Counting first costs a second pass over the array's bytes but sizes
	// the slice exactly: growing it by appends would allocate about five
	// times its final size for a long conversation. String contents take
	// their one part from one allocation instead of one each.
	n := s.count()
	if n < 0 {
		n = 4
	}
	msgs := make([]llm.Message, 0, n)
	s.textParts = make([]llm.Part, n)
	defer func() { s.textParts = nil }()
	err := s.array(func(int) error {
		msgs = append(msgs, llm.Message{})
		return decodeMessage(s, &msgs[len(msgs)-1])
	})
	req.Messages = msgs
	return err
}

// decodeMessage reads one message; unknown fields are ignored. An
// assistant message's reasoning_content (DeepSeek's request shape) or
// reasoning is its thinking (reasoning_content.go).
func decodeMessage(s *scanner, m *llm.Message) error {
	var reasoning reasoningField
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "role":
			m.Role, err = decodeRole(s)
		case keyReasoningContent, keyReasoning:
			return reasoning.read(s, string(key))
		case keyReasoningDetails:
			return reasoning.readDetails(s)
		case "content":
			return decodeContent(s, m)
		case "name":
			var v string
			v, err = s.optStr()
			m.SetName(v)
		case "tool_calls":
			return decodeToolCalls(s, m)
		case "tool_call_id":
			var v string
			v, err = s.optStr()
			m.SetToolCallID(v)
		case "refusal":
			var v string
			v, err = s.optStr()
			m.SetRefusal(v)
		case "audio":
			var v json.RawMessage
			v, err = s.rawOutput()
			m.SetAudio(v)
		case "function_call":
			if !s.null() {
				return errInvalid("the deprecated 'function_call' is not supported. Send the call in 'tool_calls' as [{\"id\": ..., \"type\": \"function\", \"function\": {\"name\": ..., \"arguments\": ...}}].")
			}
		default:
			return s.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	if m.Role == llm.RoleAssistant {
		reasoning.setOn(m)
	}
	return checkMessage(s, m)
}

func decodeRole(s *scanner) (llm.Role, error) {
	v, err := s.str()
	if err != nil {
		return "", err
	}
	switch llm.Role(v) {
	case llm.RoleSystem, llm.RoleDeveloper, llm.RoleUser, llm.RoleAssistant, llm.RoleTool:
		return llm.Role(v), nil
	case "function":
		return "", errInvalid("the deprecated 'function' role is not supported. Send a function's result as a message with role 'tool' and the 'tool_call_id' of the call it answers.")
	}
	return "", errEnum(v, "'system', 'developer', 'user', 'assistant' and 'tool'")
}

// checkMessage applies the per-role rules once all fields are known.
func checkMessage(s *scanner, m *llm.Message) error {
	if m.Role == "" {
		return errMissing().in("role")
	}
	if err := checkPartTypes(s, m); err != nil {
		return err
	}
	switch m.Role {
	case llm.RoleAssistant:
		if m.Content == nil && len(m.ToolCalls()) == 0 && m.Refusal() == "" && m.Audio() == nil {
			return &fieldError{segs: []string{"content"}, before: "Missing required parameter: '",
				after: "'. An assistant message needs 'content' unless it has 'tool_calls' or 'audio'."}
		}
		return nil
	case llm.RoleTool:
		if m.ToolCallID() == "" {
			return errMissing().in("tool_call_id")
		}
	}
	if len(m.ToolCalls()) > 0 {
		return errInvalid("only assistant messages may carry tool calls.").in("tool_calls")
	}
	if m.Content == nil {
		return errMissing().in("content")
	}
	if m.Role == llm.RoleUser {
		return nil
	}
	for j := range m.Content {
		if m.Role == llm.RoleTool && m.Content[j].Type == llm.PartImage {
			continue // OpenAI takes it (fiber#121's probe); encoders put it where each API reads it
		}
		if m.Content[j].Type != llm.PartText {
			got := partType(s, &m.Content[j])
			if m.Role == llm.RoleTool && got == "input_audio" {
				// Among the types OpenAI names for a tool message's
				// parts (its refusal of a file there, below); encoders
				// put it where each API reads a result's media (Chat
				// Completions: a user message after the tool messages).
				continue
			}
			if m.Role == llm.RoleTool && got == "refusal" {
				if err := refusalText(&m.Content[j]); err != nil {
					return err.in("[" + strconv.Itoa(j) + "]").in("content")
				}
				continue
			}
			return errEnum(got, "'text' (a "+string(m.Role)+" message may only hold text)").
				in("type").in("[" + strconv.Itoa(j) + "]").in("content")
		}
	}
	return nil
}

// refusalText makes a tool message's refusal part ({"type":"refusal",
// "refusal":"…"}, a type OpenAI names among a tool message's parts) the
// text part of its refusal: a result's words, which no other provider
// kind has a refusal part for. A part without its refusal string is a
// 400 naming the field.
func refusalText(p *llm.Part) *fieldError {
	var v struct {
		Refusal *string `json:"refusal"`
	}
	if json.Unmarshal(p.Raw(), &v) != nil || v.Refusal == nil {
		return errMissing().in("refusal")
	}
	*p = llm.Part{Type: llm.PartText, Text: *v.Refusal}
	return nil
}

// decodeContent reads a string, an array of content parts, or null.
func decodeContent(s *scanner, m *llm.Message) error {
	m.Content, m.StringContent = nil, false
	switch s.peek() {
	case 'n':
		s.null()
		return nil
	case '"':
		text, err := s.str()
		if len(s.textParts) > 0 {
			m.Content, s.textParts = s.textParts[:1:1], s.textParts[1:]
		} else {
			m.Content = make([]llm.Part, 1)
		}
		m.Content[0] = llm.Part{Type: llm.PartText, Text: text}
		m.StringContent = true
		return err
	case '[':
	default:
		return s.typeErr("one of a string or an array of content parts")
	}
	parts := make([]llm.Part, 0, 2)
	err := s.array(func(int) error {
		parts = append(parts, llm.Part{})
		return decodePart(s, &parts[len(parts)-1])
	})
	if err != nil {
		return err
	}
	if len(parts) == 0 {
		return errEmptyArray()
	}
	m.Content = parts
	return nil
}

// decodePart reads one content part. Text and image_url parts are decoded;
// a file part holding a PDF's bytes becomes an llm.PartDocument that keeps
// the part as sent in Raw (documentPart); any other type (input_audio,
// other files, refusal, audio) is kept verbatim in Raw as
// llm.PartOther, and one Chat Completions does not have is refused once
// the message's role is known (checkPartTypes). A text, image or document part's
// prompt_cache_breakpoint becomes its cache breakpoint (CacheBreakpoint),
// else its cache_control (CacheControlBreakpoint).
// Other fields of a text or image part than its text, url and detail are
// dropped: keeping them verbatim would let them outlive a guard's edit of
// the text.
func decodePart(s *scanner, p *llm.Part) error {
	start := s.pos
	f, err := scanPart(s)
	if err != nil {
		return err
	}
	ttl, err := CacheBreakpoint(f.breakpoint)
	if err != nil {
		return errInvalid(err.Error()).in("prompt_cache_breakpoint")
	}
	if ttl == llm.NoCache && f.cacheControl != nil {
		if ttl, err = CacheControlBreakpoint(f.cacheControl); err != nil {
			return errInvalid(err.Error()).in("cache_control")
		}
	}
	if err := decodePartKind(s, p, &f, start); err != nil {
		return err
	}
	if ttl != llm.NoCache && (p.Type == llm.PartText || p.Type == llm.PartImage || p.Type == llm.PartDocument) {
		p.SetCache(ttl)
	}
	return nil
}

// decodePartKind decodes the part whose fields f are, from start, as its
// type says.
func decodePartKind(s *scanner, p *llm.Part, f *partFields, start int) error {
	switch f.typ {
	case "text":
		p.Type, p.Text = llm.PartText, f.text
		return checkText(s, f.hasText, f.textAt)
	case "image_url":
		*p = llm.ImagePart("", "")
		if f.imageAt < 0 {
			return errMissing().in("image_url")
		}
		return s.at(f.imageAt, func() error { return decodeImageURL(s, p) })
	}
	raw := append([]byte(nil), s.data[start:s.pos]...)
	if f.typ == "file" {
		*p = documentPart(raw)
		return nil
	}
	*p = llm.OtherPart(raw)
	return nil
}

// partFields is what a content part's object says of its kind (chat's
// content parts, moderation's multimodal inputs): its type; its text when
// that is a string (hasText), else where the text's value sits (textAt,
// for checkText); where its image_url's value sits (imageAt); -1 for
// absent.
type partFields struct {
	typ, text       string
	hasText         bool
	textAt, imageAt int
	// breakpoint is the prompt_cache_breakpoint's value as sent; nil
	// when absent. cacheControl is an Anthropic cache_control's
	// (CacheControlBreakpoint).
	breakpoint, cacheControl []byte
}

// scanPart reads a content part's object for its partFields, skipping
// every other member; a part without a type is an error.
func scanPart(s *scanner) (partFields, error) {
	f, hasType := partFields{textAt: -1, imageAt: -1}, false
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "type":
			f.typ, err = s.str()
			hasType = true
		case "text":
			if s.peek() == '"' {
				f.text, err = s.str()
				f.hasText = true
				return err
			}
			f.textAt = s.pos
			return s.skip()
		case "image_url":
			f.imageAt = s.pos
			return s.skip()
		case "prompt_cache_breakpoint", "cache_control":
			start := s.pos
			err = s.skip()
			if string(key) == "cache_control" {
				f.cacheControl = s.data[start:s.pos]
			} else {
				f.breakpoint = s.data[start:s.pos]
			}
			return err
		default:
			return s.skip()
		}
		return err
	})
	if err == nil && !hasType {
		err = errMissing().in("type")
	}
	return f, err
}

func checkText(s *scanner, hasText bool, textAt int) error {
	if textAt >= 0 {
		return s.at(textAt, func() error { return inField(s.typeErr("a string"), []byte("text")) })
	}
	if !hasText {
		return errMissing().in("text")
	}
	return nil
}

// at runs fn with the scanner moved to offset off, then moves it back.
func (s *scanner) at(off int, fn func() error) error {
	pos := s.pos
	s.pos = off
	err := fn()
	s.pos = pos
	return err
}

// decodeImageURL reads {"url", "detail"}, or a bare URL string (which some
// clients send).
func decodeImageURL(s *scanner, p *llm.Part) error {
	if s.peek() == '"' {
		url, err := s.str()
		p.Extra.ImageURL = url
		return inField(err, []byte("image_url"))
	}
	hasURL := false
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "url":
			p.Extra.ImageURL, err = s.str()
			hasURL = true
		case "detail":
			p.Extra.ImageDetail, err = s.optStr()
		default:
			return s.skip()
		}
		return err
	})
	if err == nil && !hasURL {
		err = errMissing().in("url")
	}
	return inField(err, []byte("image_url"))
}

// partType returns the type a PartOther, document or image part was sent
// with.
func partType(s *scanner, p *llm.Part) string {
	if p.Type == llm.PartDocument {
		return "file"
	}
	if p.Type != llm.PartOther {
		return string(p.Type)
	}
	sub := scanner{data: p.Raw()}
	typ := ""
	_ = sub.object(func(key []byte) error {
		if string(key) == "type" {
			v, err := sub.str()
			typ = v
			return err
		}
		return sub.skip()
	})
	return typ
}
