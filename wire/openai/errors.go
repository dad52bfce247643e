package openai

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"switchyard/llm"
)

// ErrorType returns the OpenAI error "type" for a kind. It follows what
// OpenAI itself sends where OpenAI is consistent, and a descriptive name in
// the same style where it is not:
//
//	invalid_request, not_found, too_large,
//	unprocessable, authentication      invalid_request_error (OpenAI uses it for
//	                                   bad keys, unknown models and unknown paths)
//	permission                         permission_error
//	rate_limit                         rate_limit_error
//	unavailable                        service_unavailable_error
//	timeout                            timeout_error
//	canceled                           request_canceled
//	upstream, internal, anything else  server_error
//
// Clients and the official SDKs tell errors apart by HTTP status (and code),
// so the type is for people reading it.
func ErrorType(k llm.ErrorKind) string {
	switch k {
	case llm.KindInvalidRequest, llm.KindNotFound, llm.KindTooLarge, llm.KindUnprocessable, llm.KindAuth:
		return "invalid_request_error"
	case llm.KindPermission:
		return "permission_error"
	case llm.KindRateLimit:
		return "rate_limit_error"
	case llm.KindUnavailable:
		return "service_unavailable_error"
	case llm.KindTimeout:
		return "timeout_error"
	case llm.KindCanceled:
		return "request_canceled"
	}
	return "server_error"
}

// CodeOverloaded is the code of an upstream's overload, as OpenAI's own
// 503 carries it ({"type":"service_unavailable_error","code":
// "server_is_overloaded"}). ErrorCode gives it to every upstream's
// overload alike — Anthropic's 529 and overloaded_error event, Azure's
// ServiceUnavailable, Gemini's UNAVAILABLE, a bare 503 — before a stream
// or in it, so an OpenAI client tells an overload by one code.
const CodeOverloaded = "server_is_overloaded"

// overloadCodes are the codes upstreams give their overloads (and
// 503s): OpenAI's, Anthropic's error type, Azure's, Gemini's status,
// and the OpenAI-compatible servers'.
var overloadCodes = map[string]bool{
	CodeOverloaded: true, "overloaded_error": true, "ServiceUnavailable": true, "UNAVAILABLE": true,
	"service_unavailable": true, "service_unavailable_error": true, "slow_down": true,
	"engine_overloaded_error": true, "overloaded": true,
}

// ErrorCode is the code an OpenAI-shaped error carries for e: its own,
// but CodeOverloaded for an upstream's unavailability (the unavailable
// kind, with an overload's code or, from an upstream, none). The
// router's own 503s (an open breaker, a shutdown, its own admission
// limit's server_overloaded) keep theirs.
func ErrorCode(e *llm.Error) string {
	if e.Kind == llm.KindUnavailable && (overloadCodes[e.Code] || e.Code == "" && e.Provider != "") {
		return CodeOverloaded
	}
	return e.Code
}

// AppendError appends e as OpenAI's error body:
// {"error":{"message":...,"type":...,"param":...|null,"code":...|null}}.
// An empty message is replaced by the status text; a nil e is written as an
// internal error.
func AppendError(dst []byte, e *llm.Error) []byte {
	if e == nil {
		e = &llm.Error{Kind: llm.KindInternal}
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.HTTPStatus())
		if msg == "" {
			msg = "error " + strconv.Itoa(e.HTTPStatus())
		}
	}
	dst = append(dst, `{"error":{"message":`...)
	dst = appendString(dst, msg)
	dst = append(dst, `,"type":`...)
	dst = appendString(dst, ErrorType(e.Kind))
	dst = append(dst, `,"param":`...)
	dst = appendNullString(dst, e.Param)
	dst = append(dst, `,"code":`...)
	dst = appendNullString(dst, ErrorCode(e))
	return append(dst, '}', '}')
}

// errorBody is what an error payload says, whichever of the shapes the
// vendors use it came in.
type errorBody struct {
	message, typ, param, code string
	status                    int // a numeric "code" (vLLM sends the HTTP status)
	// googleStatus is a Google error's "status" (INVALID_ARGUMENT,
	// RESOURCE_EXHAUSTED…), which Google's OpenAI compatibility endpoint
	// sends beside a numeric code.
	googleStatus string
	found        bool
}

// parseErrorBody reads {"error": {...}}, {"error": "text"},
// {"object": "error", "message": ..., "type": ..., "code": 400} (vLLM) or
// {"detail": "text"} (FastAPI servers), or an array whose first element
// is one of those: Google's OpenAI compatibility endpoint answers
// [{"error": {"code": 400, "message": ..., "status": "INVALID_ARGUMENT"}}]
// (peers' threads: manthanabc/paws#103, niki914/zafiro#100). It reports
// found=false for any other payload.
func parseErrorBody(data []byte) errorBody {
	s := scanner{data: data}
	switch s.peek() {
	case '{':
		return parseErrorObject(&s)
	case '[':
		var b errorBody
		err := s.array(func(i int) error {
			if i > 0 || s.peek() != '{' {
				return s.skip()
			}
			b = parseErrorObject(&s)
			if !b.found {
				return errNotError
			}
			return nil
		})
		if err != nil {
			return errorBody{}
		}
		return b
	}
	return errorBody{}
}

// errNotError stops reading an array whose first element is no error.
var errNotError = errors.New("not an error payload")

