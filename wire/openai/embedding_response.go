package openai

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"strconv"

	"switchyard/llm"
)

// AppendEmbeddingResponse appends r as OpenAI's embeddings list. With
// encodingFormat "base64" each vector is the standard base64 of its
// little-endian float32 bytes (what the Python and Node SDKs request by
// default and decode); otherwise it is an array of numbers, formatted as
// the shortest decimal that round-trips through float32. Usage has
// prompt_tokens and total_tokens.
func AppendEmbeddingResponse(dst []byte, r *llm.EmbeddingResponse, encodingFormat string) []byte {
	dst = append(dst, `{"object":"list","data":[`...)
	for i := range r.Data {
		e := &r.Data[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"object":"embedding","index":`...)
		dst = appendInt(dst, e.Index)
		dst = append(dst, `,"embedding":`...)
		if encodingFormat == "base64" {
			dst = appendBase64Vector(dst, e.Vector)
		} else {
			dst = append(dst, '[')
			for j, v := range e.Vector {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = appendFloat(dst, float64(v), 32)
			}
			dst = append(dst, ']')
		}
		dst = append(dst, '}')
	}
	dst = append(dst, `],"model":`...)
	dst = appendString(dst, r.Model)
	dst = append(dst, `,"usage":{"prompt_tokens":`...)
	dst = appendInt(dst, r.Usage.PromptTokens)
	dst = append(dst, `,"total_tokens":`...)
	dst = appendInt(dst, r.Usage.TotalTokens)
	return append(dst, '}', '}')
}

// appendBase64Vector appends the quoted base64 of v's little-endian float32
// bytes, converting through a stack buffer whose size is a multiple of 3 so
// that only the last block is padded.
func appendBase64Vector(dst []byte, v []float32) []byte {
	var buf [768]byte
	dst = append(dst, '"')
	for len(v) > 0 {
		n := min(len(v), len(buf)/4)
		for i, f := range v[:n] {
			binary.LittleEndian.PutUint32(buf[i*4:], math.Float32bits(f))
		}
		dst = base64.StdEncoding.AppendEncode(dst, buf[:n*4])
		v = v[n:]
	}
	return append(dst, '"')
}

// DecodeEmbeddingResponse decodes an upstream embeddings list. Vectors may
// be arrays of numbers or base64 strings of little-endian float32 bytes.
// A body that carries an "error" object is returned as that error. Other
// failures are *llm.Error values of kind upstream.
func DecodeEmbeddingResponse(data []byte) (*llm.EmbeddingResponse, error) {
	s := scanner{data: data}
	if err := notObject(&s); err != nil {
		return nil, upstreamError("embeddings response", data, err)
	}
	r := &llm.EmbeddingResponse{}
	var upErr *llm.Error
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "model":
			r.Model, err = s.optStr()
		case "data":
			return decodeEmbeddings(&s, r)
		case "usage":
			return details(&s, func(key []byte) error {
				switch string(key) {
				case "prompt_tokens":
					return count(&s, &r.Usage.PromptTokens)
				case "total_tokens":
					return count(&s, &r.Usage.TotalTokens)
				}
				return s.skip()
			})
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
		return nil, upstreamError("embeddings response", data, err)
	}
	if upErr != nil {
		return nil, upErr
	}
	return r, nil
}

func decodeEmbeddings(s *scanner, r *llm.EmbeddingResponse) error {
	r.Data = nil
	if s.null() {
		return nil
	}
	dims := 0
	return s.array(func(int) error {
		r.Data = append(r.Data, llm.Embedding{})
		e := &r.Data[len(r.Data)-1]
		err := s.object(func(key []byte) error {
			switch string(key) {
			case "index":
				return count(s, &e.Index)
			case "embedding":
				var err error
				e.Vector, err = decodeVector(s, dims)
				return err
			}
			return s.skip()
		})
		dims = max(dims, len(e.Vector))
		return err
	})
}

// decodeVector reads an array of numbers or a base64 string; dims is a
// capacity hint.
func decodeVector(s *scanner, dims int) ([]float32, error) {
	switch s.peek() {
	case 'n':
		s.null()
		return nil, nil
	case '"':
		return decodeBase64Vector(s)
	}
	v := make([]float32, 0, dims)
	err := s.array(func(int) error {
		lit, err := s.number()
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(bstr(lit), 32)
		if err != nil {
			return errInvalid("number out of float32 range: " + numberText(lit))
		}
		v = append(v, float32(f))
		return nil
	})
	return v, err
}

func decodeBase64Vector(s *scanner) ([]float32, error) {
	str, err := s.str()
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(str)
	if err != nil || len(b)%4 != 0 {
		return nil, errInvalid("not a base64 string of little-endian float32 values")
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[i*4:]))
	}
	return v, nil
}
