// Package inbound holds what every inbound API (switchyard/api/openai,
// switchyard/api/anthropic) does the same way around its own wire format:
// reading bounded request bodies into pooled buffers, the routing override
// headers, the x-switchyard-* answer headers and the served cost, the
// retry headers of an error, and the error that ends a broken stream.
package inbound

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchyard/llm"
	"switchyard/route"
)

// ChatBackend answers decoded chat requests; the gateway implements it.
// Each call fills served with where the request went, even when it
// fails. ov holds the caller's routing overrides (the x-switchyard-*
// headers); nil means none.
type ChatBackend interface {
	Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (*llm.Response, error)
	Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error)
}

// WriteJSON answers 200 with body as JSON.
func WriteJSON(w http.ResponseWriter, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// BeginStream answers 200 as a server-sent event stream, announcing the
// cost trailer (EndStream sets it).
func BeginStream(w http.ResponseWriter) {
	hd := w.Header()
	hd.Set("Trailer", HeaderCost)
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
}

// EndStream closes s, which bills it, and sets the served cost, known
// from then on, as the x-switchyard-cost-usd trailer of w.
func EndStream(w http.ResponseWriter, s llm.Stream, served *llm.Served) {
	s.Close()
	w.Header().Set(HeaderCost, CostValue(served))
}

// Header names set on every API answer.
const (
	HeaderRequestID = "x-switchyard-request-id"
	// HeaderOpenAIRequestID carries the same id under the name OpenAI
	// gives it, which the official SDKs read (npm openai: _request_id
	// and APIError.requestID; openai-go: the response header).
	HeaderOpenAIRequestID = "x-request-id"
	HeaderDeployment      = "x-switchyard-deployment"
	HeaderRoute           = "x-switchyard-route"
	HeaderCost            = "x-switchyard-cost-usd"
	// HeaderGuard is set when the prompt-injection guard acted on the
	// request: its score, action and reasons (llm.Guard.Header).
	HeaderGuard = "x-switchyard-guard"
)

// DefaultMaxBodyBytes bounds request bodies when the handler sets no
// limit.
const DefaultMaxBodyBytes = 10 << 20

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// GetBuf returns an empty buffer from the pool; give it back with PutBuf.
func GetBuf() *[]byte { return bufPool.Get().(*[]byte) }

// maxPooledBuf is the largest buffer kept for reuse: a pooled buffer
// stays allocated, so one huge request must not pin its size for good.
const maxPooledBuf = 1 << 20

// Pooled reports whether PutBuf would keep b for reuse.
func Pooled(b *[]byte) bool { return cap(*b) <= maxPooledBuf }

// PutBuf gives b back to the pool, unless it grew too large to keep.
func PutBuf(b *[]byte) {
	if !Pooled(b) {
		return
	}
	*b = (*b)[:0]
	bufPool.Put(b)
}

// ReadBody reads the JSON request body into a pooled buffer, bounded by
// limit (zero or less means DefaultMaxBodyBytes), without a leading UTF-8
// byte order mark (RFC 8259 §8.1 lets a parser ignore one; Windows tools
// write it). The body's Content-Type is not checked (curl -d sends JSON
// as application/x-www-form-urlencoded), except that a multipart form,
// which is never JSON, is refused unread. Errors are *llm.Error: too
// large (413), a multipart form (415), the server's read deadline or
// in-flight budget as it set them, or an invalid request for a body that
// could not be read.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) (*[]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	if mt := strings.ToLower(baseType(r.Header.Get("Content-Type"))); strings.HasPrefix(mt, "multipart/") {
		e := llm.Errorf(llm.KindInvalidRequest, "This endpoint takes a JSON body (Content-Type: application/json), not a %s form.", llm.Clip(mt))
		e.Status, e.Code = http.StatusUnsupportedMediaType, "unsupported_media_type"
		return nil, e
	}
	buf := GetBuf()
	if r.ContentLength > int64(cap(*buf)) {
		// One exact allocation instead of doubling up to the size.
		*buf = make([]byte, 0, r.ContentLength+1)
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	b := *buf
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			*buf = b
			PutBuf(buf)
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, tooLarge(limit)
			}
			if e := (*llm.Error)(nil); errors.As(err, &e) {
				return nil, e // the server's read deadline or in-flight budget
			}
			if errors.Is(err, io.ErrUnexpectedEOF) && r.ContentLength > 0 {
				e := llm.Errorf(llm.KindInvalidRequest, "The request body ended after %d bytes, before its declared Content-Length of %d.", len(b), r.ContentLength)
				e.Err = err
				return nil, e
			}
			return nil, llm.Wrap(llm.KindInvalidRequest, err, "could not read the request body")
		}
	}
	if bytes.HasPrefix(b, byteOrderMark) {
		b = b[:copy(b, b[len(byteOrderMark):])]
	}
	*buf = b
	return buf, nil
}

