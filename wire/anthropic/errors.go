package anthropic

import (
	"encoding/json"
	"net/http"

	"switchyard/llm"
)

// ErrorType is the "type" of an Anthropic error object.
type ErrorType string

// The documented error types.
const (
	InvalidRequestError ErrorType = "invalid_request_error" // 400
	AuthenticationError ErrorType = "authentication_error"  // 401
	BillingError        ErrorType = "billing_error"         // 402
	PermissionError     ErrorType = "permission_error"      // 403
	NotFoundError       ErrorType = "not_found_error"       // 404
	RequestTooLarge     ErrorType = "request_too_large"     // 413
	RateLimitError      ErrorType = "rate_limit_error"      // 429
	APIError            ErrorType = "api_error"             // 500
	TimeoutError        ErrorType = "timeout_error"         // 504
	OverloadedError     ErrorType = "overloaded_error"      // 529
)

// StatusOverloaded is the HTTP status Anthropic answers overloaded_error with.
const StatusOverloaded = 529

var typeInfo = map[ErrorType]struct {
	status int
	kind   llm.ErrorKind
}{
	InvalidRequestError: {http.StatusBadRequest, llm.KindInvalidRequest},
	AuthenticationError: {http.StatusUnauthorized, llm.KindAuth},
	BillingError:        {http.StatusPaymentRequired, llm.KindUpstream},
	PermissionError:     {http.StatusForbidden, llm.KindPermission},
	NotFoundError:       {http.StatusNotFound, llm.KindNotFound},
	RequestTooLarge:     {http.StatusRequestEntityTooLarge, llm.KindTooLarge},
	RateLimitError:      {http.StatusTooManyRequests, llm.KindRateLimit},
	APIError:            {http.StatusInternalServerError, llm.KindUpstream},
	TimeoutError:        {http.StatusGatewayTimeout, llm.KindTimeout},
	OverloadedError:     {StatusOverloaded, llm.KindUnavailable},
}

// Status returns the HTTP status the API answers the error type with
// (500 for an unknown type).
func (t ErrorType) Status() int {
	if i, ok := typeInfo[t]; ok {
		return i.status
	}
	return http.StatusInternalServerError
}

// Kind returns the canonical error kind of the type; an unknown type is an
// upstream failure.
func (t ErrorType) Kind() llm.ErrorKind {
	if i, ok := typeInfo[t]; ok {
		return i.kind
	}
	return llm.KindUpstream
}

// ErrorTypeFor returns the Anthropic error type that best reports an error
// of kind k to an Anthropic client.
func ErrorTypeFor(k llm.ErrorKind) ErrorType {
	switch k {
	case llm.KindInvalidRequest, llm.KindUnprocessable:
		return InvalidRequestError
	case llm.KindAuth:
		return AuthenticationError
	case llm.KindPermission:
		return PermissionError
	case llm.KindNotFound:
		return NotFoundError
	case llm.KindTooLarge:
		return RequestTooLarge
	case llm.KindRateLimit:
		return RateLimitError
	case llm.KindUnavailable:
		return OverloadedError
	case llm.KindTimeout:
		return TimeoutError
	}
	return APIError
}

// ErrorResponse is the body of every error answer, and the data of a
// stream's error event: {"type":"error","error":{"type":…,"message":…}}.
type ErrorResponse struct {
	Type  string      `json:"type"` // always "error"
	Error ErrorObject `json:"error"`
	// RequestID is sent by the API on HTTP error answers; empty means absent.
	RequestID string `json:"request_id,omitempty"`
}

// ErrorObject is the error itself.
type ErrorObject struct {
	Type    ErrorType `json:"type"`
	Message string    `json:"message"`
}

// NewErrorResponse returns the error body for t and msg.
func NewErrorResponse(t ErrorType, msg, requestID string) *ErrorResponse {
	return &ErrorResponse{Type: "error", Error: ErrorObject{Type: t, Message: msg}, RequestID: requestID}
}

// ParseError decodes an error body. It reports false when body is not in
// Anthropic's error shape.
func ParseError(body []byte) (ErrorObject, bool) {
	var e struct {
		Type  string       `json:"type"`
		Error *ErrorObject `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error == nil || e.Error.Type == "" {
		return ErrorObject{}, false
	}
	return *e.Error, true
}

// ToLLMError turns an error object (from an error event or body) into an
// *llm.Error of the type's kind; Retryable follows the kind, so
// overloaded_error is a retryable unavailable error.
func (o ErrorObject) ToLLMError() *llm.Error {
	e := llm.Errorf(o.Type.Kind(), "anthropic %s: %s", o.Type, o.Message)
	e.Code = string(o.Type)
	return e
}
