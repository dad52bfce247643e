package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"switchyard/guard"
	"switchyard/llm"
)

const testSecret = "sk-proj-Zq8vR2mN4kL7pX1cT9wB"

// body is a response body that records whether it was closed and how much
// of it was read.
type body struct {
	r      io.Reader
	read   int
	closed bool
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

func (b *body) Close() error { b.closed = true; return nil }

func response(status int, header http.Header, text string) (*http.Response, *body) {
	if header == nil {
		header = http.Header{}
	}
	b := &body{r: strings.NewReader(text)}
	return &http.Response{StatusCode: status, Header: header, Body: b}, b
}

func TestErrorFromResponseStatus(t *testing.T) {
	tests := []struct {
		status     int
		kind       llm.ErrorKind
		httpStatus int
		retryable  bool
	}{
		{400, llm.KindInvalidRequest, 400, false},
		{401, llm.KindUpstream, 502, false},
		{403, llm.KindUpstream, 502, false},
		{404, llm.KindNotFound, 404, false},
		{408, llm.KindTimeout, 504, true},
		{409, llm.KindInvalidRequest, 400, false},
		{413, llm.KindTooLarge, 413, false},
		{422, llm.KindUnprocessable, 422, false},
		{429, llm.KindRateLimit, 429, true},
		{500, llm.KindUpstream, 502, true},
		{502, llm.KindUpstream, 502, true},
		{503, llm.KindUnavailable, 503, true},
		{504, llm.KindTimeout, 504, true},
		{529, llm.KindUnavailable, 503, true},
		{425, llm.KindUpstream, 502, true}, // Too Early: try again
		{499, llm.KindUpstream, 502, true}, // a proxy of the upstream's lost its patience, not our client
		{599, llm.KindUpstream, 502, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			resp, b := response(tt.status, nil, `{"error":"nope"}`)
			e := ErrorFromResponse("up", []string{testSecret}, resp, nil)
			if e.Kind != tt.kind || e.HTTPStatus() != tt.httpStatus || e.Retryable != tt.retryable {
				t.Errorf("got kind %s, status %d, retryable %v; want %s, %d, %v",
					e.Kind, e.HTTPStatus(), e.Retryable, tt.kind, tt.httpStatus, tt.retryable)
			}
			if e.Provider != "up" {
				t.Errorf("Provider = %q, want up", e.Provider)
			}
			if !b.closed {
				t.Error("body was not closed")
			}
			want := fmt.Sprintf("upstream up returned %d: {\"error\":\"nope\"}", tt.status)
			if tt.status == 401 || tt.status == 403 {
				want = fmt.Sprintf("upstream up rejected the configured credentials (%d): {\"error\":\"nope\"}; check the provider's api_key in the router config", tt.status)
			}
			if e.Message != want {
				t.Errorf("Message = %q\nwant      %q", e.Message, want)
			}
		})
	}
}

func TestErrorFromResponseRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		want   time.Duration
	}{
		{"429 seconds", 429, http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"429 ms", 429, http.Header{"Retry-After-Ms": {"1500"}}, 1500 * time.Millisecond},
		{"503 seconds", 503, http.Header{"Retry-After": {"2"}}, 2 * time.Second},
		{"529 seconds", 529, http.Header{"Retry-After": {"30"}}, 30 * time.Second},
		{"429 none", 429, nil, 0},
		// OpenAI's rate-limit headers, when no Retry-After comes: the
		// reset of the budget the 429 exhausted.
		{"429 requests exhausted", 429, openAILimits("0", "1.5s", "9000", "6m0s"), 1500 * time.Millisecond},
		{"429 tokens exhausted", 429, openAILimits("12", "1s", "0", "2m3s"), 123 * time.Second},
		{"429 both exhausted", 429, openAILimits("0", "20ms", "0", "7.66s"), 7660 * time.Millisecond},
		{"429 none exhausted", 429, openAILimits("3", "1s", "9000", "6m0s"), 0},
		{"429 bad reset", 429, openAILimits("0", "soon", "5", "1s"), 0},
		{"429 Retry-After wins over the reset", 429, withHeader(openAILimits("0", "6m0s", "5", "1s"), "Retry-After", "7"), 7 * time.Second},
		{"500 ignores the reset", 500, openAILimits("0", "1s", "0", "1s"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := response(tt.status, tt.header, "slow down")
			if e := ErrorFromResponse("up", nil, resp, nil); e.RetryAfter != tt.want {
				t.Fatalf("RetryAfter = %v, want %v", e.RetryAfter, tt.want)
			}
		})
	}
	t.Run("429 HTTP date", func(t *testing.T) {
		h := http.Header{"Retry-After": {time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)}}
		resp, _ := response(429, h, "")
		if d := ErrorFromResponse("up", nil, resp, nil).RetryAfter; d < 58*time.Second || d > time.Minute {
			t.Fatalf("RetryAfter = %v, want about 1m", d)
		}
	})
}

