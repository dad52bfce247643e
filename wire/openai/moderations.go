package openai

import (
	"strings"

	"switchyard/llm"
)

// DecodeModerationRequest decodes a client's Moderations request body
// (POST /v1/moderations). input is required: a string (empty allowed,
// as OpenAI allows it), a non-empty array of strings, or a non-empty
// array of multimodal objects — {"type":"text","text":…} or
// {"type":"image_url","image_url":{"url":…}} with an http(s) or data URL;
// other members of those objects are dropped. model is a non-empty
// string; absent or null means llm.DefaultModerationModel. Other fields
// go to Extra. Errors are as for DecodeChatRequest: *llm.Error values of
// kind invalid_request naming the param.
func DecodeModerationRequest(data []byte) (*llm.ModerationRequest, error) {
	s := scanner{data: data}
	if err := notObject(&s); err != nil {
		return nil, requestError(data, err)
	}
	s.share()
	req := &llm.ModerationRequest{}
	hasInput := false
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "model":
			return decodeModerationModel(&s, req)
		case "input":
			hasInput = true
			return decodeModerationInput(&s, req)
		}
		raw, err := s.raw()
		if err == nil {
			setExtra(&req.Extra, string(key), raw)
		}
		return err
	})
	if err == nil {
		err = s.end()
	}
	if err == nil && (!hasInput || req.Texts == nil && req.Parts == nil) {
		err = errMissing().in("input")
	}
	if err != nil {
		return nil, requestError(data, err)
	}
	if req.Model == "" {
		req.Model = llm.DefaultModerationModel
	}
	return req, nil
}

func decodeModerationModel(s *scanner, req *llm.ModerationRequest) error {
	if s.null() {
		req.Model = ""
		return nil
	}
	v, err := s.str()
	if err == nil && v == "" {
		return errInvalid("empty string. Expected a model name, or omit model for " + llm.DefaultModerationModel + ".")
	}
	req.Model = v
	return err
}

// decodeModerationInput reads a string, an array of strings or an array
// of multimodal objects; the first element decides which array it is.
func decodeModerationInput(s *scanner, req *llm.ModerationRequest) error {
	req.Texts, req.Parts = nil, nil
	switch s.peek() {
	case 'n':
		s.null()
		return nil
	case '"':
		v, err := s.str()
		req.Texts = []string{v}
		return err
	case '[':
	default:
		return s.typeErr("a string, an array of strings or an array of objects")
	}
	objects := false
	texts, parts := []string{}, []llm.ModerationPart{}
	n := 0
	err := s.array(func(i int) error {
		n++
		if i == 0 {
			objects = s.peek() == '{'
		}
		if !objects {
			v, err := s.str()
			texts = append(texts, v)
			return err
		}
		var p llm.ModerationPart
		err := decodeModerationPart(s, &p)
		parts = append(parts, p)
		return err
	})
	switch {
	case err != nil:
		return err
	case n == 0:
		return errEmptyArray()
	case objects:
		req.Parts = parts
	default:
		req.Texts = texts
	}
	return nil
}

// decodeModerationPart reads one multimodal object.
func decodeModerationPart(s *scanner, p *llm.ModerationPart) error {
	f, err := scanPart(s)
	if err != nil {
		return err
	}
	switch f.typ {
	case "text":
		p.Text = f.text
		return checkText(s, f.hasText, f.textAt)
	case "image_url":
		p.Text = ""
		if f.imageAt < 0 {
			return errMissing().in("image_url")
		}
		return s.at(f.imageAt, func() error { return inField(decodeModerationImage(s, p), []byte("image_url")) })
	}
	return errEnum(f.typ, "'text' and 'image_url'").in("type")
}

// decodeModerationImage reads {"url": …}: an http(s) URL or a data URL.
func decodeModerationImage(s *scanner, p *llm.ModerationPart) error {
	hasURL := false
	err := s.object(func(key []byte) error {
		if string(key) != "url" {
			return s.skip()
		}
		v, err := s.str()
		if err == nil && !imageURL(v) {
			err = errInvalid("Expected an image URL (http or https) or a data URL of a base64-encoded image (data:image/png;base64,…), but got '" + clip(v) + "'.")
		}
		p.ImageURL, hasURL = v, true
		return err
	})
	if err == nil && !hasURL {
		err = errMissing().in("url")
	}
	return err
}

// imageURL reports whether v can name an image: an http(s) URL with a
// host, or a data URL.
func imageURL(v string) bool {
	lower := strings.ToLower(v[:min(len(v), 8)])
	switch {
	case strings.HasPrefix(lower, "https://"):
		return len(v) > len("https://")
	case strings.HasPrefix(lower, "http://"):
		return len(v) > len("http://")
	case strings.HasPrefix(lower, "data:"):
		return strings.Contains(v, ",")
	}
	return false
}

// EncodeModerationRequest encodes req for an upstream: one text as a
// string, several as an array, parts as multimodal objects; Extra
// fields verbatim in key order. The error, an *llm.Error of kind
// internal, reports Extra values that are not JSON.
func EncodeModerationRequest(req *llm.ModerationRequest) ([]byte, error) {
	n := 64 + len(req.Model)
	for _, t := range req.Texts {
		n += len(t) + 8
	}
	for _, p := range req.Parts {
		n += len(p.Text) + len(p.ImageURL) + 48
	}
	dst := make([]byte, 0, n)
	dst = append(dst, `{"model":`...)
	dst = appendString(dst, req.Model)
	dst = append(dst, `,"input":`...)
	switch {
	case req.Parts != nil:
		dst = appendModerationParts(dst, req.Parts)
	case len(req.Texts) == 1:
		dst = appendString(dst, req.Texts[0])
	default:
		dst = append(dst, '[')
		for i, t := range req.Texts {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, t)
		}
		dst = append(dst, ']')
	}
	return appendExtra(dst, req.Extra, moderationModeled)
}

func appendModerationParts(dst []byte, parts []llm.ModerationPart) []byte {
	dst = append(dst, '[')
	for i, p := range parts {
		if i > 0 {
			dst = append(dst, ',')
		}
		if p.ImageURL != "" {
			dst = append(dst, `{"type":"image_url","image_url":{"url":`...)
			dst = append(appendString(dst, p.ImageURL), '}', '}')
			continue
		}
		dst = append(dst, `{"type":"text","text":`...)
		dst = append(appendString(dst, p.Text), '}')
	}
	return append(dst, ']')
}

// moderationModeled reports whether a moderations field is written from
// typed fields.
func moderationModeled(key string) bool { return key == "model" || key == "input" }
