package openai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
	wire "switchyard/wire/openai"
)

// fakeBackend is the shared fake Backend.
type fakeBackend = openaitest.Backend

// scripted returns the shared scripted stream yielding chunks, then end
// (io.EOF for a clean end).
func scripted(chunks []*llm.Chunk, end error) *llmtest.Stream {
	return llmtest.NewStream(context.Background(), append(llmtest.Chunks(chunks...), llmtest.Event{Err: end})...)
}

var (
	textResponse = openaitest.Text
	textChunk    = openaitest.TextChunk
)

const chatBody = `{"model":"m","messages":[{"role":"user","content":"hi"}]}`

// mux mounts a handler for b.
func mux(b *fakeBackend, maxBody int64) *http.ServeMux {
	m := http.NewServeMux()
	h := &apiopenai.Handler{Backend: b, MaxBodyBytes: maxBody, Models: func(context.Context) []wire.Model {
		return []wire.Model{
			{ID: "auto", OwnedBy: "switchyard", Created: 1735689600},
			{ID: "openai/gpt-4o", OwnedBy: "openai", Created: 1},
			{ID: "org/team/model-v1", OwnedBy: "org", Created: 2},
		}
	}}
	h.Mount(m)
	return m
}

func do(h http.Handler, method, target, body string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

type apiError struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

// errorBody decodes an OpenAI error response, failing if it is not one.
func errorBody(t *testing.T, w *httptest.ResponseRecorder) apiError {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cl := w.Header().Get("Content-Length"); cl != fmt.Sprint(w.Body.Len()) {
		t.Errorf("Content-Length = %q for %d bytes", cl, w.Body.Len())
	}
	var body struct{ Error *apiError }
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error == nil {
		t.Fatalf("not an OpenAI error: %s (%v)", w.Body, err)
	}
	return *body.Error
}

func str(p *string) string {
	if p == nil {
		return "<null>"
	}
	return *p
}

func TestBodyLimit(t *testing.T) {
	const limit = 200
	valid := chatBody + strings.Repeat(" ", limit-len(chatBody)) // exactly the limit
	tests := []struct {
		name    string
		path    string
		body    string
		chunked bool
		status  int
	}{
		{"at the limit", "/v1/chat/completions", valid, false, 200},
		{"at the limit, chunked", "/v1/chat/completions", valid, true, 200},
		{"over, with Content-Length", "/v1/chat/completions", valid + " ", false, 413},
		{"over, chunked", "/v1/chat/completions", valid + " ", true, 413},
		{"far over, chunked", "/v1/chat/completions", valid + strings.Repeat(" ", 1<<20), true, 413},
		{"embeddings over", "/v1/embeddings", `{"model":"e","input":"` + strings.Repeat("x", limit) + `"}`, false, 413},
		{"embeddings over, chunked", "/v1/embeddings", `{"model":"e","input":"` + strings.Repeat("x", limit) + `"}`, true, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{}
			r := httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body))
			if tt.chunked {
				r.ContentLength = -1
				r.TransferEncoding = []string{"chunked"}
				r.Body = io.NopCloser(&onlyReader{strings.NewReader(tt.body)})
			}
			w := httptest.NewRecorder()
			mux(b, limit).ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status != 413 {
				return
			}
			e := errorBody(t, w)
			if e.Type != "invalid_request_error" || !strings.Contains(e.Message, "200 bytes") {
				t.Errorf("error = %+v", e)
			}
			if b.Calls() != 0 {
				t.Error("the backend was called for an oversized body")
			}
		})
	}
}

// onlyReader hides every method but Read (no WriterTo, no Len).
type onlyReader struct{ r io.Reader }