func TestErrorFromResponseBody(t *testing.T) {
	long := strings.Repeat("abcdefghij", 100) // 1000 bytes
	tests := []struct {
		name    string
		body    string
		extract func([]byte) string
		want    string // the message after "upstream up returned 500: "
	}{
		{"plain body", "  internal failure\n", nil, "internal failure"},
		{"empty body", " \n", nil, "upstream up returned 500 with an empty body"},
		{"long body cut to 300 bytes", long, nil, long[:300] + "…"},
		{"cut on a rune boundary", "a" + strings.Repeat("é", 200), nil, "a" + strings.Repeat("é", 149) + "…"},
		{"extractor used", `{"error":{"message":"model overloaded"}}`,
			func(b []byte) string {
				if !strings.Contains(string(b), "model overloaded") {
					return "extractor did not get the body"
				}
				return "model overloaded"
			}, "model overloaded"},
		{"extractor empty falls back to the body", "raw text", func([]byte) string { return "" }, "raw text"},
		{"extracted message kept longer than the body limit", long, func(b []byte) string { return string(b) }, long},
		{"extracted message cut too", long + long, func(b []byte) string { return string(b) }, (long + long)[:1000] + "…"},
		{"secret in body redacted", "bad key " + testSecret + " given", nil, "bad key [REDACTED:secret] given"},
		{"secret in extracted message redacted", "x", func([]byte) string { return "key " + testSecret }, "key [REDACTED:secret]"},
		{"secret straddling the cut", strings.Repeat("a", 295) + " " + testSecret, nil,
			strings.Repeat("a", 295) + " [RED…"},
		{"personal data in the body", "user jane@example.com, card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPLE", nil,
			"user [REDACTED:email], card [REDACTED:card], key [REDACTED:aws_key]"},
		{"key-like token straddling the cut", strings.Repeat("a", 290) + " AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", nil,
			strings.Repeat("a", 290) + " [REDACTED…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := response(500, nil, tt.body)
			e := ErrorFromResponse("up", []string{testSecret}, resp, tt.extract)
			got := strings.TrimPrefix(e.Message, "upstream up returned 500: ")
			if got != tt.want {
				t.Errorf("message = %q\nwant      %q", got, tt.want)
			}
			if !utf8.ValidString(e.Message) {
				t.Errorf("message is not valid UTF-8: %q", e.Message)
			}
			if strings.Contains(e.Message, testSecret[:6]) {
				t.Errorf("message shows part of the secret: %q", e.Message)
			}
		})
	}
}

