package gemini

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
)

// Canonical google.rpc.Code names the Gemini API puts in Status.Status.
const (
	StatusInvalidArgument    = "INVALID_ARGUMENT"
	StatusFailedPrecondition = "FAILED_PRECONDITION"
	StatusUnauthenticated    = "UNAUTHENTICATED"
	StatusPermissionDenied   = "PERMISSION_DENIED"
	StatusNotFound           = "NOT_FOUND"
	StatusResourceExhausted  = "RESOURCE_EXHAUSTED"
	StatusInternal           = "INTERNAL"
	StatusUnavailable        = "UNAVAILABLE"
	StatusDeadlineExceeded   = "DEADLINE_EXCEEDED"
)

// ReasonAPIKeyInvalid is the ErrorInfo reason of a rejected API key, which
// the API reports as 400 INVALID_ARGUMENT rather than 401.
const ReasonAPIKeyInvalid = "API_KEY_INVALID"

// ErrorResponse is the body of every failed call (and of an error event in
// a stream): {"error":{"code","message","status","details"}}.
type ErrorResponse struct {
	Error Status `json:"error"`
}

// Status is a google.rpc.Status: HTTP-like Code, the canonical Status name,
// a developer Message and typed Details (each with an "@type").
type Status struct {
	Code    int               `json:"code"`
	Message string            `json:"message"`
	Status  string            `json:"status,omitempty"`
	Details []json.RawMessage `json:"details,omitempty"`
}

// NewError returns the error body for code with its canonical status name.
func NewError(code int, message string) *ErrorResponse {
	return &ErrorResponse{Error: Status{Code: code, Message: message, Status: StatusName(code)}}
}

// StatusName returns the canonical status name the API pairs with an HTTP
// status code.
func StatusName(code int) string {
	switch code {
	case http.StatusBadRequest:
		return StatusInvalidArgument
	case http.StatusUnauthorized:
		return StatusUnauthenticated
	case http.StatusForbidden:
		return StatusPermissionDenied
	case http.StatusNotFound:
		return StatusNotFound
	case http.StatusTooManyRequests:
		return StatusResourceExhausted
	case http.StatusServiceUnavailable:
		return StatusUnavailable
	case http.StatusGatewayTimeout:
		return StatusDeadlineExceeded
	}
	return StatusInternal
}

// KindOf maps a status name (preferred) or HTTP code to an error kind.
func KindOf(status string, code int) llm.ErrorKind {
	switch status {
	case StatusInvalidArgument, StatusFailedPrecondition:
		return llm.KindInvalidRequest
	case StatusUnauthenticated:
		return llm.KindAuth
	case StatusPermissionDenied:
		return llm.KindPermission
	case StatusNotFound:
		return llm.KindNotFound
	case StatusResourceExhausted:
		return llm.KindRateLimit
	case StatusUnavailable:
		return llm.KindUnavailable
	case StatusDeadlineExceeded:
		return llm.KindTimeout
	case StatusInternal:
		return llm.KindUpstream
	}
	if code == 0 {
		return llm.KindUpstream
	}
	return llm.KindFromStatus(code)
}

// ParseError decodes an error body. It reports false when body is not in
// the Gemini error shape.
func ParseError(body []byte) (*Status, bool) {
	var er struct {
		Error *Status `json:"error"`
	}
	if json.Unmarshal(body, &er) != nil || er.Error == nil || (er.Error.Message == "" && er.Error.Status == "" && er.Error.Code == 0) {
		return nil, false
	}
	return er.Error, true
}

// ErrorMessage extracts "STATUS: message" from an error body, or "" when
// body is not in the Gemini error shape. It suits
// provider.ErrorFromResponse.
func ErrorMessage(body []byte) string {
	st, ok := ParseError(body)
	if !ok {
		return ""
	}
	if st.Status == "" {
		return st.Message
	}
	return st.Status + ": " + st.Message
}

// HasReason reports whether the status carries an ErrorInfo detail with
// reason (e.g. ReasonAPIKeyInvalid). For ReasonAPIKeyInvalid the API's
// message alone also counts, for bodies that come without details.
func (s *Status) HasReason(reason string) bool {
	for _, d := range s.Details {
		var info struct {
			Reason string `json:"reason"`
		}
		if json.Unmarshal(d, &info) == nil && info.Reason == reason {
			return true
		}
	}
	return strings.Contains(s.Message, "API key not valid") && reason == ReasonAPIKeyInvalid
}

// maxRetryDelay caps RetryDelay: an upstream asking for more is as good as
// down, and the cap keeps a huge number from overflowing.
const maxRetryDelay = 24 * time.Hour

// RetryDelay returns the delay a google.rpc.RetryInfo detail asks for
// before trying again (its retryDelay, a google.protobuf.Duration in JSON:
// decimal seconds with an "s", e.g. "37s" or "1.5s"), capped at a day; 0
// when the status has none, or none that parses to a positive delay.
// Gemini sends it with 429 RESOURCE_EXHAUSTED instead of a Retry-After
// header.
func (s *Status) RetryDelay() time.Duration {
	for _, d := range s.Details {
		var info struct {
			Type       string `json:"@type"`
			RetryDelay string `json:"retryDelay"`
		}
		if json.Unmarshal(d, &info) != nil || !strings.HasSuffix(info.Type, "google.rpc.RetryInfo") {
			continue
		}
		v, ok := strings.CutSuffix(info.RetryDelay, "s")
		secs, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || !(secs > 0) {
			return 0
		}
		return time.Duration(min(secs, maxRetryDelay.Seconds()) * float64(time.Second))
	}
	return 0
}

// LLMError turns an error reported inside a stream (or any decoded Status)
// into an *llm.Error; the message is the upstream's, marked as such.
func (s *Status) LLMError() *llm.Error {
	kind := KindOf(s.Status, s.Code)
	msg := s.Message
	if s.Status != "" {
		msg = s.Status + ": " + msg
	}
	e := llm.Errorf(kind, "upstream error: %s", msg)
	if kind == llm.KindUpstream && s.Code >= 500 {
		e.Retryable = true
	}
	e.RetryAfter = s.RetryWait(time.Now())
	return e
}
