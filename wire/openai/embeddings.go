package openai

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// DecodeEmbeddingRequest decodes a client's Embeddings request body. Input
// may be a string or an array of strings (each non-empty, at most 2048).
// Token input (an array of integers, or of arrays of integers, as LangChain
// sends by default) has no canonical form: it is kept verbatim in
// Extra["input"] with Input left empty, so that EncodeEmbeddingRequest
// passes it through to an OpenAI-compatible upstream; other adapters see an
// empty Input. encoding_format must be "float" or "base64". Other fields go
// to Extra. Errors are as for DecodeChatRequest.
func DecodeEmbeddingRequest(data []byte) (*llm.EmbeddingRequest, error) {
	s := scanner{data: data}
	if err := notObject(&s); err != nil {
		return nil, requestError(data, err)
	}
	s.share()
	req := &llm.EmbeddingRequest{}
	hasInput := false
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "model":
			req.Model, err = s.optStr()
		case "input":
			hasInput = true
			return decodeEmbeddingInput(&s, req)
		case "encoding_format":
			req.EncodingFormat, err = s.optStr()
			if err == nil && req.EncodingFormat != "" && req.EncodingFormat != "float" && req.EncodingFormat != "base64" {
				return errEnum(req.EncodingFormat, "'float' and 'base64'")
			}
		case "dimensions":
			req.Dimensions, err = optIntIn(&s, 1, maxInt)
		case "user":
			req.User, err = s.optStr()
		default:
			var raw json.RawMessage
			if raw, err = s.raw(); err == nil {
				setExtra(&req.Extra, string(key), raw)
			}
		}
		return err
	})
	if err == nil {
		err = s.end()
	}
	if err == nil {
		switch {
		case req.Model == "":
			err = errMissing().in("model")
		case !hasInput || (req.Input == nil && req.Extra["input"] == nil):
			err = errMissing().in("input")
		}
	}
	if err != nil {
		return nil, requestError(data, err)
	}
	return req, nil
}

func setExtra(m *map[string]json.RawMessage, key string, raw json.RawMessage) {
	if *m == nil {
		*m = make(map[string]json.RawMessage, 2)
	}
	(*m)[key] = raw
}

func errEmptyInput() *fieldError {
	return errInvalid("empty string. Expected a non-empty string; remove empty inputs.")
}

// decodeEmbeddingInput reads a string, an array of strings, or token input.
func decodeEmbeddingInput(s *scanner, req *llm.EmbeddingRequest) error {
	req.Input = nil
	delete(req.Extra, "input")
	switch s.peek() {
	case 'n':
		s.null()
		return nil
	case '"':
		v, err := s.str()
		if err == nil && v == "" {
			return errEmptyInput()
		}
		req.Input = []string{v}
		return err
	case '[':
	default:
		return s.typeErr("a string or an array of strings")
	}
	start := s.pos
	var inputs []string
	tokens, nested, n := false, false, 0
	err := s.array(func(i int) error {
		n++
		if i == 0 && s.peek() != '"' {
			tokens, nested = true, s.peek() == '['
		}
		if tokens {
			if (s.peek() == '[') != nested {
				return errInvalid("mixed token input. Expected an array of token ids or an array of arrays of token ids, not both.")
			}
			return tokenElement(s)
		}
		v, err := s.str()
		if err == nil && v == "" {
			return errEmptyInput()
		}
		inputs = append(inputs, v)
		return err
	})
	switch {
	case err != nil:
		return err
	case n == 0:
		return errEmptyArray()
	case len(inputs) > maxEmbeddingInputs || nested && n > maxEmbeddingInputs:
		return errInvalid("array too long. Expected an array with maximum length 2048, but got an array with length " + strconv.Itoa(n) + " instead.")
	case tokens:
		setExtra(&req.Extra, "input", append(json.RawMessage(nil), s.data[start:s.pos]...))
		return nil
	}
	req.Input = inputs
	return nil
}

// maxEmbeddingInputs is the most inputs one embeddings request takes.
const maxEmbeddingInputs = 2048

// tokenElement reads one token id or one non-empty array of token ids.
func tokenElement(s *scanner) error {
	if s.peek() != '[' {
		return tokenID(s)
	}
	n := 0
	err := s.array(func(int) error {
		n++
		return tokenID(s)
	})
	if err == nil && n == 0 {
		err = errEmptyArray()
	}
	return err
}

// tokenID reads one token id: an integer, never negative.
func tokenID(s *scanner) error {
	v, err := s.integer()
	if err == nil && v < 0 {
		err = errInvalid("integer below minimum value. Expected a token id >= 0, but got " + strconv.FormatInt(v, 10) + " instead.")
	}
	return err
}

// EncodeEmbeddingRequest encodes req for an upstream. It always asks for
// "float" vectors, whatever the client wants back (AppendEmbeddingResponse
// converts), so req.EncodingFormat is not sent. A single input is sent as a
// string, several as an array; with no Input, Extra["input"] (token input)
// is sent. Other Extra fields are appended verbatim in key order. The error,
// an *llm.Error of kind internal, reports Extra values that are not JSON.
func EncodeEmbeddingRequest(req *llm.EmbeddingRequest) ([]byte, error) {
	n := 128 + len(req.Model)
	for _, in := range req.Input {
		n += len(in) + 8
	}
	dst := make([]byte, 0, n+len(req.Extra["input"]))
	dst = append(dst, `{"model":`...)
	dst = appendString(dst, req.Model)
	dst = append(dst, `,"input":`...)
	switch {
	case len(req.Input) == 1:
		dst = appendString(dst, req.Input[0])
	case len(req.Input) == 0 && req.Extra["input"] != nil:
		var err error
		if dst, err = appendRaw(dst, req.Extra["input"]); err != nil {
			return nil, encodeError("extra field \"input\"", err)
		}
	default:
		dst = append(dst, '[')
		for i, in := range req.Input {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, in)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"encoding_format":"float"`...)
	if req.Dimensions != nil {
		dst = appendInt(append(dst, `,"dimensions":`...), *req.Dimensions)
	}
	if req.User != "" {
		dst = appendString(append(dst, `,"user":`...), UserParam(req.User))
	}
	return appendExtra(dst, req.Extra, embeddingModeled)
}

// embeddingModeled reports whether an embeddings field is written from
// typed fields.
func embeddingModeled(key string) bool {
	switch key {
	case "model", "input", "encoding_format", "dimensions", "user":
		return true
	}
	return false
}
