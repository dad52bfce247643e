package openai_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
	"switchyard/store"
)

// tenantKey carries the test's caller tenant, set from x-test-tenant.
type tenantKey struct{}

// memFiles is a FileStore of files per tenant (the caller's of ctx), as
// the server's is: another tenant's file is not found. It counts the
// reads of each file's content and fails every call with fail when set.
type memFiles struct {
	apiopenai.FileStore // the methods these tests do not call
	mu                  sync.Mutex
	files               map[string]map[string]*store.File // tenant → id → file
	contentReads        map[string]int                    // tenant/id → reads of its content
	lookups             []string                          // tenant/id of every Read
	fail                error
}

func (m *memFiles) add(tenant string, f *store.File) {
	if m.files == nil {
		m.files, m.contentReads = map[string]map[string]*store.File{}, map[string]int{}
	}
	if m.files[tenant] == nil {
		m.files[tenant] = map[string]*store.File{}
	}
	f.Bytes = int64(len(f.Content))
	m.files[tenant][f.ID] = f
}

func (m *memFiles) Read(ctx context.Context, id string, maxBytes int64) (*store.File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	tenant, _ := ctx.Value(tenantKey{}).(string)
	m.lookups = append(m.lookups, tenant+"/"+id)
	if m.fail != nil {
		return nil, m.fail
	}
	f, ok := m.files[tenant][id]
	if !ok {
		return nil, store.ErrFileNotFound
	}
	out := *f
	if f.Bytes > maxBytes {
		out.Content = nil
		return &out, nil
	}
	m.contentReads[tenant+"/"+id]++
	return &out, nil
}

// fileHandler serves h with the tenant of x-test-tenant in the context.
func fileHandler(b *fakeBackend, files *memFiles, maxBody int64, reserve func(context.Context, int64) error) http.Handler {
	m := http.NewServeMux()
	h := &apiopenai.Handler{Backend: b, MaxBodyBytes: maxBody, ReserveBytes: reserve}
	if files != nil {
		h.Files = files
	}
	h.Mount(m)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tenantKey{}, r.Header.Get("x-test-tenant"))))
	})
}

// capture returns a backend keeping the last chat request it got.
func capture() (*fakeBackend, func() *llm.Request) {
	var (
		mu   sync.Mutex
		last *llm.Request
	)
	b := &fakeBackend{ChatFunc: func(_ context.Context, req *llm.Request) (*llm.Response, error) {
		mu.Lock()
		last = req
		mu.Unlock()
		return textResponse("read"), nil
	}}
	return b, func() *llm.Request { mu.Lock(); defer mu.Unlock(); return last }
}