func TestErrorFromResponseReadsBoundedBody(t *testing.T) {
	resp, b := response(500, nil, strings.Repeat("x", 10<<20))
	e := ErrorFromResponse("up", nil, resp, nil)
	if b.read > maxErrorBody {
		t.Errorf("read %d bytes of the body, want at most %d", b.read, maxErrorBody)
	}
	if !b.closed {
		t.Error("body was not closed")
	}
	if len(e.Message) > 400 {
		t.Errorf("message has %d bytes", len(e.Message))
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"absent", http.Header{}, 0},
		{"seconds", http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{"zero", http.Header{"Retry-After": {"0"}}, 0},
		{"fractional seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"negative", http.Header{"Retry-After": {"-4"}}, 0},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0},
		{"past date", http.Header{"Retry-After": {"Wed, 21 Oct 2015 07:28:00 GMT"}}, 0},
		{"ms", http.Header{"Retry-After-Ms": {"250"}}, 250 * time.Millisecond},
		{"ms lower case", http.Header{http.CanonicalHeaderKey("retry-after-ms"): {"20"}}, 20 * time.Millisecond},
		{"fractional ms", http.Header{"Retry-After-Ms": {"1.5"}}, 1500 * time.Microsecond},
		{"ms wins over seconds", http.Header{"Retry-After-Ms": {"100"}, "Retry-After": {"9"}}, 100 * time.Millisecond},
		{"bad ms falls back", http.Header{"Retry-After-Ms": {"x"}, "Retry-After": {"9"}}, 9 * time.Second},
		{"negative ms falls back", http.Header{"Retry-After-Ms": {"-1"}, "Retry-After": {"2"}}, 2 * time.Second},
		{"huge seconds capped", http.Header{"Retry-After": {"1e300"}}, maxRetryAfter},
		{"infinite seconds capped", http.Header{"Retry-After": {"Inf"}}, maxRetryAfter},
		{"huge ms capped", http.Header{"Retry-After-Ms": {"1e30"}}, maxRetryAfter},
		{"NaN", http.Header{"Retry-After": {"NaN"}}, 0},
		{"far future date capped", http.Header{"Retry-After": {"Fri, 01 Jan 2100 00:00:00 GMT"}}, maxRetryAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RetryAfter(tt.header); got != tt.want {
				t.Fatalf("RetryAfter = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("future date", func(t *testing.T) {
		h := http.Header{"Retry-After": {time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)}}
		// HTTP dates have whole seconds: allow for the truncation.
		if got := RetryAfter(h); got < 28*time.Second || got > 30*time.Second {
			t.Fatalf("RetryAfter = %v, want about 30s", got)
		}
	})
}

// timeoutError is a net.Error that timed out.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

var _ net.Error = timeoutError{}

func TestTransportError(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	live := context.Background()
	urlErr := func(err error) error { return &url.Error{Op: "Post", URL: "https://up.example/v1", Err: err} }
	own := &llm.Error{Kind: llm.KindRateLimit, Message: "mine"}

	tests := []struct {
		name      string
		ctx       context.Context
		err       error
		kind      llm.ErrorKind
		retryable bool
		msg       string
	}{
		{"canceled context", canceled, urlErr(context.Canceled), llm.KindCanceled, false, "request canceled"},
		{"canceled context, other error", canceled, errors.New("read: use of closed connection"), llm.KindCanceled, false, "request canceled"},
		{"canceled error, live context", live, urlErr(context.Canceled), llm.KindCanceled, false, "request canceled"},
		{"deadline context", expired, urlErr(context.DeadlineExceeded), llm.KindTimeout, true, "upstream up did not answer before the deadline"},
		{"deadline error, live context", live, fmt.Errorf("wrapped: %w", context.DeadlineExceeded), llm.KindTimeout, true, "upstream up did not answer before the deadline"},
		{"net timeout", live, &net.OpError{Op: "dial", Net: "tcp", Err: timeoutError{}}, llm.KindTimeout, true, "upstream up timed out"},
		{"url timeout", live, urlErr(os.ErrDeadlineExceeded), llm.KindTimeout, true, "upstream up timed out"},
		{"unexpected EOF", live, urlErr(io.ErrUnexpectedEOF), llm.KindUpstream, true, "upstream up closed the connection mid-response"},
		{"EOF", live, io.EOF, llm.KindUpstream, true, "upstream up closed the connection mid-response"},
		{"refused", live, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, llm.KindUpstream, true, "could not reach upstream up"},
		{"other", live, errors.New("tls: bad certificate"), llm.KindUpstream, true, "could not reach upstream up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := TransportError("up", tt.ctx, tt.err)
			if e.Kind != tt.kind || e.Retryable != tt.retryable || e.Message != tt.msg {
				t.Errorf("got %s retryable=%v %q; want %s retryable=%v %q", e.Kind, e.Retryable, e.Message, tt.kind, tt.retryable, tt.msg)
			}
			if e.Provider != "up" {
				t.Errorf("Provider = %q", e.Provider)
			}
			if !errors.Is(e, tt.err) {
				t.Errorf("the cause %v is not wrapped", tt.err)
			}
		})
	}
	t.Run("llm.Error passes through", func(t *testing.T) {
		if got := TransportError("up", live, fmt.Errorf("ctx: %w", own)); got != own {
			t.Fatalf("got %v, want the wrapped *llm.Error itself", got)
		}
	})
}

func TestGarbage(t *testing.T) {
	cause := errors.New("invalid character")
	e := Garbage("up", cause)
	if e.Kind != llm.KindUpstream || !e.Retryable || !errors.Is(e, cause) || e.Message != "upstream up sent a malformed response" {
		t.Fatalf("Garbage = %+v", e)
	}
}

// TestRedactDelegates: provider.Redact is guard.Redact with the
// configured key as an exact secret.
func TestRedactDelegates(t *testing.T) {
	tests := []struct{ in, secret, want string }{
		{"model not found", testSecret, "model not found"},
		{"key " + testSecret + " is bad", testSecret, "key [REDACTED:secret] is bad"},
		{"token=hunter22!", "hunter22", "token=[REDACTED:secret]!"},
		{"Incorrect API key provided: sk-abc123def456.", "", "Incorrect API key provided: [REDACTED:api_key]."},
		{"Authorization: Bearer abc.def.ghi", "", "Authorization: Bearer [REDACTED:credential]"},
		{"from jane@example.com", "", "from [REDACTED:email]"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in, tt.secret); got != tt.want || got != guard.Redact(tt.in, tt.secret) {
			t.Errorf("Redact(%q, %q) = %q, want %q", tt.in, tt.secret, got, tt.want)
		}
	}
}

// openAILimits returns OpenAI's rate-limit headers of requests and
// tokens: what remains and when each budget resets.
func openAILimits(requests, requestsReset, tokens, tokensReset string) http.Header {
	return http.Header{
		"X-Ratelimit-Remaining-Requests": {requests}, "X-Ratelimit-Reset-Requests": {requestsReset},
		"X-Ratelimit-Remaining-Tokens": {tokens}, "X-Ratelimit-Reset-Tokens": {tokensReset},
	}
}

func withHeader(h http.Header, k, v string) http.Header {
	h.Set(k, v)
	return h
}

// A refused key is the deployment's configuration failing, told apart by
// its code (the dispatcher opens its breaker at once); a refused model
// keeps model_not_found.
func TestErrorFromResponseCredentialsCode(t *testing.T) {
	for _, tt := range []struct {
		status int
		body   string
		code   string
	}{
		{401, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, llm.CodeUpstreamAuth},
		{403, `{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}`, llm.CodeUpstreamAuth},
		{403, "{\"error\":{\"message\":\"Project `proj_abc` does not have access to model `gpt-4o`\",\"code\":\"model_not_found\"}}", llm.CodeModelNotFound},
	} {
		resp, _ := response(tt.status, nil, tt.body)
		if e := ErrorFromResponse("up", []string{testSecret}, resp, nil); e.Code != tt.code || e.HTTPStatus() != 502 {
			t.Errorf("%d %s: code %q, status %d; want %q, 502", tt.status, tt.body, e.Code, e.HTTPStatus(), tt.code)
		}
	}
}
