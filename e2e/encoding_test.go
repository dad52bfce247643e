package e2e

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
)

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gzipRequests compresses every request body the SDK sends, as a
// compressing client or proxy in front of the router would.
func gzipRequests(t *testing.T) option.Middleware {
	return func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		if r.Body != nil {
			b, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, err
			}
			z := gzipped(t, b)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(z)), int64(len(z))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(z)), nil }
			r.Header.Set("Content-Encoding", "gzip")
		}
		return next(r)
	}
}

// Request bodies compressed with gzip or deflate are taken; other codings
// and corrupt data are refused in the API's error shape; the body limit
// applies to the decoded bytes.
func TestCompressedRequestBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Server.MaxBodyBytes = 64 << 10 })
	chat, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model:    "auto",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of France?")},
	}, option.WithMiddleware(gzipRequests(t)))
	if err != nil || len(chat.Choices) != 1 || chat.Choices[0].Message.Content == "" {
		t.Fatalf("gzip through the SDK: %v %+v", err, chat)
	}

	var zbuf bytes.Buffer
	zw := zlib.NewWriter(&zbuf)
	zw.Write(chatBody("auto", "hello there", false))
	zw.Close()
	resp, body := postH(t, e.URL+"/v1/chat/completions", zbuf.Bytes(), map[string]string{"Content-Encoding": "deflate"})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"chat.completion"`) {
		t.Errorf("deflate: %d %s", resp.StatusCode, body)
	}

	resp, body = postH(t, e.URL+"/v1/chat/completions", []byte("\x1b\x00\x00"), map[string]string{"Content-Encoding": "br"})
	eb := wantError(t, resp, body, http.StatusUnsupportedMediaType, "invalid_request_error")
	if eb.Error.Code == nil || *eb.Error.Code != "unsupported_content_encoding" || !strings.Contains(eb.Error.Message, "gzip or deflate") {
		t.Errorf("br: %s", body)
	}

	bad := gzipped(t, chatBody("auto", "hello there", false))
	bad = bad[:len(bad)-12] // cut inside the compressed data
	resp, body = postH(t, e.URL+"/v1/chat/completions", bad, map[string]string{"Content-Encoding": "gzip"})
	eb = wantError(t, resp, body, http.StatusBadRequest, "invalid_request_error")
	if !strings.Contains(eb.Error.Message, "not valid gzip") {
		t.Errorf("truncated gzip: %s", body)
	}
	resp, body = postH(t, e.URL+"/v1/chat/completions", []byte(`{"model":"auto"}`), map[string]string{"Content-Encoding": "gzip"})
	wantError(t, resp, body, http.StatusBadRequest, "invalid_request_error")

	// 1 MiB of spaces inside the JSON compresses to about 1 KB.
	bomb := gzipped(t, []byte(`{"model":"auto",`+strings.Repeat(" ", 1<<20)+`"messages":[{"role":"user","content":"hi"}]}`))
	resp, body = postH(t, e.URL+"/v1/chat/completions", bomb, map[string]string{"Content-Encoding": "gzip"})
	if eb := wantError(t, resp, body, http.StatusRequestEntityTooLarge, "invalid_request_error"); !strings.Contains(eb.Error.Message, "max_body_bytes") {
		t.Errorf("inflated past the limit: %s", body)
	}

	resp, body = postH(t, e.URL+"/v1/messages", []byte("x"), map[string]string{"Content-Encoding": "zstd", "anthropic-version": "2023-06-01", "x-api-key": "k"})
	var ae struct {
		Type  string `json:"type"`
		Error struct {
			Type, Message string
		} `json:"error"`
	}
	if resp.StatusCode != http.StatusUnsupportedMediaType || json.Unmarshal(body, &ae) != nil || ae.Type != "error" || !strings.Contains(ae.Error.Message, "zstd") {
		t.Errorf("Anthropic endpoint, zstd: %d %s", resp.StatusCode, body)
	}
}
