package anthropic

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
	"switchyard/route"
	"switchyard/store"
)

// memFiles keeps files in memory in creation order, as a store's
// FileLog answers them (one tenant): enough of api/openai.FileStore for
// the Files API and for inlining.
type memFiles struct {
	apiopenai.FileStore
	mu    sync.Mutex
	files []*store.File
	clock time.Time
}

func (m *memFiles) MaxBytes() int64 { return 1 << 20 }

func (m *memFiles) Save(_ context.Context, f *store.File, _ int64) (*store.File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clock = m.clock.Add(time.Second)
	f.Created, f.Bytes = m.clock, int64(len(f.Content))
	m.files = append(m.files, f)
	out := *f
	out.Content = nil
	return &out, nil
}

func (m *memFiles) find(id string) (*store.File, error) {
	for _, f := range m.files {
		if f.ID == id {
			return f, nil
		}
	}
	return nil, store.ErrFileNotFound
}

func (m *memFiles) Get(_ context.Context, id string) (*store.File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, err := m.find(id)
	if err != nil {
		return nil, err
	}
	out := *f
	out.Content = nil
	return &out, nil
}

func (m *memFiles) Content(_ context.Context, id string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, err := m.find(id)
	if err != nil {
		return nil, err
	}
	return f.Content, nil
}

func (m *memFiles) Read(_ context.Context, id string, _ int64) (*store.File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, err := m.find(id)
	if err != nil {
		return nil, err
	}
	out := *f
	return &out, nil
}

func (m *memFiles) List(_ context.Context, q store.FileQuery) (store.FilePage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	files := slices.Clone(m.files)
	if q.Desc {
		slices.Reverse(files)
	}
	if q.After != "" {
		i := slices.IndexFunc(files, func(f *store.File) bool { return f.ID == q.After })
		if i < 0 {
			return store.FilePage{}, store.ErrFileNotFound
		}
		files = files[i+1:]
	}
	more := len(files) > q.Limit
	if more {
		files = files[:q.Limit]
	}
	return store.FilePage{Files: files, HasMore: more}, nil
}

func (m *memFiles) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.files, func(f *store.File) bool { return f.ID == id })
	if i < 0 {
		return store.ErrFileNotFound
	}
	m.files = slices.Delete(m.files, i, i+1)
	return nil
}

// capturing is a backend that keeps the request it answers.
type capturing struct {
	fakeBackend
	got *llm.Request
}

func (c *capturing) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, s *llm.Served) (*llm.Response, error) {
	c.got = req
	return c.fakeBackend.Chat(ctx, req, ov, s)
}

