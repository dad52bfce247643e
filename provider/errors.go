package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
)

// maxErrorBody bounds how much of an upstream error body is read.
const maxErrorBody = 64 << 10

// ErrorFromResponse turns a non-2xx upstream response into an *llm.Error.
// It reads (and closes) at most 64 KiB of the body and asks extract for the
// upstream's own message; extract may be nil. Secrets are redacted from
// the message. The caller must not use resp.Body afterwards.
func ErrorFromResponse(name, secret string, resp *http.Response, extract func([]byte) string) *llm.Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	msg := ""
	if extract != nil {
		msg = extract(body)
	}
	if msg == "" {
		msg = strings.TrimSpace(string(body))
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
	}
	msg = Redact(msg, secret)
	kind := llm.KindFromStatus(resp.StatusCode)
	e := &llm.Error{
		Kind:       kind,
		Message:    fmt.Sprintf("upstream %s returned %d: %s", name, resp.StatusCode, msg),
		Provider:   name,
		Retryable:  kind == llm.KindRateLimit || kind == llm.KindUpstream || kind == llm.KindUnavailable || kind == llm.KindTimeout,
		RetryAfter: RetryAfter(resp.Header),
	}
	switch kind {
	case llm.KindAuth, llm.KindPermission:
		// The upstream rejected *our* provider credentials: that is a
		// gateway configuration problem, not the caller's.
		e.Kind = llm.KindUpstream
		e.Status = http.StatusBadGateway
		e.Message = fmt.Sprintf("upstream %s rejected the configured credentials (%d): %s; check the provider's api_key in the router config", name, resp.StatusCode, msg)
		e.Retryable = false
	}
	return e
}

// RetryAfter parses Retry-After (seconds or HTTP date) and the
// retry-after-ms header some APIs send. It returns 0 when absent.
func RetryAfter(h http.Header) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// TransportError maps a failure to reach or read from the upstream.
func TransportError(name string, ctx context.Context, err error) *llm.Error {
	var le *llm.Error
	if errors.As(err, &le) {
		return le
	}
	switch {
	case ctx.Err() == context.Canceled || errors.Is(err, context.Canceled):
		return &llm.Error{Kind: llm.KindCanceled, Message: "request canceled", Provider: name, Err: err}
	case ctx.Err() == context.DeadlineExceeded || errors.Is(err, context.DeadlineExceeded):
		return &llm.Error{Kind: llm.KindTimeout, Message: fmt.Sprintf("upstream %s did not answer before the deadline", name), Provider: name, Retryable: true, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &llm.Error{Kind: llm.KindTimeout, Message: fmt.Sprintf("upstream %s timed out", name), Provider: name, Retryable: true, Err: err}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &llm.Error{Kind: llm.KindUpstream, Message: fmt.Sprintf("upstream %s closed the connection mid-response", name), Provider: name, Retryable: true, Err: err}
	}
	return &llm.Error{Kind: llm.KindUpstream, Message: fmt.Sprintf("could not reach upstream %s", name), Provider: name, Retryable: true, Err: err}
}

// Garbage reports an upstream body that could not be decoded.
func Garbage(name string, err error) *llm.Error {
	return &llm.Error{Kind: llm.KindUpstream, Message: fmt.Sprintf("upstream %s sent a malformed response", name), Provider: name, Retryable: true, Err: err}
}

// Redact removes secret (and anything shaped like a bearer key) from s.
func Redact(s, secret string) string {
	if secret != "" && len(secret) >= 4 {
		s = strings.ReplaceAll(s, secret, "[REDACTED]")
	}
	return redactKeyLike(s)
}

// redactKeyLike masks tokens that look like API keys (sk-…, AIza…, long
// opaque tokens after "Bearer").
func redactKeyLike(s string) string {
	if !strings.Contains(s, "sk-") && !strings.Contains(s, "AIza") && !strings.Contains(s, "Bearer ") {
		return s
	}
	fields := strings.Fields(s)
	for i, f := range fields {
		if (strings.HasPrefix(f, "sk-") || strings.HasPrefix(f, "AIza")) && len(f) > 8 {
			fields[i] = "[REDACTED]"
		}
		if f == "Bearer" && i+1 < len(fields) {
			fields[i+1] = "[REDACTED]"
		}
	}
	return strings.Join(fields, " ")
}
