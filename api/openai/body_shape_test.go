package openai_test

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"switchyard/llm"
)

// A JSON body is taken whatever its Content-Type says (curl -d sends
// application/x-www-form-urlencoded, some clients text/plain or none),
// and a leading UTF-8 byte order mark, which Windows tools write, is
// ignored (RFC 8259 §8.1 lets a parser do so). A multipart form, which
// can never be the JSON these endpoints take, is a 415 saying so, rather
// than a JSON syntax error about its first byte.
func TestJSONBodyShapes(t *testing.T) {
	const chat = `{"model":"m","messages":[{"role":"user","content":"hi"}]}`
	form := "--XX\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--XX--\r\n"
	for _, tt := range []struct {
		name, contentType, body string
		status                  int
	}{
		{"json", "application/json", chat, 200},
		{"form-urlencoded", "application/x-www-form-urlencoded", chat, 200},
		{"text/plain", "text/plain", chat, 200},
		{"no content type", "", chat, 200},
		{"byte order mark", "application/json", "\ufeff" + chat, 200},
		{"multipart", "multipart/form-data; boundary=XX", form, 415},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) { return textResponse("ok"), nil }}
			header := map[string]string{}
			if tt.contentType != "" {
				header["Content-Type"] = tt.contentType
			}
			for _, path := range []string{"/v1/chat/completions", "/v1/embeddings"} {
				if path == "/v1/embeddings" && tt.status == 200 {
					continue // the chat body is no embeddings request
				}
				w := do(mux(b, 1<<20), "POST", path, tt.body, header)
				if w.Code != tt.status {
					t.Fatalf("%s: status %d, want %d: %s", path, w.Code, tt.status, w.Body)
				}
				if tt.status != 200 {
					if e := errorBody(t, w); !strings.Contains(e.Message, "application/json") || !strings.Contains(e.Message, "multipart/form-data") {
						t.Errorf("%s: message %q, want it to name the type sent and the one taken", path, e.Message)
					}
				}
			}
		})
	}
}

// A body that ends before its declared Content-Length (the client sent
// less, then closed its side) is a 400 saying so.
func TestShortBodySaysSo(t *testing.T) {
	b := &fakeBackend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) { return textResponse("ok"), nil }}
	r := httptest.NewRequest("POST", "/v1/chat/completions", io.MultiReader(strings.NewReader(`{"model":`), iotest.ErrReader(io.ErrUnexpectedEOF)))
	r.Header.Set("Content-Type", "application/json")
	r.ContentLength = 1000
	w := httptest.NewRecorder()
	mux(b, 1<<20).ServeHTTP(w, r)
	if w.Code != 400 {
		t.Fatalf("status %d, want 400: %s", w.Code, w.Body)
	}
	if e := errorBody(t, w); !strings.Contains(e.Message, "9 bytes") || !strings.Contains(e.Message, "Content-Length of 1000") {
		t.Errorf("message %q, want it to say the body ended at 9 of its 1000 bytes", e.Message)
	}
}
