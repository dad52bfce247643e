package provider

import (
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/guard"
	"switchyard/llm"
)

// maxErrorBody bounds how much of an upstream error body is read.
const maxErrorBody = 64 << 10

// Bounds of the upstream text quoted in an error message: the upstream's
// own message (from extract) and, failing that, the raw body.
const (
	maxQuotedMessage = 1000
	maxQuotedBody    = 300
)

// ErrorFromResponse turns a non-2xx upstream response into an *llm.Error.
// It reads (and closes) at most 64 KiB of the body and asks extract for the
// upstream's own message; extract may be nil, and an empty result means the
// body itself is quoted. The provider's secrets (see Secrets) and every
// secret Redact knows are redacted from the message before it is cut to
// length, so no fragment of one survives. The caller must not use
// resp.Body afterwards.
func ErrorFromResponse(name string, secrets []string, resp *http.Response, extract func([]byte) string) *llm.Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	msg, limit := "", maxQuotedMessage
	if extract != nil {
		msg = extract(body)
	}
	if msg == "" {
		msg, limit = strings.TrimSpace(string(body)), maxQuotedBody
	}
	msg = cut(Redact(msg, secrets...), limit)
	kind := upstreamKind(resp.StatusCode)
	said := fmt.Sprintf("upstream %s returned %d: %s", name, resp.StatusCode, msg)
	if msg == "" { // a bare status (a proxy's 502, a 529 with no body)
		said = fmt.Sprintf("upstream %s returned %d with an empty body", name, resp.StatusCode)
	}
	e := &llm.Error{
		Kind:       kind,
		Message:    said,
		Provider:   name,
		Retryable:  kind == llm.KindRateLimit || kind == llm.KindUpstream || kind == llm.KindUnavailable || kind == llm.KindTimeout,
		RetryAfter: RetryAfter(resp.Header),
	}
	if e.RetryAfter == 0 && resp.StatusCode == http.StatusTooManyRequests {
		e.RetryAfter = rateLimitReset(resp.Header)
	}
	Classify(e)
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Message = redirectMessage(name, resp)
	}
	switch kind {
	case llm.KindAuth, llm.KindPermission:
		// The upstream rejected *our* provider credentials: that is a
		// gateway configuration problem, not the caller's.
		e.Kind = llm.KindUpstream
		e.Status = http.StatusBadGateway
		e.Message = fmt.Sprintf("upstream %s rejected the configured credentials (%d): %s; check the provider's api_key in the router config", name, resp.StatusCode, msg)
		if e.Code != llm.CodeModelNotFound {
			e.Code = llm.CodeUpstreamAuth
		} else {
			e.Message = fmt.Sprintf("upstream %s gives the configured key no access to the deployment's model (%d): %s; check the deployment's model and the key's project and region in the router config", name, resp.StatusCode, msg)
		}
		e.Retryable = false
	}
	return e
}

// upstreamKind maps the status of an upstream's answer to an error kind:
// as llm.KindFromStatus does, except for two 4xx that are no fault of the
// caller's request: 425 Too Early (the upstream asks for the same request
// again, RFC 8470) and 499, which a proxy in front of the upstream (nginx)
// logs when the upstream behind it took too long and the proxy gave up
// (the router itself was still waiting, or it would not read the answer).
func upstreamKind(status int) llm.ErrorKind {
	if status == http.StatusTooEarly || status == 499 {
		return llm.KindUpstream
	}
	return llm.KindFromStatus(status)
}

// rateLimitReset reads OpenAI's rate-limit headers (also sent by Groq and
// other compatible APIs) on a 429 that has no Retry-After: the time until
// the exhausted budget (x-ratelimit-remaining-requests or -tokens "0")
// resets, given in x-ratelimit-reset-requests or -tokens as a duration
// such as "1s", "6m0s" or "7.66s"; the longer of the two when both are
// exhausted. It returns 0 when neither is, or a reset does not parse.
func rateLimitReset(h http.Header) time.Duration {
	var d time.Duration
	for _, budget := range []string{"requests", "tokens"} {
		if h.Get("X-Ratelimit-Remaining-"+budget) != "0" {
			continue
		}
		r, err := time.ParseDuration(h.Get("X-Ratelimit-Reset-" + budget))
		if err != nil || r < 0 {
			continue
		}
		d = max(d, min(r, maxRetryAfter))
	}
	return d
}

