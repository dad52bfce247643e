package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/learn"
	"switchyard/llm"
)

// The small JSON bodies the server reads itself (a rating, a client
// secret's request) are refused as the API's bodies are: 413 past their
// limit, 400 for a body cut short (never a 500), a leading byte order
// mark skipped.
func TestSmallBodies(t *testing.T) {
	r, _, ts := feedbackRouter(t)
	defer r.Close(context.Background())
	unknown := `{"request_id":"req_000000000000000000000000","thumbs":"up"`
	for _, tt := range []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"rating too large", "/v1/feedback", unknown + `,"pad":"` + strings.Repeat("x", learn.MaxRatingBytes) + `"}`, 413, ""},
		{"rating with a byte order mark", "/v1/feedback", "\ufeff" + unknown + "}", 404, codeRequestNotFound},
		{"secret request too large", "/v1/realtime/client_secrets", `{"session":{"instructions":"` + strings.Repeat("x", maxSecretBody) + `"}}`, 413, ""},
		{"secret request with a byte order mark", "/v1/realtime/client_secrets", "\ufeff{}", 200, ""},
	} {
		status, _, body := send(t, ts, tt.path, acmeKey, tt.body)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d (%.300s)", tt.name, status, tt.status, body)
			continue
		}
		if status == 200 {
			continue
		}
		if code, _ := errorOf(t, body); code != tt.code {
			t.Errorf("%s: code %q, want %q", tt.name, code, tt.code)
		}
	}
	for _, path := range []string{"/v1/feedback", "/v1/realtime/client_secrets"} {
		status, body := cutShort(t, ts, path)
		if status != 400 || !strings.Contains(body, "before its declared Content-Length") {
			t.Errorf("%s with a body cut short: %d %s, want a 400 saying so", path, status, body)
		}
	}
}

// cutShort posts to path a body that ends after 5 of its declared 100
// bytes, and returns the answer's status and body.
func cutShort(t *testing.T, ts *httptest.Server, path string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second)) // a hang bound
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":", path, acmeKey)
	c.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s: no answer: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The server's read deadline met while reading such a body is its 408,
// as on the API's endpoints.
func TestSmallBodiesKeepTheReadDeadline(t *testing.T) {
	r, _, _ := feedbackRouter(t)
	defer r.Close(context.Background())
	deadline := llm.Errorf(llm.KindTimeout, "The request body did not arrive within 1s (server.read_timeout).")
	deadline.Status, deadline.Code = http.StatusRequestTimeout, "read_timeout"
	for _, path := range []string{"/v1/feedback", "/v1/realtime/client_secrets"} {
		req := httptest.NewRequest(http.MethodPost, path, io.MultiReader(strings.NewReader("{"), errReader{deadline}))
		req.Header.Set("Authorization", "Bearer "+acmeKey)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if code, _ := errorOf(t, w.Body.String()); w.Code != http.StatusRequestTimeout || code != "read_timeout" {
			t.Errorf("%s: %d %s, want the read deadline's 408", path, w.Code, w.Body)
		}
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
