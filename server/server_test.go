package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	wire "switchyard/wire/openai"
)

func TestMain(m *testing.M) {
	cost.Warm() // build the tokenizer before goleak looks, not in the background of a test
	goleak.VerifyTestMain(m)
}

// backend is the shared fake apiopenai.Backend (it answers "hello"
// unless ChatFunc is set).
type backend = openaitest.Backend

func answer(text string) *llm.Response {
	return &llm.Response{ID: "chatcmpl-1", Model: "m", Choices: []llm.Choice{{
		Message: llm.TextMessage(llm.RoleAssistant, text), FinishReason: llm.FinishStop,
	}}}
}

const chatBody = `{"model":"m","messages":[{"role":"user","content":"hi"}]}`

// newServer builds a server in front of b; opts.API, if set, gives the
// handler's other settings (its Backend and Models are replaced).
func newServer(b apiopenai.Backend, opts Options) *Server {
	var h apiopenai.Handler
	if opts.API != nil {
		h = *opts.API
	}
	h.Backend, h.Models = b, func(context.Context) []wire.Model { return []wire.Model{{ID: "m", OwnedBy: "me"}} }
	opts.API = &h
	if opts.Gatherer == nil {
		opts.Gatherer = prometheus.NewRegistry()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return New(opts)
}

func do(h http.Handler, method, target, body string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Host = "127.0.0.1:8080" // as a client of the default address sends it (not httptest's example.com)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// openAIError decodes an OpenAI error body, failing the test if it is not one.
func openAIError(t *testing.T, w *httptest.ResponseRecorder) (msg, typ string, code any) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var body struct {
		Error *struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			Param   any    `json:"param"`
			Code    any    `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error == nil {
		t.Fatalf("not an OpenAI error body: %s (%v)", w.Body, err)
	}
	return body.Error.Message, body.Error.Type, body.Error.Code
}

var requestIDPattern = regexp.MustCompile(`^req_[0-9a-f]{24}$`)

func TestRequestIDOnEveryResponse(t *testing.T) {
	s := newServer(&backend{ChatFunc: func(ctx context.Context, _ *llm.Request) (*llm.Response, error) {
		if !requestIDPattern.MatchString(llm.RequestID(ctx)) {
			return nil, errors.New("no request id in the context")
		}
		return answer(llm.RequestID(ctx)), nil
	}}, Options{Keys: []config.Key{{Key: "k"}}})
	auth := map[string]string{"Authorization": "Bearer k"}
	tests := []struct {
		method, target, body string
		header               map[string]string
		status               int
	}{
		{"GET", "/healthz", "", nil, 200},
		{"GET", "/readyz", "", nil, 200},
		{"GET", "/metrics", "", nil, 403}, // not from loopback, and no admin key is configured
		{"GET", "/", "", nil, 404},
		{"GET", "/nope", "", nil, 404},
		{"POST", "/healthz", "", nil, 404},
		{"GET", "/v1/models", "", auth, 200},
		{"GET", "/v1/nope", "", auth, 404},
		{"GET", "/v1/models", "", nil, 401},
		{"POST", "/v1/chat/completions", chatBody, auth, 200},
		{"POST", "/v1/chat/completions", "{", auth, 400},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		w := do(s, tt.method, tt.target, tt.body, tt.header)
		if w.Code != tt.status {
			t.Errorf("%s %s = %d, want %d: %s", tt.method, tt.target, w.Code, tt.status, w.Body)
		}
		id := w.Header().Get(apiopenai.HeaderRequestID)
		if !requestIDPattern.MatchString(id) {
			t.Errorf("%s %s: request id %q", tt.method, tt.target, id)
		}
		if x := w.Header().Get(apiopenai.HeaderOpenAIRequestID); x != id {
			t.Errorf("%s %s: x-request-id %q, want the request id %q (the OpenAI SDKs read it)", tt.method, tt.target, x, id)
		}
		if seen[id] {
			t.Errorf("request id %s given twice", id)
		}
		seen[id] = true
		if tt.target == "/v1/chat/completions" && w.Code == 200 && !strings.Contains(w.Body.String(), id) {
			t.Errorf("the backend saw another request id than the header %s: %s", id, w.Body)
		}
	}
}

func TestAuth(t *testing.T) {
	keys := []config.Key{{Key: "key-one"}, {Key: "key-two", Name: "two"}}
	tests := []struct {
		name    string
		opts    Options
		header  map[string]string
		status  int
		message string // substring of the error message
		code    any
	}{
		{"bearer", Options{Keys: keys}, map[string]string{"Authorization": "Bearer key-one"}, 200, "", nil},
		{"second key", Options{Keys: keys}, map[string]string{"Authorization": "Bearer key-two"}, 200, "", nil},
		{"bearer with spaces", Options{Keys: keys}, map[string]string{"Authorization": "Bearer  key-one "}, 200, "", nil},
		{"x-api-key", Options{Keys: keys}, map[string]string{"x-api-key": "key-two"}, 200, "", nil},
		{"lowercase bearer", Options{Keys: keys}, map[string]string{"Authorization": "bearer key-one"}, 200, "", nil},
		{"x-api-key beside another scheme", Options{Keys: keys}, map[string]string{"Authorization": "Basic Zm9v", "x-api-key": "key-one"}, 200, "", nil},
		{"missing", Options{Keys: keys}, nil, 401, "You didn't provide an API key", nil},
		{"empty bearer", Options{Keys: keys}, map[string]string{"Authorization": "Bearer "}, 401, "You didn't provide an API key", nil},
		{"other scheme", Options{Keys: keys}, map[string]string{"Authorization": "Basic a2V5LW9uZTo="}, 401, "You didn't provide an API key", nil},
		{"wrong bearer", Options{Keys: keys}, map[string]string{"Authorization": "Bearer key-three"}, 401, "Incorrect API key provided", "invalid_api_key"},
		{"wrong x-api-key", Options{Keys: keys}, map[string]string{"x-api-key": "key"}, 401, "Incorrect API key provided", "invalid_api_key"},
		{"prefix of a key", Options{Keys: keys}, map[string]string{"Authorization": "Bearer key-on"}, 401, "Incorrect API key provided", "invalid_api_key"},
		{"key with a suffix", Options{Keys: keys}, map[string]string{"Authorization": "Bearer key-onex"}, 401, "Incorrect API key provided", "invalid_api_key"},
		{"AnyKey, no key", Options{Keys: keys, AnyKey: true}, nil, 200, "", nil},
		{"AnyKey, wrong key", Options{Keys: keys, AnyKey: true}, map[string]string{"Authorization": "Bearer nope"}, 200, "", nil},
		{"no keys configured", Options{}, nil, 200, "", nil},
		{"no keys configured, some key", Options{}, map[string]string{"x-api-key": "whatever"}, 200, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(&backend{}, tt.opts)
			w := do(s, "POST", "/v1/chat/completions", chatBody, tt.header)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status == 200 {
				return
			}
			msg, typ, code := openAIError(t, w)
			if !strings.Contains(msg, tt.message) || typ != "invalid_request_error" || code != tt.code {
				t.Errorf("error = %q %s %v, want %q invalid_request_error %v", msg, typ, code, tt.message, tt.code)
			}
			for _, k := range keys {
				if strings.Contains(w.Body.String(), k.Key) {
					t.Errorf("a configured key shows in the error: %s", w.Body)
				}
			}
		})
	}
	t.Run("probes need no key", func(t *testing.T) {
		s := newServer(&backend{}, Options{Keys: keys})
		for _, p := range []string{"/healthz", "/readyz"} {
			if w := do(s, "GET", p, "", nil); w.Code != 200 {
				t.Errorf("GET %s = %d", p, w.Code)
			}
		}
	})
}

func TestPanicRecovery(t *testing.T) {
	var logs bytes.Buffer
	s := newServer(&backend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) {
		panic("boom")
	}}, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	w := do(s, "POST", "/v1/chat/completions", chatBody, nil)
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", w.Code)
	}
	id := w.Header().Get(apiopenai.HeaderRequestID)
	msg, typ, _ := openAIError(t, w)
	if typ != "server_error" || msg != "internal error; the request id is "+id {
		t.Errorf("error = %q %s", msg, typ)
	}
	if !strings.Contains(logs.String(), "panic serving request") || !strings.Contains(logs.String(), id) || !strings.Contains(logs.String(), "boom") {
		t.Errorf("the panic was not logged with the request id: %s", logs.String())
	}
}

// A panic after part of a response went out aborts the connection rather
// than appending an error body the client would read as the end.
func TestPanicAfterTheResponseStartedAborts(t *testing.T) {
	s := New(Options{API: &apiopenai.Handler{Backend: &backend{}, Models: func(context.Context) []wire.Model { return nil }}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	h := s.recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("data: partial\n\n"))
		panic("boom")
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", nil))
}

func TestAbortHandlerPassesThrough(t *testing.T) {
	s := newServer(&backend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) {
		panic(http.ErrAbortHandler)
	}}, Options{})
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler re-panicked for net/http", v)
		}
	}()
	do(s, "POST", "/v1/chat/completions", chatBody, nil)
}

func TestHealthz(t *testing.T) {
	w := do(newServer(&backend{}, Options{}), "GET", "/healthz", "", nil)
	if w.Code != 200 || w.Body.String() != `{"status":"ok"}` || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("healthz = %d %s %q", w.Code, w.Body, w.Header().Get("Content-Type"))
	}
}

func TestUnknownPath(t *testing.T) {
	s := newServer(&backend{}, Options{})
	for _, c := range []struct{ method, path string }{
		{"DELETE", "/admin/x"},
		{"POST", "/v1"}, // answered, not the mux's redirect to /v1/
		{"GET", "/v1"},
	} {
		w := do(s, c.method, c.path, "", nil)
		if w.Code != 404 {
			t.Errorf("%s %s: status = %d", c.method, c.path, w.Code)
			continue
		}
		msg, typ, code := openAIError(t, w)
		if msg != "Unknown request URL: "+c.method+" "+c.path+". The API lives under /v1/." || typ != "invalid_request_error" || code != "unknown_url" {
			t.Errorf("%s %s: error = %q %s %v", c.method, c.path, msg, typ, code)
		}
	}
}

func TestMetricsEndpoint(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "test_things_total", Help: "Things."})
	reg.MustRegister(c)
	c.Add(3)
	s := newServer(&backend{}, Options{Gatherer: reg, AdminKeys: []config.AdminKey{{Key: "ops"}}})
	w := do(s, "GET", "/metrics", "", map[string]string{"Authorization": "Bearer ops"})
	if w.Code != 200 || !strings.Contains(w.Body.String(), "test_things_total 3") {
		t.Fatalf("metrics = %d %s", w.Code, w.Body)
	}
}

func TestRequestTimeout(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		want    bool
	}{
		{"none", 0, false},
		{"set", time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var has bool
			var left time.Duration
			s := newServer(&backend{ChatFunc: func(ctx context.Context, _ *llm.Request) (*llm.Response, error) {
				var d time.Time
				d, has = ctx.Deadline()
				left = time.Until(d)
				return answer("ok"), nil
			}}, Options{RequestTimeout: tt.timeout})
			if w := do(s, "POST", "/v1/chat/completions", chatBody, nil); w.Code != 200 {
				t.Fatalf("status = %d", w.Code)
			}
			if has != tt.want || has && (left <= 0 || left > tt.timeout) {
				t.Fatalf("deadline: %v, %v left", has, left)
			}
		})
	}
	t.Run("expires", func(t *testing.T) {
		s := newServer(&backend{ChatFunc: func(ctx context.Context, _ *llm.Request) (*llm.Response, error) {
			<-ctx.Done()
			return nil, llm.Wrap(llm.KindTimeout, ctx.Err(), "deadline passed")
		}}, Options{RequestTimeout: time.Millisecond})
		if w := do(s, "POST", "/v1/chat/completions", chatBody, nil); w.Code != http.StatusGatewayTimeout {
			t.Fatalf("status = %d, want 504", w.Code)
		}
	})
}

// TestRequestIDTimePrefix: a request id starts with the Unix second it was
// made in, so ids sort in arrival order to the second (the request log's
// index grows at its end), and the rest stays random.
func TestRequestIDTimePrefix(t *testing.T) {
	before := time.Now().Unix()
	a, b := newRequestID(), newRequestID()
	after := time.Now().Unix()
	for _, id := range []string{a, b} {
		if !requestIDPattern.MatchString(id) {
			t.Fatalf("request id %q does not match %v", id, requestIDPattern)
		}
		sec, err := strconv.ParseInt(id[len("req_"):len("req_")+8], 16, 64)
		if err != nil || sec < before || sec > after {
			t.Errorf("request id %q: time prefix %d (%v), want the second it was made in, %d..%d", id, sec, err, before, after)
		}
	}
	if a[len("req_")+8:] == b[len("req_")+8:] {
		t.Errorf("two ids share their random part: %q, %q", a, b)
	}
}
