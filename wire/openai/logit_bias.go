package openai

import (
	"encoding/json"
	"errors"

	"switchyard/llm"
)

// decodeLogitBias reads logit_bias, which the router does not model but
// checks as OpenAI does before keeping it verbatim in Extra (for the
// upstreams that take it): an object (or null) whose keys are token ids,
// non-negative integers, and whose values are numbers from -100 to 100.
func decodeLogitBias(s *scanner, req *llm.Request) error {
	s.peek()
	start := s.pos
	if !s.null() {
		var badKey string
		err := s.object(func(key []byte) error {
			if !isTokenID(key) {
				badKey = string(key)
				return errBadLogitKey
			}
			_, err := optFloatIn(s, -100, 100)
			return err
		})
		if err == errBadLogitKey {
			return &fieldError{whole: "Invalid key in 'logit_bias': " + clip(badKey) + ". You should only be submitting non-negative integers."}
		}
		if err != nil {
			return err
		}
	}
	if req.Extra == nil {
		req.Extra = make(map[string]json.RawMessage, 4)
	}
	req.Extra[ExtraLogitBias] = append(json.RawMessage(nil), s.data[start:s.pos]...)
	return nil
}

// errBadLogitKey stops the scan of logit_bias at a key that is no token
// id; decodeLogitBias words it.
var errBadLogitKey = errors.New("openai: a logit_bias key that is no token id")

// isTokenID reports whether key is a token id: decimal digits, at least one.
func isTokenID(key []byte) bool {
	for _, c := range key {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(key) > 0
}