// filesServer serves the Messages and Files APIs over files, as the
// server wires them (the Files API by anthropic-version).
func filesServer(files *memFiles, b Backend) http.Handler {
	oh := &apiopenai.Handler{Files: files}
	h := &Handler{Backend: b, Files: files, InlineFiles: oh.InlineHeldFiles}
	mux := http.NewServeMux()
	h.Mount(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if FilesRequest(r) {
			h.ServeFiles(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func do(t *testing.T, h http.Handler, method, target, contentType string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	r.Header.Set(HeaderVersion, "2023-06-01")
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func uploadBody(t *testing.T, filename string, content []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func upload(t *testing.T, h http.Handler, filename string, content []byte) fileMetadata {
	t.Helper()
	ct, body := uploadBody(t, filename, content)
	w := do(t, h, http.MethodPost, "/v1/files", ct, body)
	var m fileMetadata
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &m) != nil {
		t.Fatalf("upload: %d %s", w.Code, w.Body)
	}
	return m
}

func TestFilesUploadGetDelete(t *testing.T) {
	files := &memFiles{clock: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	h := filesServer(files, &fakeBackend{})
	m := upload(t, h, "report.pdf", []byte("%PDF-1.4 x"))
	want := fileMetadata{ID: m.ID, Type: "file", Filename: "report.pdf", MimeType: "application/pdf", SizeBytes: 10, CreatedAt: "2026-01-02T03:04:06Z"}
	if !strings.HasPrefix(m.ID, "file-") || m != want {
		t.Fatalf("uploaded %+v, want %+v", m, want)
	}
	if files.files[0].Purpose != "user_data" {
		t.Errorf("purpose %q, want user_data (readable through both APIs)", files.files[0].Purpose)
	}
	if w := do(t, h, http.MethodGet, "/v1/files/"+m.ID, "", nil); w.Code != 200 || !strings.Contains(w.Body.String(), `"downloadable":false`) {
		t.Fatalf("get: %d %s", w.Code, w.Body)
	}
	if w := do(t, h, http.MethodGet, "/v1/files/"+m.ID+"/content", "", nil); w.Code != 400 || !strings.Contains(w.Body.String(), `"type":"invalid_request_error"`) {
		t.Fatalf("download of an upload: %d %s", w.Code, w.Body)
	}
	if w := do(t, h, http.MethodDelete, "/v1/files/"+m.ID, "", nil); w.Code != 200 || w.Body.String() != `{"id":"`+m.ID+`","type":"file_deleted"}` {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	w := do(t, h, http.MethodGet, "/v1/files/"+m.ID, "", nil)
	if w.Code != 404 || !strings.HasPrefix(w.Body.String(), `{"type":"error","error":{"type":"not_found_error","message":"File not found: `+m.ID) {
		t.Fatalf("get after delete: %d %s", w.Code, w.Body)
	}
}

func TestFilesDownloadOfRouterFile(t *testing.T) {
	files := &memFiles{}
	files.Save(context.Background(), &store.File{ID: "file-out", Filename: "out.jsonl", Purpose: "batch_output", Content: []byte("{}\n")}, 0)
	w := do(t, filesServer(files, &fakeBackend{}), http.MethodGet, "/v1/files/file-out/content", "", nil)
	if w.Code != 200 || w.Body.String() != "{}\n" {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}

func TestFilesUploadRefused(t *testing.T) {
	h := filesServer(&memFiles{}, &fakeBackend{})
	bigType, big := uploadBody(t, "a.txt", make([]byte, 1<<20+1))
	for _, c := range []struct {
		name, ct string
		body     []byte
		code     int
	}{
		{"not multipart", "application/json", []byte(`{}`), 400},
		{"no file part", "multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--b--\r\n"), 400},
		{"too large", bigType, big, 413},
	} {
		w := do(t, h, http.MethodPost, "/v1/files", c.ct, c.body)
		if w.Code != c.code || !strings.HasPrefix(w.Body.String(), `{"type":"error"`) {
			t.Errorf("%s: %d %s", c.name, w.Code, w.Body)
		}
	}
}

func listIDs(t *testing.T, h http.Handler, query string) filesList {
	t.Helper()
	w := do(t, h, http.MethodGet, "/v1/files"+query, "", nil)
	var l filesList
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &l) != nil {
		t.Fatalf("list %s: %d %s", query, w.Code, w.Body)
	}
	return l
}

func ids(l filesList) string {
	var s []string
	for _, m := range l.Data {
		s = append(s, m.Filename)
	}
	return strings.Join(s, ",")
}

// The list is newest first, paged by limit and after_id, before_id or
// the SDKs' next_page cursor.
func TestFilesListPages(t *testing.T) {
	h := filesServer(&memFiles{}, &fakeBackend{})
	var up []fileMetadata
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		up = append(up, upload(t, h, n, []byte(n)))
	}
	first := listIDs(t, h, "?limit=2")
	if ids(first) != "e,d" || !first.HasMore || *first.FirstID != up[4].ID || *first.LastID != up[3].ID || first.NextPage == nil {
		t.Fatalf("first page %+v", first)
	}
	second := listIDs(t, h, "?limit=2&page="+*first.NextPage)
	if ids(second) != "c,b" || !second.HasMore {
		t.Fatalf("second page %+v", second)
	}
	last := listIDs(t, h, "?limit=2&after_id="+*second.LastID)
	if ids(last) != "a" || last.HasMore || last.NextPage != nil {
		t.Fatalf("last page %+v", last)
	}
	before := listIDs(t, h, "?limit=2&before_id="+up[1].ID)
	if ids(before) != "d,c" || !before.HasMore {
		t.Fatalf("before_id page %+v", before)
	}
	if all := listIDs(t, h, ""); ids(all) != "e,d,c,b,a" || all.HasMore {
		t.Fatalf("default page %+v", all)
	}
	for _, q := range []string{"?limit=0", "?limit=1001", "?after_id=file-none", "?page=x", "?after_id=a&before_id=b"} {
		if w := do(t, h, http.MethodGet, "/v1/files"+q, "", nil); w.Code != 400 || !strings.Contains(w.Body.String(), "invalid_request_error") {
			t.Errorf("%s: %d %s", q, w.Code, w.Body)
		}
	}
}

func messagesWith(block string) []byte {
	return []byte(`{"model":"auto","max_tokens":20,"messages":[{"role":"user","content":[` + block + `,{"type":"text","text":"Summarize."}]}]}`)
}

// A document or image block by file_id is sent on with the file's bytes.
func TestMessagesInlineFiles(t *testing.T) {
	files := &memFiles{}
	b := &capturing{fakeBackend: fakeBackend{resp: &llm.Response{ID: "x", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "ok"), FinishReason: llm.FinishStop}}}}}
	h := filesServer(files, b)
	pdf := upload(t, h, "r.pdf", []byte("%PDF-1.4 hello"))
	txt := upload(t, h, "notes.txt", []byte("plain notes"))
	png := upload(t, h, "p.png", []byte("\x89PNG\r\n\x1a\n0000"))
	for _, c := range []struct {
		block string
		check func(p *llm.Part) bool
	}{
		{`{"type":"document","source":{"type":"file","file_id":"` + pdf.ID + `"}}`, func(p *llm.Part) bool {
			d := p.Document()
			return d != nil && d.MediaType == llm.MediaTypePDF && d.Data == base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 hello"))
		}},
		{`{"type":"document","source":{"type":"file","file_id":"` + txt.ID + `"}}`, func(p *llm.Part) bool {
			d := p.Document()
			return d != nil && d.Text == "plain notes"
		}},
		{`{"type":"image","source":{"type":"file","file_id":"` + png.ID + `"}}`, func(p *llm.Part) bool {
			return p.Type == llm.PartImage && p.ImageURL() == "data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\n0000"))
		}},
	} {
		b.got = nil
		w := do(t, h, http.MethodPost, "/v1/messages", "application/json", messagesWith(c.block))
		if w.Code != 200 || b.got == nil || !c.check(&b.got.Messages[0].Content[0]) {
			t.Errorf("%s: %d %s; sent %+v", c.block, w.Code, w.Body, b.got)
		}
	}
}

