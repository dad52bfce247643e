package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/store"
)

// oneFile is a file store holding one user_data PDF for every caller.
type oneFile struct {
	apiopenai.FileStore // the methods not called here
	content             []byte
}

func (o oneFile) Read(_ context.Context, id string, maxBytes int64) (*store.File, error) {
	if id != "file-held" {
		return nil, store.ErrFileNotFound
	}
	f := &store.File{ID: id, Filename: "a.pdf", Purpose: "user_data", Bytes: int64(len(o.content))}
	if f.Bytes <= maxBytes {
		f.Content = o.content
	}
	return f, nil
}

// The bytes of a file a request names by id are taken from the in-flight
// budget with its body's, and given back when it ends: a request whose
// body fits but whose file does not is a 503 naming
// server.max_inflight_bytes; with room, it is served, again and again.
func TestInflightBudgetTakesNamedFiles(t *testing.T) {
	pdf := []byte("%PDF-1.4\n" + strings.Repeat("x", 3000) + "\n%%EOF\n")
	body := `{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-held"}},{"type":"text","text":"Read it."}]}]}`
	for _, c := range []struct {
		limit  int64
		status int
	}{{int64(len(body)) + 1000, http.StatusServiceUnavailable}, {int64(len(body)) + 8000, http.StatusOK}} {
		s := newServer(&backend{}, Options{Limits: Limits{MaxInflightBytes: c.limit}, API: &apiopenai.Handler{Files: oneFile{content: pdf}}})
		for range 3 {
			w := do(s, "POST", "/v1/chat/completions", body, nil)
			if w.Code != c.status {
				t.Fatalf("limit %d: %d %s, want %d", c.limit, w.Code, w.Body, c.status)
			}
			if c.status != http.StatusOK {
				if msg, _, code := openAIError(t, w); code != "server_overloaded" || !strings.Contains(msg, "server.max_inflight_bytes") {
					t.Errorf("error %q %v", msg, code)
				}
			}
		}
		if w := do(s, "POST", "/v1/chat/completions", chatBody, nil); w.Code != http.StatusOK {
			t.Errorf("limit %d: a request naming no file after: %d", c.limit, w.Code)
		}
	}
}