// byteOrderMark is U+FEFF in UTF-8.
var byteOrderMark = []byte("\xef\xbb\xbf")

func tooLarge(limit int64) *llm.Error {
	return llm.Errorf(llm.KindTooLarge, "The request body is larger than the %d bytes this router accepts (server.max_body_bytes). Send a smaller request or raise the limit.", limit)
}

// SetServed writes the routing headers known so far.
func SetServed(h http.Header, s *llm.Served) {
	if s.Deployment != "" {
		h.Set(HeaderDeployment, s.Deployment)
	}
	if s.Summary != "" {
		h.Set(HeaderRoute, s.Summary)
	}
	if g := s.Guard; g != nil && g.Acted {
		h.Set(HeaderGuard, g.Header())
	}
}

// SetRetryHeaders sets Retry-After when e carries one (rounded up to
// whole seconds: never ask to retry early) with retry-after-ms, the same
// wait to the millisecond, which the official OpenAI and Anthropic SDKs
// read first (so a 250 ms wait is not a whole second); and
// x-should-retry: false on a 429 that a retry within seconds cannot clear
// (a spent budget), which the SDKs would otherwise retry at once.
func SetRetryHeaders(h http.Header, e *llm.Error) {
	if e.RetryAfter > 0 {
		secs := int64((e.RetryAfter + time.Second - 1) / time.Second)
		h.Set("Retry-After", strconv.FormatInt(secs, 10))
		ms := int64((e.RetryAfter + time.Millisecond - 1) / time.Millisecond)
		h.Set("retry-after-ms", strconv.FormatInt(ms, 10))
	}
	if e.Kind == llm.KindRateLimit && !e.Retryable {
		h.Set("x-should-retry", "false")
	}
}

// StreamEndError returns the error that ends a broken stream, or nil when
// the client has gone away (nobody would read it, and the write would
// fail anyway). A request deadline that passed is reported as a timeout
// naming the deadline: the context's cause when it is an *llm.Error (the
// server sets one), a generic timeout otherwise.
func StreamEndError(ctx context.Context, err error) *llm.Error {
	switch ctx.Err() {
	case nil:
		return llm.AsError(err)
	case context.DeadlineExceeded:
		var e *llm.Error
		if errors.As(context.Cause(ctx), &e) {
			c := *e // the cause is shared by every request
			return &c
		}
		return &llm.Error{Kind: llm.KindTimeout, Message: "the request's deadline passed while the answer was streaming", Err: err}
	}
	return nil
}

// CostValue is x-switchyard-cost-usd's value: the served cost in dollars,
// or "unknown" when the deployment that answered has no known price
// (never a silent "0").
func CostValue(s *llm.Served) string {
	if s.CostUnknown {
		return "unknown"
	}
	return FormatUSD(s.CostUSD)
}

// UsageCost is the "cost" written into an answer's usage: the served
// cost in dollars as a JSON number, or "" (none written) when the
// deployment that answered has no known price.
func UsageCost(s *llm.Served) string {
	if s.CostUnknown {
		return ""
	}
	return FormatUSD(s.CostUSD)
}

// FormatUSD writes a cost in dollars for a header: rounded to 1e-12 $
// (far below any per-token price), in the shortest decimal form, so that
// float noise (0.000013199999999999999) reads as 0.0000132.
func FormatUSD(v float64) string {
	return strconv.FormatFloat(llm.RoundUSD(v), 'f', -1, 64)
}

// overrideHeaders are the override header names in canonical form, so
// looking them up does not allocate.
var overrideHeaders = func() map[string]string {
	m := map[string]string{}
	for _, h := range overrideNames() {
		m[h] = textproto.CanonicalMIMEHeaderKey(h)
	}
	return m
}()

// Overrides reads the routing override headers (x-switchyard-*); nil when
// none is set. A bad value is a 400 naming the header, and so is an
// x-switchyard-* header the router does not know (unknownHeader). The
// x-switchyard-inference-geo header's us is a requirement of req (nil:
// none to set), which it then requires (llm.Request.InferenceGeo), as
// Anthropic's inference_geo would.
func Overrides(h http.Header, req *llm.Request) (*route.Overrides, error) {
	set, err := scanHeaders(h)
	if err != nil || !set {
		return nil, err
	}
	ov, err := route.ParseOverrides(func(name string) string { return h.Get(overrideHeaders[name]) })
	if err != nil {
		return nil, err
	}
	if ov.InferenceGeo == llm.GeoUS && req != nil {
		req.InferenceGeo = llm.GeoUS
	}
	return &ov, nil
}