// A file the router does not hold, or of a type the block does not
// take, is refused before any routing.
func TestMessagesFileRefused(t *testing.T) {
	files := &memFiles{}
	b := &capturing{}
	h := filesServer(files, b)
	pdf := upload(t, h, "r.pdf", []byte("%PDF-1.4 hello"))
	bin := upload(t, h, "x.bin", []byte{0, 1, 2, 3})
	for _, block := range []string{
		`{"type":"document","source":{"type":"file","file_id":"file-unknown"}}`,
		`{"type":"image","source":{"type":"file","file_id":"` + pdf.ID + `"}}`,
		`{"type":"document","source":{"type":"file","file_id":"` + bin.ID + `"}}`,
	} {
		w := do(t, h, http.MethodPost, "/v1/messages", "application/json", messagesWith(block))
		if w.Code != 400 || !strings.HasPrefix(w.Body.String(), `{"type":"error","error":{"type":"invalid_request_error"`) || b.got != nil {
			t.Errorf("%s: %d %s", block, w.Code, w.Body)
		}
	}
	// With no InlineFiles (no files kept) every file named is refused.
	w := serve(t, b, string(messagesWith(`{"type":"document","source":{"type":"file","file_id":"`+pdf.ID+`"}}`)))
	if w.Code != 400 || !strings.Contains(w.Body.String(), "keeps no files") || b.got != nil {
		t.Errorf("no files kept: %d %s", w.Code, w.Body)
	}
}

func FuzzReadUploadParts(f *testing.F) {
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--b--\r\n"))
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--b--\r\n"))
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b\"\r\n\r\n2\r\n--b--\r\n"))
	f.Add("x", []byte("--x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		if boundary == "" || len(boundary) > 70 {
			return
		}
		u, err := readUploadParts(multipart.NewReader(bytes.NewReader(body), boundary), 64)
		if err == nil && (u.filename == "" || len(u.content) > 64) {
			t.Fatalf("accepted %+v", u)
		}
		if err != nil && llm.AsError(err).Kind == "" {
			t.Fatalf("an error without a kind: %v", err)
		}
	})
}

// A file part without a filename is named "unnamed", as the API names it.
func TestFilesUploadUnnamed(t *testing.T) {
	h := filesServer(&memFiles{}, &fakeBackend{})
	body := []byte("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--b--\r\n")
	w := do(t, h, http.MethodPost, "/v1/files", "multipart/form-data; boundary=b", body)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"filename":"unnamed"`) {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}