// parseErrorObject reads one error payload object (parseErrorBody).
func parseErrorObject(s *scanner) errorBody {
	var top, inner errorBody
	isErrObject := false
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "error":
			var err error
			inner, err = errorValue(s)
			return err
		case "object":
			v, err := s.optStr()
			isErrObject = v == "error"
			return err
		case "detail":
			if s.peek() != '"' {
				return s.skip()
			}
			m, err := s.str()
			top.message, top.found = m, true
			return err
		}
		return errorField(s, &top, key)
	})
	switch {
	case err != nil:
		return errorBody{}
	case inner.found:
		return inner
	case isErrObject:
		top.found = true
		return top
	case top.found && top.typ == "" && top.code == "":
		return top
	}
	return errorBody{}
}

// errorValue reads the value of an "error" member: an object, a string or
// null.
func errorValue(s *scanner) (errorBody, error) {
	var b errorBody
	switch s.peek() {
	case 'n':
		s.null()
		return b, nil
	case '"':
		m, err := s.str()
		return errorBody{message: m, found: true}, err
	}
	b.found = true
	err := s.object(func(key []byte) error { return errorField(s, &b, key) })
	return b, err
}

// decodeErrorValue reads an "error" member of a response as the error it
// reports, or nil for null.
func decodeErrorValue(s *scanner) (*llm.Error, error) {
	b, err := errorValue(s)
	if err != nil || !b.found {
		return nil, err
	}
	return errorFromBody(b), nil
}

// errorField reads one member of an error object.
func errorField(s *scanner, b *errorBody, key []byte) error {
	var err error
	switch string(key) {
	case "message":
		if s.peek() != '"' {
			return s.skip()
		}
		b.message, err = s.str()
	case "type":
		b.typ, err = s.optStr()
	case "status":
		b.googleStatus, err = s.optStr()
	case "param":
		if s.peek() != '"' {
			return s.skip()
		}
		b.param, err = s.str()
	case "code":
		switch c := s.peek(); {
		case c == '"':
			b.code, err = s.str()
		case c == '-' || c >= '0' && c <= '9':
			b.status, err = s.loose()
		default:
			return s.skip()
		}
	default:
		return s.skip()
	}
	return err
}

// DecodeErrorMessage returns the message of an upstream error body, or ""
// if the body is not an error payload it recognizes.
func DecodeErrorMessage(body []byte) string {
	return parseErrorBody(body).message
}

// MayHoldStreamError reports whether the stream payload data may carry an
// error (DecodeStreamError): it names "error" somewhere, or holds a \u
// escape of a letter (EscapesLetter), which may spell that key or the
// value of "object". A cheap test before DecodeStreamError on every chunk.
func MayHoldStreamError(data []byte) bool {
	return bytes.Contains(data, []byte(`"error"`)) || EscapesLetter(data)
}

// DecodeStreamError returns the error carried by a stream payload of the
// form {"error": {...}} (or a vendor's variant, see DecodeErrorMessage), or
// nil if the payload is not an error. The kind comes from the error's type
// and code: rate limits and quota are rate_limit, overload is unavailable,
// timeouts are timeout, request errors are invalid_request; an upstream's
// refusal of our credentials is upstream (a gateway configuration problem,
// not the caller's); anything else is a retryable upstream error.
func DecodeStreamError(data []byte) *llm.Error {
	b := parseErrorBody(data)
	if !b.found {
		return nil
	}
	return errorFromBody(b)
}

func errorFromBody(b errorBody) *llm.Error {
	kind := errorKind(b)
	msg := b.message
	if msg == "" {
		msg = "upstream reported an error"
		if b.typ != "" {
			msg += " of type " + b.typ
		}
	}
	e := llm.Errorf(kind, "%s", msg)
	e.Param, e.Code = b.param, b.code
	if kind == llm.KindUpstream && (b.typ == "authentication_error" || b.code == "invalid_api_key" || b.typ == "permission_error" ||
		b.googleStatus == "UNAUTHENTICATED" || b.googleStatus == "PERMISSION_DENIED") {
		e.Retryable = false
	}
	return e
}

// googleStatusKind maps the status of a Google error (Google's OpenAI
// compatibility endpoint; cloud.google.com/apis/design/errors) to a kind.
var googleStatusKind = map[string]llm.ErrorKind{
	"INVALID_ARGUMENT": llm.KindInvalidRequest, "FAILED_PRECONDITION": llm.KindInvalidRequest,
	"OUT_OF_RANGE": llm.KindInvalidRequest, "NOT_FOUND": llm.KindNotFound,
	"RESOURCE_EXHAUSTED": llm.KindRateLimit, "UNAVAILABLE": llm.KindUnavailable,
	"DEADLINE_EXCEEDED": llm.KindTimeout,
	// Google's refusal of our key is a gateway configuration problem.
	"UNAUTHENTICATED": llm.KindUpstream, "PERMISSION_DENIED": llm.KindUpstream,
}

// errorKind maps an upstream error's type and code to a kind.
func errorKind(b errorBody) llm.ErrorKind {
	for _, v := range [2]string{b.code, b.typ} {
		switch v {
		case "rate_limit_exceeded", "rate_limit_error", "insufficient_quota", "requests", "tokens":
			return llm.KindRateLimit
		case "server_is_overloaded", "service_unavailable_error", "overloaded_error", "slow_down":
			return llm.KindUnavailable
		case "timeout", "timeout_error":
			return llm.KindTimeout
		case "authentication_error", "invalid_api_key", "permission_error":
			return llm.KindUpstream
		case "context_length_exceeded", "invalid_request_error", "content_filter", "content_policy_violation":
			return llm.KindInvalidRequest
		case "model_not_found", "not_found_error":
			return llm.KindNotFound
		}
	}
	if k, ok := googleStatusKind[b.googleStatus]; ok {
		return k
	}
	if b.status >= 400 {
		if k := llm.KindFromStatus(b.status); k != llm.KindAuth && k != llm.KindPermission {
			return k
		}
	}
	return llm.KindUpstream
}