var (
	tinyPDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func chatWithParts(parts ...string) string {
	return `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Read this."},` + strings.Join(parts, ",") + `]}]}`
}

// A PDF of the caller's named by id twice is read once and reaches the
// backend as the document its bytes sent as file_data would be: the
// file part of its bytes (which an OpenAI-format upstream gets), named
// by the stored filename; its cache breakpoint kept.
func TestChatFileIDInlinesPDF(t *testing.T) {
	files := &memFiles{}
	files.add("acme", &store.File{ID: "file-pdf", Filename: "report.pdf", Purpose: "user_data", Content: tinyPDF})
	b, last := capture()
	body := chatWithParts(`{"type":"file","file":{"file_id":"file-pdf"},"cache_control":{"type":"ephemeral"}}`, `{"type":"file","file":{"file_id":"file-pdf","filename":"again.pdf"}}`)
	w := do(fileHandler(b, files, 0, nil), "POST", "/v1/chat/completions", body, map[string]string{"x-test-tenant": "acme"})
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	c := last().Messages[0].Content
	for i, name := range map[int]string{1: "report.pdf", 2: "again.pdf"} {
		p := c[i]
		doc := p.Document()
		if p.Type != llm.PartDocument || doc == nil || doc.Data != b64(tinyPDF) || doc.MediaType != llm.MediaTypePDF || doc.Filename != name {
			t.Fatalf("part %d: %+v, document %+v", i, p, doc)
		}
		if want := `{"type":"file","file":{"filename":"` + name + `","file_data":"data:application/pdf;base64,` + b64(tinyPDF) + `"}}`; string(p.Raw()) != want {
			t.Errorf("part %d raw %s, want %s", i, p.Raw(), want)
		}
	}
	if n := files.contentReads["acme/file-pdf"]; n != 1 {
		t.Errorf("the file's content was read %d times, want once", n)
	}
}

// Another tenant's file is not held for this caller: looked up in the
// caller's tenant only, never read, the part passed on as sent (an
// OpenAI-format deployment answers that no such file exists); so is a
// file id the router never saw. The request without a file id is never
// looked up.
func TestChatFileIDNotHeldPassesThrough(t *testing.T) {
	files := &memFiles{}
	files.add("acme", &store.File{ID: "file-acme", Filename: "secret.pdf", Purpose: "user_data", Content: tinyPDF})
	b, last := capture()
	h := fileHandler(b, files, 0, nil)
	for _, id := range []string{"file-acme", "file-openai"} {
		part := `{"type":"file","file":{"file_id":"` + id + `"}}`
		w := do(h, "POST", "/v1/chat/completions", chatWithParts(part), map[string]string{"x-test-tenant": "globex"})
		if w.Code != 200 || strings.Contains(w.Body.String(), "secret") {
			t.Fatalf("%s: status %d: %s", id, w.Code, w.Body)
		}
		p := last().Messages[0].Content[1]
		if p.Type != llm.PartOther || string(p.Raw()) != part {
			t.Errorf("%s: part %s %s, want as sent", id, p.Type, p.Raw())
		}
	}
	do(h, "POST", "/v1/chat/completions", chatBody, map[string]string{"x-test-tenant": "globex"})
	if got := strings.Join(files.lookups, " "); got != "globex/file-acme globex/file-openai" || files.contentReads["acme/file-acme"] != 0 {
		t.Errorf("lookups %q, content reads %v", got, files.contentReads)
	}
}

// An image named by id in a chat file part, and one of the Responses
// API's input_image by file_id, reach the backend as an image by data:
// URL (every vision upstream takes one), with the part's detail; a text
// file as chat's file part of its bytes (its sniffed type).
func TestFileIDImagesAndOtherTypes(t *testing.T) {
	files := &memFiles{}
	files.add("acme", &store.File{ID: "file-png", Filename: "dot.png", Purpose: "vision", Content: tinyPNG})
	files.add("acme", &store.File{ID: "file-txt", Filename: "notes.txt", Purpose: "user_data", Content: []byte("plain notes")})
	b, last := capture()
	h := fileHandler(b, files, 0, nil)
	acme := map[string]string{"x-test-tenant": "acme"}
	w := do(h, "POST", "/v1/chat/completions", chatWithParts(`{"type":"file","file":{"file_id":"file-png"}}`, `{"type":"file","file":{"file_id":"file-txt"}}`), acme)
	if w.Code != 200 {
		t.Fatalf("chat: %d %s", w.Code, w.Body)
	}
	c := last().Messages[0].Content
	if c[1].Type != llm.PartImage || c[1].ImageURL() != "data:image/png;base64,"+b64(tinyPNG) {
		t.Errorf("image: %s %q", c[1].Type, c[1].ImageURL())
	}
	if want := `{"type":"file","file":{"filename":"notes.txt","file_data":"data:text/plain;base64,` + b64([]byte("plain notes")) + `"}}`; c[2].Type != llm.PartOther || string(c[2].Raw()) != want {
		t.Errorf("text file: %s %s", c[2].Type, c[2].Raw())
	}
	body := `{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-png","detail":"low"},{"type":"input_file","file_id":"file-txt"},{"type":"input_text","text":"?"}]}]}`
	if w := do(h, "POST", "/v1/responses", body, acme); w.Code != 200 {
		t.Fatalf("responses: %d %s", w.Code, w.Body)
	}
	c = last().Messages[0].Content
	if c[0].Type != llm.PartImage || c[0].ImageURL() != "data:image/png;base64,"+b64(tinyPNG) || c[0].ImageDetail() != "low" {
		t.Errorf("input_image: %s %q %q", c[0].Type, c[0].ImageURL(), c[0].ImageDetail())
	}
}

// The Responses API's input_file by id of a held PDF is its document.
func TestResponsesInputFileID(t *testing.T) {
	files := &memFiles{}
	files.add("acme", &store.File{ID: "file-pdf", Filename: "r.pdf", Purpose: "assistants", Content: tinyPDF})
	b, last := capture()
	body := `{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"file-pdf"},{"type":"input_text","text":"?"}]}]}`
	if w := do(fileHandler(b, files, 0, nil), "POST", "/v1/responses", body, map[string]string{"x-test-tenant": "acme"}); w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if doc := last().Messages[0].Content[0].Document(); doc == nil || doc.Data != b64(tinyPDF) || doc.Filename != "r.pdf" {
		t.Errorf("document %+v", doc)
	}
}

// What is refused, before any upstream is called: an image by a file id
// the router does not hold (Chat Completions has none) or without files
// kept at all, a file of a purpose models do not read, an image by id
// that is no image, a request grown past the body limit, the in-flight
// budget full, the store failing.
func TestFileIDRefusals(t *testing.T) {
	files := &memFiles{}
	files.add("acme", &store.File{ID: "file-batch", Filename: "in.jsonl", Purpose: "batch", Content: []byte("{}\n")})
	files.add("acme", &store.File{ID: "file-pdf", Filename: "r.pdf", Purpose: "user_data", Content: tinyPDF})
	full := func(context.Context, int64) error {
		e := llm.Errorf(llm.KindUnavailable, "full")
		e.Code = "server_overloaded"
		return e
	}
	imageByID := func(id string) string {
		return `{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"` + id + `"}]}]}`
	}
	for _, c := range []struct {
		name, path, body string
		h                http.Handler
		status           int
		want             string
	}{
		{"image not held", "/v1/responses", imageByID("file-elsewhere"), fileHandler(&fakeBackend{}, files, 0, nil), 400, "No file file-elsewhere"},
		{"image, no files kept", "/v1/responses", imageByID("file-pdf"), fileHandler(&fakeBackend{}, nil, 0, nil), 400, "No file file-pdf"},
		{"image that is a PDF", "/v1/responses", imageByID("file-pdf"), fileHandler(&fakeBackend{}, files, 0, nil), 400, "is not an image"},
		{"batch purpose", "/v1/chat/completions", chatWithParts(`{"type":"file","file":{"file_id":"file-batch"}}`), fileHandler(&fakeBackend{}, files, 0, nil), 400, "purpose 'batch'"},
		{"too large", "/v1/chat/completions", chatWithParts(`{"type":"file","file":{"file_id":"file-pdf"}}`), fileHandler(&fakeBackend{}, files, 160, nil), 413, "server.max_body_bytes"},
		{"budget full", "/v1/chat/completions", chatWithParts(`{"type":"file","file":{"file_id":"file-pdf"}}`), fileHandler(&fakeBackend{}, files, 0, full), 503, "full"},
	} {
		w := do(c.h, "POST", c.path, c.body, map[string]string{"x-test-tenant": "acme"})
		if w.Code != c.status || !strings.Contains(errorBody(t, w).Message, c.want) {
			t.Errorf("%s: %d %s, want %d %q", c.name, w.Code, w.Body, c.status, c.want)
		}
	}
	failing := &memFiles{fail: errors.New("database is down")}
	w := do(fileHandler(&fakeBackend{}, failing, 0, nil), "POST", "/v1/chat/completions", chatWithParts(`{"type":"file","file":{"file_id":"file-pdf"}}`), nil)
	if e := errorBody(t, w); w.Code != 503 || strings.Contains(e.Message, "database") {
		t.Errorf("store down: %d %+v", w.Code, e)
	}
}

// The in-flight budget is asked once for the bytes of the data URLs put
// in the request, each time a file is named (as if sent).
func TestFileIDReservesInflightBytes(t *testing.T) {
	files := &memFiles{}
	files.add("acme", &store.File{ID: "file-pdf", Filename: "r.pdf", Purpose: "user_data", Content: tinyPDF})
	var asked []int64
	reserve := func(_ context.Context, n int64) error { asked = append(asked, n); return nil }
	b, _ := capture()
	w := do(fileHandler(b, files, 0, reserve), "POST", "/v1/chat/completions", chatWithParts(`{"type":"file","file":{"file_id":"file-pdf"}}`, `{"type":"file","file":{"file_id":"file-pdf"}}`), map[string]string{"x-test-tenant": "acme"})
	want := 2 * int64(len("data:application/pdf;base64,")+len(b64(tinyPDF)))
	if w.Code != 200 || len(asked) != 1 || asked[0] != want {
		t.Errorf("status %d, reserved %v, want [%d]", w.Code, asked, want)
	}
	do(fileHandler(b, files, 0, reserve), "POST", "/v1/chat/completions", chatBody, nil)
	if len(asked) != 1 {
		t.Errorf("a request without a file id reserved %v", asked[1:])
	}
}

// POST /v1/responses/input_tokens counts a file named by id as its bytes
// sent would count.
func TestInputTokensFileID(t *testing.T) {
	files := &memFiles{}
	files.add("acme", &store.File{ID: "file-pdf", Filename: "r.pdf", Purpose: "user_data", Content: tinyPDF})
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: &fakeBackend{}, Files: files, CountTokens: func(req *llm.Request) int {
		n := 0
		for _, p := range req.Messages[0].Content {
			if d := p.Document(); d != nil {
				n += 1000 + len(d.Data)
			}
		}
		return n
	}}).Mount(m)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tenantKey{}, "acme")))
	})
	count := func(part string) string {
		w := do(h, "POST", "/v1/responses/input_tokens", `{"model":"m","input":[{"role":"user","content":[`+part+`]}]}`, nil)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", part, w.Code, w.Body)
		}
		return w.Body.String()
	}
	byID := count(`{"type":"input_file","file_id":"file-pdf"}`)
	byBytes := count(`{"type":"input_file","filename":"r.pdf","file_data":"data:application/pdf;base64,` + b64(tinyPDF) + `"}`)
	if byID != byBytes || !strings.Contains(byID, `"input_tokens":1`) {
		t.Errorf("by id %s, by bytes %s", byID, byBytes)
	}
}