// RetryAfter parses Retry-After (seconds or HTTP date) and the
// retry-after-ms header some APIs send. It returns 0 when absent, invalid
// or in the past, and caps absurd values at maxRetryAfter.
func RetryAfter(h http.Header) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return seconds(ms / 1000)
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return seconds(s)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

// maxRetryAfter caps a parsed Retry-After; an upstream asking for more is
// as good as down, and the cap keeps the arithmetic of callers from
// overflowing.
const maxRetryAfter = 24 * time.Hour

// seconds converts a non-negative number of seconds, capped (a plain
// conversion of +Inf or 1e300 overflows to a negative duration).
func seconds(s float64) time.Duration {
	if s >= maxRetryAfter.Seconds() {
		return maxRetryAfter
	}
	return time.Duration(s * float64(time.Second))
}

// TransportError maps a failure to reach or read from the upstream.
func TransportError(name string, ctx context.Context, err error) *llm.Error {
	var le *llm.Error
	if errors.As(err, &le) {
		return le
	}
	// The cause, not Err: a context that follows another one's
	// cancellation carries the original reason (deadline or cancel) as it.
	cause := context.Cause(ctx)
	var own *llm.Error
	switch {
	case errors.As(cause, &own) && own.Kind == llm.KindTimeout:
		// The router's own deadline (server.request_timeout, the
		// client's timeout), ended with its own words: a timeout, not
		// a client gone.
		return &llm.Error{Kind: llm.KindTimeout, Code: own.Code, Message: own.Message, Provider: name, Retryable: own.Retryable, Err: err}
	case errors.Is(cause, context.DeadlineExceeded):
		return &llm.Error{Kind: llm.KindTimeout, Message: fmt.Sprintf("upstream %s did not answer before the deadline", name), Provider: name, Retryable: true, Err: err}
	case cause != nil || errors.Is(err, context.Canceled):
		return &llm.Error{Kind: llm.KindCanceled, Message: "request canceled", Provider: name, Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &llm.Error{Kind: llm.KindTimeout, Message: fmt.Sprintf("upstream %s did not answer before the deadline", name), Provider: name, Retryable: true, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &llm.Error{Kind: llm.KindTimeout, Message: fmt.Sprintf("upstream %s timed out", name), Provider: name, Retryable: true, Err: err}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &llm.Error{Kind: llm.KindUpstream, Message: fmt.Sprintf("upstream %s closed the connection mid-response", name), Provider: name, Retryable: true, Err: err}
	}
	if malformedHTTP(err) {
		return Garbage(name, err)
	}
	return &llm.Error{Kind: llm.KindUpstream, Message: fmt.Sprintf("could not reach upstream %s", name), Provider: name, Retryable: true, Err: err}
}

// malformedHTTPPhrases are net/http's words (unexported errors) for bytes
// that are not HTTP: a status line that is none, a broken chunked body.
var malformedHTTPPhrases = []string{"malformed http", "invalid byte in chunk length", "malformed chunked encoding",
	"chunk length too large", "malformed mime header"}

// malformedHTTP reports whether err is an upstream's answer no HTTP
// client can read (malformedHTTPPhrases, in lower case), or a gzip body
// that is not gzip: the upstream was reached, and what it sent is
// garbage.
func malformedHTTP(err error) bool {
	var corrupt flate.CorruptInputError
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.As(err, &corrupt) {
		return true
	}
	return matchesAny(err.Error(), malformedHTTPPhrases)
}

// Garbage reports an upstream body that could not be decoded.
func Garbage(name string, err error) *llm.Error {
	return &llm.Error{Kind: llm.KindUpstream, Message: fmt.Sprintf("upstream %s sent a malformed response", name), Provider: name, Retryable: true, Err: err}
}

// Redact masks secrets (each when at least 4 bytes long, and its pieces of
// 16 bytes or more) and every secret or piece of personal data
// guard.Redact knows (API keys of every major provider, AWS keys, Bearer
// and Basic credentials, JWTs, private keys, emails, card numbers, IBANs,
// SSNs, phone numbers) in s, with typed placeholders such as
// "[REDACTED:email]". Every other byte of s is kept. Every upstream text
// that may reach a client or a log goes through it, with the provider's
// Secrets.
func Redact(s string, secrets ...string) string {
	return guard.Redact(s, secrets...)
}

// cut shortens s to at most n bytes plus "…", on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Phrases by which each upstream says a request does not fit the model's
// context window, or that its content policy rejected it (lower case):
// OpenAI and Azure "maximum context length is N tokens" (code
// context_length_exceeded), Anthropic "prompt is too long: N tokens > M
// maximum", Gemini "The input token count (N) exceeds the maximum number
// of tokens allowed (M)"; Azure "content management policy" (code
// content_filter), Anthropic "Output blocked by content filtering policy".
// The phrases of the deployment-specific refusals are in refusal_phrases.go.
var (
	contextPhrases = []string{"context length", "context_length_exceeded", "context window", "prompt is too long",
		"input token count", "exceeds the maximum number of tokens"}
	filterPhrases = []string{"content management policy", "content filtering policy", "content_filter",
		"content_policy_violation", "responsibleaipolicyviolation"}
)

// contextTokens finds, in the upstreams' context window rejections, how
// many tokens the request needed: Anthropic's "prompt is too long: N
// tokens", OpenAI's and Azure's "you requested N tokens" (prompt and
// completion) or "your messages resulted in N tokens", Gemini's "The
// input token count (N)".
var contextTokens = regexp.MustCompile(`(?i)(?:prompt is too long: |you requested |resulted in |input token count \()(\d+)`)

// ContextTokens returns the number of tokens a context window rejection
// (code llm.CodeContextLength) says the request needed, or 0 when e is
// not one or its message does not say.
func ContextTokens(e *llm.Error) int {
	if e == nil || e.Code != llm.CodeContextLength {
		return 0
	}
	m := contextTokens.FindStringSubmatch(e.Message)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// Classify sets e.Code to the code the dispatcher acts on when the
// upstream's rejection says so in any of the upstreams' wordings (or
// codes), and makes sure none of them is retried on the same deployment:
// for a 400-class rejection, llm.CodeContextLength (the prompt does not
// fit the context window), llm.CodeContentFilter (the content policy
// refused it) or llm.CodeModelUnsupported (the model cannot take a
// parameter, value, output size or input of the request); for a 400,
// 403, 404 or 422, llm.CodeModelNotFound (the model does not exist, or
// the key or region has no access to it); for a 5xx, llm.CodeModelUnsupported
// when its words are a server's refusal of the request's tools (llama.cpp's
// serverUnsupportedPhrases). It keeps a code the upstream
// already sent when that is one of these. It allocates nothing when no
// phrase matches.
func Classify(e *llm.Error) {
	if e != nil && e.Kind == llm.KindUpstream && matchesAny(e.Message, serverUnsupportedPhrases) {
		e.Code, e.Retryable = llm.CodeModelUnsupported, false
		return
	}
	if e == nil || !rejection(e.Kind) {
		return
	}
	switch e.Code {
	case llm.CodeContextLength, llm.CodeContentFilter, llm.CodeModelUnsupported, llm.CodeModelNotFound:
		e.Retryable = false
		return
	}
	if code := classifyRejection(e.Kind, e.Code, e.Message); code != "" {
		e.Code, e.Retryable = code, false
	}
}

// rejection reports whether kind is a 4xx refusal Classify reads.
func rejection(kind llm.ErrorKind) bool {
	switch kind {
	case llm.KindInvalidRequest, llm.KindUnprocessable, llm.KindNotFound, llm.KindPermission:
		return true
	}
	return false
}

// classifyRejection returns the code of a rejection of kind with the
// upstream's code and message, or "".
func classifyRejection(kind llm.ErrorKind, code, msg string) string {
	if kind == llm.KindNotFound || kind == llm.KindPermission {
		if matchesAny(code, notFoundPhrases) || matchesAny(msg, notFoundPhrases) {
			return llm.CodeModelNotFound
		}
		return ""
	}
	switch {
	case matchesAny(msg, contextPhrases):
		return llm.CodeContextLength
	case matchesAny(msg, filterPhrases):
		return llm.CodeContentFilter
	case matchesAny(code, notFoundPhrases) || matchesAny(msg, notFoundPhrases):
		return llm.CodeModelNotFound
	case matchesAny(code, unsupportedPhrases) || matchesAny(msg, unsupportedPhrases):
		return llm.CodeModelUnsupported
	}
	return ""
}