func (o *onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestBodyLimitOverHTTP(t *testing.T) {
	defer goleak.VerifyNone(t)
	b := &fakeBackend{}
	srv := httptest.NewServer(mux(b, 1000))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}

	for _, chunked := range []bool{false, true} {
		body := io.Reader(strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"` + strings.Repeat("x", 5000) + `"}]}`))
		if chunked {
			body = &onlyReader{body} // unknown length: sent chunked
		}
		req, _ := http.NewRequest("POST", srv.URL+"/v1/chat/completions", body)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 413 {
			t.Errorf("chunked=%v: status %d, want 413", chunked, resp.StatusCode)
		}
	}
	if b.Calls() != 0 {
		t.Error("the backend was called")
	}
}

func TestDefaultBodyLimit(t *testing.T) {
	r := httptest.NewRequest("POST", "/v1/chat/completions", strings.NewReader("{}"))
	r.ContentLength = 10<<20 + 1
	w := httptest.NewRecorder()
	mux(&fakeBackend{}, 0).ServeHTTP(w, r)
	if w.Code != 413 || !strings.Contains(errorBody(t, w).Message, "10485760 bytes") {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
}

func TestMalformedRequest(t *testing.T) {
	tests := []struct {
		name, body string
		param      string
		message    string
	}{
		{"truncated JSON", `{`, "<null>", "could not parse the JSON body"},
		{"not an object", `[]`, "<null>", "expected a JSON object"},
		{"trailing garbage", chatBody + ` x`, "<null>", "after top-level value"},
		{"empty body", ``, "<null>", "could not parse the JSON body"},
		{"missing messages", `{"model":"m"}`, "messages", "Missing required parameter: 'messages'"},
		{"wrong type", `{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}`, "temperature", "expected a number"},
		{"bad role", `{"model":"m","messages":[{"role":"bogus","content":"hi"}]}`, "messages[0].role", "'bogus'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{}
			w := do(mux(b, 0), "POST", "/v1/chat/completions", tt.body, nil)
			if w.Code != 400 {
				t.Fatalf("status = %d: %s", w.Code, w.Body)
			}
			e := errorBody(t, w)
			if str(e.Param) != tt.param || e.Type != "invalid_request_error" || !strings.Contains(e.Message, tt.message) {
				t.Errorf("error = %+v (param %s), want param %s, message with %q", e, str(e.Param), tt.param, tt.message)
			}
			if b.Calls() != 0 {
				t.Error("the backend was called")
			}
		})
	}
	t.Run("embeddings", func(t *testing.T) {
		w := do(mux(&fakeBackend{}, 0), "POST", "/v1/embeddings", `{"model":"e","input":"x","encoding_format":"hex"}`, nil)
		if e := errorBody(t, w); w.Code != 400 || str(e.Param) != "encoding_format" {
			t.Fatalf("%d %+v", w.Code, e)
		}
	})
}

func TestChat(t *testing.T) {
	b := &fakeBackend{Served: llm.Served{Deployment: "gpt-4o@openai", Summary: "cat=code tier=1", CostUSD: 0.00125}}
	b.ChatFunc = func(_ context.Context, req *llm.Request) (*llm.Response, error) {
		if req.Model != "m" || len(req.Messages) != 1 || req.Stream {
			return nil, fmt.Errorf("backend got %+v", req)
		}
		return textResponse("hello there"), nil
	}
	w := do(mux(b, 0), "POST", "/v1/chat/completions", chatBody, nil)
	if w.Code != 200 {
		t.Fatalf("status = %d: %s", w.Code, w.Body)
	}
	hd := w.Header()
	for k, want := range map[string]string{
		"Content-Type":             "application/json",
		"Content-Length":           fmt.Sprint(w.Body.Len()),
		apiopenai.HeaderDeployment: "gpt-4o@openai",
		apiopenai.HeaderRoute:      "cat=code tier=1",
		apiopenai.HeaderCost:       "0.00125",
		apiopenai.HeaderRequestID:  "", // set by the server, not here
	} {
		if got := hd.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	var resp struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Choices []struct {
			Message struct{ Role, Content string }
			Finish  string `json:"finish_reason"`
		}
		Usage struct {
			Total int `json:"total_tokens"`
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Object != "chat.completion" || len(resp.Choices) != 1 || resp.Choices[0].Message.Content != "hello there" ||
		resp.Choices[0].Finish != "stop" || resp.Usage.Total != 4 {
		t.Fatalf("response = %s", w.Body)
	}
}

func TestServedHeadersOnFailure(t *testing.T) {
	b := &fakeBackend{Served: llm.Served{Deployment: "d1", Summary: "s"}}
	b.ChatFunc = func(context.Context, *llm.Request) (*llm.Response, error) {
		return nil, llm.Errorf(llm.KindUpstream, "upstream broke")
	}
	w := do(mux(b, 0), "POST", "/v1/chat/completions", chatBody, nil)
	if w.Code != 502 || w.Header().Get(apiopenai.HeaderDeployment) != "d1" || w.Header().Get(apiopenai.HeaderRoute) != "s" {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	if w.Header().Get(apiopenai.HeaderCost) != "" {
		t.Error("a cost header on a failure")
	}
	// Nothing known: no empty headers.
	w = do(mux(&fakeBackend{ChatFunc: b.ChatFunc}, 0), "POST", "/v1/chat/completions", chatBody, nil)
	for _, k := range []string{apiopenai.HeaderDeployment, apiopenai.HeaderRoute} {
		if _, ok := w.Header()[http.CanonicalHeaderKey(k)]; ok {
			t.Errorf("empty %s header sent", k)
		}
	}
}

func TestOverrideHeaders(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		status int
		check  func(*route.Overrides) bool
		param  string
	}{
		{"none", nil, 200, func(ov *route.Overrides) bool { return ov == nil }, ""},
		{"pin", map[string]string{route.HeaderModel: "gpt-4o"}, 200, func(ov *route.Overrides) bool { return ov != nil && ov.Model == "gpt-4o" }, ""},
		{"no fallback", map[string]string{route.HeaderFallback: "none"}, 200, func(ov *route.Overrides) bool { return ov != nil && ov.NoFallback }, ""},
		{"bad cost", map[string]string{route.HeaderMaxCost: "cheap"}, 400, nil, route.HeaderMaxCost},
		{"bad fallback", map[string]string{route.HeaderFallback: "maybe"}, 400, nil, route.HeaderFallback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, stream := range []bool{false, true} {
				b := &fakeBackend{}
				body := chatBody
				if stream {
					body = `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`
				}
				w := do(mux(b, 0), "POST", "/v1/chat/completions", body, tt.header)
				if w.Code != tt.status {
					t.Fatalf("stream=%v: status %d, want %d: %s", stream, w.Code, tt.status, w.Body)
				}
				if tt.status != 200 {
					if e := errorBody(t, w); str(e.Param) != tt.param {
						t.Errorf("param = %s, want %s", str(e.Param), tt.param)
					}
					if b.Calls() != 0 {
						t.Error("the backend was called")
					}
					continue
				}
				if !tt.check(b.Overrides()) {
					t.Errorf("stream=%v: backend got overrides %+v", stream, b.Overrides())
				}
			}
		})
	}
}

func TestUnknownPath(t *testing.T) {
	tests := []struct{ method, path string }{
		{"GET", "/v1/nope"},
		{"GET", "/v1/completions"},      // the wrong method
		{"PUT", "/v1/chat/completions"}, // the wrong method
		{"DELETE", "/v1/models/auto"},
		// The wrong method on a path that is also a subtree of other
		// paths (/v1/responses/{id}): answered, not redirected to
		// /v1/responses/ with an HTML body.
		{"PUT", "/v1/responses"},
		{"PATCH", "/v1/responses"},
		{"DELETE", "/v1/responses"},
		{"OPTIONS", "/v1/responses"},
	}
	for _, tt := range tests {
		w := do(mux(&fakeBackend{}, 0), tt.method, tt.path, "", nil)
		if w.Code != 404 {
			t.Errorf("%s %s = %d", tt.method, tt.path, w.Code)
			continue
		}
		e := errorBody(t, w)
		if str(e.Code) != "unknown_url" || !strings.Contains(e.Message, tt.method+" "+tt.path) {
			t.Errorf("%s %s: %+v", tt.method, tt.path, e)
		}
	}
}

func TestConcurrentRequestsDoNotShareBuffers(t *testing.T) {
	// The handler reads bodies into pooled buffers; a decoded request must
	// own its bytes, since the buffer is reused once decoding is done.
	const n = 32
	arrived := make(chan struct{}, n)
	all := make(chan struct{})
	b := &fakeBackend{}
	b.ChatFunc = func(_ context.Context, req *llm.Request) (*llm.Response, error) {
		arrived <- struct{}{}
		<-all // every request is decoded before any is checked
		i := strings.TrimPrefix(req.Model, "model-")
		want := "message number " + i + strings.Repeat(" pad", 50)
		if got := req.Messages[0].Text(); got != want {
			return nil, fmt.Errorf("request %s: content %q", i, got)
		}
		if len(req.Tools) != 1 || req.Tools[0].Name != "tool_"+i || string(req.Tools[0].Parameters) != `{"type":"object","title":"`+i+`"}` {
			return nil, fmt.Errorf("request %s: tools %+v", i, req.Tools)
		}
		if string(req.Extra["x_extra"]) != `"extra-`+i+`"` {
			return nil, fmt.Errorf("request %s: extra %s", i, req.Extra["x_extra"])
		}
		return textResponse("ok"), nil
	}
	h := mux(b, 0)
	var wg sync.WaitGroup
	codes := make([]*httptest.ResponseRecorder, n)
	for i := range n {
		wg.Go(func() {
			body := fmt.Sprintf(`{"model":"model-%d","messages":[{"role":"user","content":"message number %d%s"}],`+
				`"tools":[{"type":"function","function":{"name":"tool_%d","parameters":{"type":"object","title":"%d"}}}],"x_extra":"extra-%d"}`,
				i, i, strings.Repeat(" pad", 50), i, i, i)
			codes[i] = do(h, "POST", "/v1/chat/completions", body, nil)
		})
	}
	for range n {
		select {
		case <-arrived:
		case <-time.After(5 * time.Second):
			t.Fatal("not every request reached the backend")
		}
	}
	close(all)
	wg.Wait()
	for i, w := range codes {
		if w.Code != 200 {
			t.Errorf("request %d: %d %s", i, w.Code, w.Body)
		}
	}
}
