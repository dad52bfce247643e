package openai

import (
	"errors"
	"strconv"
	"unicode/utf8"

	"switchyard/llm"
)

// syntaxError is malformed JSON at a byte offset.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string {
	return e.msg + " (at byte offset " + strconv.Itoa(e.off) + ")"
}

// fieldError is a well-formed value that is wrong where it stands. Its path
// is built while the error unwinds through object members and array
// elements; its message is before + path + after.
type fieldError struct {
	segs          []string // innermost first: member names and "[i]"
	before, after string
	// whole, when set, is the message instead (one that names no path,
	// as OpenAI words some), and code the error's code ("" for none).
	whole, code string
}

func (e *fieldError) Error() string {
	if e.whole != "" {
		return e.whole
	}
	return e.before + e.param() + e.after
}

// in adds an enclosing member name to the path.
func (e *fieldError) in(name string) *fieldError {
	e.segs = append(e.segs, name)
	return e
}

// param returns the path in OpenAI's notation: messages[2].content.
func (e *fieldError) param() string {
	n := 0
	for _, s := range e.segs {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	for i := len(e.segs) - 1; i >= 0; i-- {
		s := e.segs[i]
		if len(b) > 0 && (s == "" || s[0] != '[') {
			b = append(b, '.')
		}
		b = append(b, s...)
	}
	return string(b)
}

func inField(err error, key []byte) error {
	if fe, ok := err.(*fieldError); ok {
		fe.in(string(key))
	}
	return err
}

func inIndex(err error, i int) error {
	if fe, ok := err.(*fieldError); ok {
		fe.in("[" + strconv.Itoa(i) + "]")
	}
	return err
}

func errType(want, got string) *fieldError {
	return &fieldError{before: "Invalid type for '", after: "': expected " + want + ", but got " + got + " instead."}
}

func errMissing() *fieldError {
	return &fieldError{before: "Missing required parameter: '", after: "'."}
}

// errInvalid says what is wrong with the value and what to send instead.
func errInvalid(detail string) *fieldError {
	return &fieldError{before: "Invalid '", after: "': " + detail}
}

func errEnum(got, supported string) *fieldError {
	return &fieldError{before: "Invalid value for '", after: "': '" + clip(got) + "'. Supported values are: " + supported + "."}
}

// errPartType is OpenAI's refusal of a content part of a type its
// message does not take, as OpenAI words it: no path in the message, the
// part's path as the param, code invalid_value.
func errPartType(got, supported string) *fieldError {
	return &fieldError{whole: "Invalid value: '" + clip(got) + "'. Supported values are: " + supported + ".", code: "invalid_value"}
}

// clip shortens a client's value quoted back in a message to 64 bytes,
// on a rune boundary.
func clip(s string) string {
	if len(s) <= 64 {
		return s
	}
	i := 64
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

func errEmptyArray() *fieldError {
	return errInvalid("empty array. Expected an array with minimum length 1, but got an empty array instead.")
}

// requestError turns a decoding failure of a client body into the
// *llm.Error the client sees. A field error in a body that is not valid JSON
// further on is reported as the syntax error, as a full parse would.
func requestError(data []byte, err error) *llm.Error {
	var fe *fieldError
	if errors.As(err, &fe) {
		if serr := checkSyntax(data); serr != nil {
			err = serr
		} else {
			return &llm.Error{Kind: llm.KindInvalidRequest, Message: fe.Error(), Param: fe.param(), Code: fe.code}
		}
	}
	var se *syntaxError
	if errors.As(err, &se) {
		return &llm.Error{Kind: llm.KindInvalidRequest, Message: "We could not parse the JSON body of your request: " +
			se.Error() + ". The API expects a JSON object; check that the body is valid JSON (quotes, commas, " +
			"brackets and escapes) and that it is sent with Content-Type: application/json."}
	}
	if le, ok := err.(*llm.Error); ok {
		return le
	}
	return &llm.Error{Kind: llm.KindInvalidRequest, Message: err.Error(), Err: err}
}

// upstreamError turns a decoding failure of an upstream payload into an
// *llm.Error of kind upstream: the client did nothing wrong.
func upstreamError(what string, data []byte, err error) *llm.Error {
	if _, ok := err.(*fieldError); ok {
		if serr := checkSyntax(data); serr != nil {
			err = serr
		}
	}
	return &llm.Error{
		Kind:      llm.KindUpstream,
		Message:   "upstream sent a malformed " + what + ": " + err.Error(),
		Retryable: true,
		Err:       err,
	}
}

// checkSyntax returns the first syntax error of data, or nil if it is one
// valid JSON value.
func checkSyntax(data []byte) error {
	s := scanner{data: data}
	if err := s.skip(); err != nil {
		return err
	}
	return s.end()
}

// notObject reports a body whose top-level value is not an object.
func notObject(s *scanner) error {
	if s.peek() == '{' {
		return nil
	}
	if err := checkSyntax(s.data); err != nil {
		return err
	}
	return &syntaxError{off: s.pos, msg: "expected a JSON object, but got " + s.kind()}
}
