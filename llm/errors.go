package llm

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrorKind classifies a failure; it decides the HTTP status, whether the
// dispatcher may retry, and the error type in each wire format.
type ErrorKind string

// The error kinds.
const (
	KindInvalidRequest ErrorKind = "invalid_request" // 400: the caller's request is wrong
	KindAuth           ErrorKind = "authentication"  // 401: missing or bad credentials
	KindPermission     ErrorKind = "permission"      // 403: not allowed
	KindNotFound       ErrorKind = "not_found"       // 404: unknown model or path
	KindTooLarge       ErrorKind = "too_large"       // 413: body over the limit
	KindUnprocessable  ErrorKind = "unprocessable"   // 422: well-formed but unusable
	KindRateLimit      ErrorKind = "rate_limit"      // 429: slow down
	KindUpstream       ErrorKind = "upstream"        // 502: upstream failed or sent garbage
	KindUnavailable    ErrorKind = "unavailable"     // 503: no upstream can serve now
	KindTimeout        ErrorKind = "timeout"         // 504: deadline passed
	KindCanceled       ErrorKind = "canceled"        // 499: the client went away
	KindInternal       ErrorKind = "internal"        // 500: a bug of ours
)

var kindStatus = map[ErrorKind]int{
	KindInvalidRequest: http.StatusBadRequest,
	KindAuth:           http.StatusUnauthorized,
	KindPermission:     http.StatusForbidden,
	KindNotFound:       http.StatusNotFound,
	KindTooLarge:       http.StatusRequestEntityTooLarge,
	KindUnprocessable:  http.StatusUnprocessableEntity,
	KindRateLimit:      http.StatusTooManyRequests,
	KindUpstream:       http.StatusBadGateway,
	KindUnavailable:    http.StatusServiceUnavailable,
	KindTimeout:        http.StatusGatewayTimeout,
	KindCanceled:       499,
	KindInternal:       http.StatusInternalServerError,
}

// Status returns the HTTP status of the kind (500 for an unknown kind).
func (k ErrorKind) Status() int {
	if s, ok := kindStatus[k]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Codes of upstream rejections that the dispatcher treats specially;
// provider adapters set them on an Error's Code whatever the upstream's
// own wording.
const (
	// CodeContextLength: the request does not fit the model's context
	// window; a candidate with a larger window may still take it.
	CodeContextLength = "context_length_exceeded"
	// CodeContentFilter: the upstream's content policy rejected the
	// request or its answer; the message says why.
	CodeContentFilter = "content_filter"
	// CodeFlexUnavailable: OpenAI had no flex processing capacity for a
	// request for service_tier flex (a 429, not billed). It limits the
	// deployment's flex requests only, not its standard traffic.
	CodeFlexUnavailable = "resource_unavailable"
	// CodeFastRateLimited: Claude's fast mode has a rate limit of its own,
	// apart from the model's standard one, and a request in fast mode
	// exceeded it (a 429). It limits the deployment's fast requests only:
	// the same request may go on at standard speed at once.
	CodeFastRateLimited = "fast_mode_rate_limited"
	// CodeModelUnsupported: the deployment's model cannot take something
	// the request asks for — a parameter or value it does not support,
	// more output tokens than it allows, an input or feature it lacks
	// (images, tools, system instructions, JSON mode). The request is not
	// wrong: another model may take it as it is, so the dispatcher goes
	// on to the next candidate, and the refusal says nothing of the
	// deployment's health.
	CodeModelUnsupported = "model_unsupported"
	// CodeModelNotFound: the deployment's model does not exist at its
	// provider, or the provider's key, project or region has no access to
	// it: the deployment is misconfigured. The dispatcher goes on to the
	// next candidate and counts it as a failure of the deployment.
	CodeModelNotFound = "model_not_found"
	// CodeNoResponsesRoute: an OpenAI-compatible host (not api.openai.com)
	// answered a request the adapter sent to its /responses route, the
	// deployment's api being auto, with a 404 that is not OpenAI's
	// model_not_found (FastAPI's {"detail":"Not Found"}, Go's "404 page
	// not found", an HTML page, an empty body): the host has no such
	// route. The dispatcher marks the deployment and sends the request on
	// Chat Completions instead when Chat can carry it.
	CodeNoResponsesRoute = "responses_route_missing"
	// CodeUpstreamAuth: the upstream refused the provider's credentials
	// (a 401 or 403, Gemini's API_KEY_INVALID): the deployment is
	// misconfigured, not the client's request nor its key to the router.
	// The dispatcher goes on to the next candidate and opens the
	// deployment's breaker at once; alone, the client gets a 502.
	CodeUpstreamAuth = "upstream_auth_failed"
	// CodeAnswerTooLarge: the upstream's answer passed the router's limit
	// on an answer it holds whole (server.max_answer_bytes): a complete
	// one, or a streamed Responses API one. Set by the router, not an
	// upstream: the dispatcher abandons the attempt and goes on to the
	// next candidate; alone, the client gets a 502.
	CodeAnswerTooLarge = "answer_too_large"
)

// Error is the one error type of the router. Message is what the client
// may see and must never hold a secret; Err is the cause, for the log only.
type Error struct {
	Kind ErrorKind
	// Status is the HTTP status to answer with; zero means Kind.Status().
	Status int
	// Message says what went wrong and what to do, safe for the client.
	Message string
	// Param names the offending request field, if any.
	Param string
	// Code is a short machine-readable code, if any.
	Code string
	// Retryable reports whether another attempt (here or elsewhere) may work.
	Retryable bool
	// RetryAfter is the upstream's Retry-After, if it sent one, or how
	// long the router's own refusal lasts (a rate limit, a spent budget,
	// every candidate's breaker open); zero when unknown.
	RetryAfter time.Duration
	// Provider names the upstream that failed, if any.
	Provider string
	// Err is the underlying cause; it is logged, never sent to the client.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	s := string(e.Kind) + ": " + e.Message
	if e.Provider != "" {
		s = e.Provider + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// HTTPStatus returns the status to answer with.
func (e *Error) HTTPStatus() int {
	if e.Status != 0 {
		return e.Status
	}
	return e.Kind.Status()
}

// Errorf returns an *Error of the given kind with a formatted client message.
// Retryable is set for the kinds that are retryable by nature.
func Errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), Retryable: kind.retryable()}
}

// Wrap returns an *Error of the given kind with a client message and a cause.
func Wrap(kind ErrorKind, cause error, msg string) *Error {
	return &Error{Kind: kind, Message: msg, Err: cause, Retryable: kind.retryable()}
}

func (k ErrorKind) retryable() bool {
	switch k {
	case KindRateLimit, KindUpstream, KindUnavailable, KindTimeout:
		return true
	}
	return false
}

// AsError returns err as an *Error, wrapping any other error as internal.
// It returns nil for a nil err.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Message: "internal error", Err: err}
}

// KindFromStatus maps an upstream HTTP status to an error kind.
func KindFromStatus(status int) ErrorKind {
	switch {
	case status == http.StatusBadRequest:
		return KindInvalidRequest
	case status == http.StatusUnauthorized:
		return KindAuth
	case status == http.StatusForbidden:
		return KindPermission
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusRequestEntityTooLarge:
		return KindTooLarge
	case status == http.StatusUnprocessableEntity:
		return KindUnprocessable
	case status == http.StatusTooManyRequests:
		return KindRateLimit
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return KindTimeout
	case status == http.StatusServiceUnavailable || status == 529: // 529: Anthropic overloaded
		return KindUnavailable
	case status >= 500:
		return KindUpstream
	case status >= 400:
		return KindInvalidRequest
	}
	return KindUpstream
}
