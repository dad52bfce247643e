package openai

import (
	"strconv"

	"switchyard/llm"
)

// appendLogprobs appends a choice's "logprobs" value as OpenAI writes it:
// null when lp is nil, else {"content": [...] | null, "refusal": [...] |
// null}, each token {"token", "logprob", "bytes": [...] | null,
// "top_logprobs": [...]}.
func appendLogprobs(dst []byte, lp *llm.Logprobs) []byte {
	if lp == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"content":`...)
	dst = appendTokenLogprobs(dst, lp.Content)
	dst = append(dst, `,"refusal":`...)
	dst = appendTokenLogprobs(dst, lp.Refusal)
	return append(dst, '}')
}

// appendTokenLogprobs appends a list of tokens, null when toks is nil.
func appendTokenLogprobs(dst []byte, toks []llm.TokenLogprob) []byte {
	if toks == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range toks {
		if i > 0 {
			dst = append(dst, ',')
		}
		t := &toks[i]
		dst = appendTokenHead(dst, t.Token, t.Logprob, t.Bytes)
		dst = append(dst, `,"top_logprobs":[`...)
		for j := range t.TopLogprobs {
			if j > 0 {
				dst = append(dst, ',')
			}
			top := &t.TopLogprobs[j]
			dst = append(appendTokenHead(dst, top.Token, top.Logprob, top.Bytes), '}')
		}
		dst = append(dst, "]}"...)
	}
	return append(dst, ']')
}

// appendTokenHead appends `{"token":…,"logprob":…,"bytes":…`, the object
// left open.
func appendTokenHead(dst []byte, token string, logprob float64, b []byte) []byte {
	dst = append(dst, `{"token":`...)
	dst = appendString(dst, token)
	dst = append(dst, `,"logprob":`...)
	dst = appendFloat(dst, logprob, 64)
	dst = append(dst, `,"bytes":`...)
	return appendByteList(dst, b)
}

// appendByteList appends b as a JSON array of integers ([72,105]), or null
// when b is nil: the "bytes" of a token log probability.
func appendByteList(dst []byte, b []byte) []byte {
	if b == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, c := range b {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(c), 10)
	}
	return append(dst, ']')
}

// decodeLogprobs reads a choice's "logprobs": null, or an object whose
// "content" and "refusal" lists it reads (other members are ignored).
func decodeLogprobs(s *scanner) (*llm.Logprobs, error) {
	if s.null() {
		return nil, nil
	}
	lp := &llm.Logprobs{}
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "content":
			lp.Content, err = decodeTokenLogprobs(s)
		case "refusal":
			lp.Refusal, err = decodeTokenLogprobs(s)
		default:
			return s.skip()
		}
		return err
	})
	return lp, err
}

// decodeTokenLogprobs reads a list of tokens, or null (as nil). A null
// logprob reads as 0 and a missing or null top_logprobs as an empty list,
// which is how it is written back.
func decodeTokenLogprobs(s *scanner) ([]llm.TokenLogprob, error) {
	if s.null() {
		return nil, nil
	}
	toks := []llm.TokenLogprob{}
	err := s.array(func(int) error {
		toks = append(toks, llm.TokenLogprob{TopLogprobs: []llm.TopLogprob{}})
		t := &toks[len(toks)-1]
		return s.object(func(key []byte) error {
			if string(key) == "top_logprobs" {
				return decodeTopLogprobs(s, &t.TopLogprobs)
			}
			return decodeTokenField(s, key, &t.Token, &t.Logprob, &t.Bytes)
		})
	})
	return toks, err
}

// decodeTopLogprobs reads the alternatives at one position, or null.
func decodeTopLogprobs(s *scanner, dst *[]llm.TopLogprob) error {
	if s.null() {
		return nil
	}
	return s.array(func(int) error {
		*dst = append(*dst, llm.TopLogprob{})
		t := &(*dst)[len(*dst)-1]
		return s.object(func(key []byte) error { return decodeTokenField(s, key, &t.Token, &t.Logprob, &t.Bytes) })
	})
}

// decodeTokenField reads the token, logprob or bytes member of a token
// object; it skips any other.
func decodeTokenField(s *scanner, key []byte, token *string, logprob *float64, b *[]byte) error {
	var err error
	switch string(key) {
	case "token":
		*token, err = s.optStr()
	case "logprob":
		if !s.null() {
			*logprob, err = s.float()
		}
	case "bytes":
		*b, err = decodeByteList(s)
	default:
		return s.skip()
	}
	return err
}

// decodeByteList reads a list of integers from 0 to 255, or null (as nil).
func decodeByteList(s *scanner) ([]byte, error) {
	if s.null() {
		return nil, nil
	}
	b := []byte{}
	err := s.array(func(int) error {
		n, err := s.integer()
		if err != nil {
			return err
		}
		if n < 0 || n > 255 {
			return errInvalid("a byte must be an integer from 0 to 255, but got " + strconv.FormatInt(n, 10) + ".")
		}
		b = append(b, byte(n))
		return nil
	})
	return b, err
}
