package server

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store/sqlite"
)

// uploadsRig serves the Uploads and Files APIs over a SQLite store, the
// caller's tenant the X-Tenant header's, its files at most 64 bytes.
type uploadsRig struct {
	t       *testing.T
	mux     http.Handler
	files   *fileStore
	uploads *uploadStore
}

func newUploadsRig(t *testing.T) *uploadsRig {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/u.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := &config.Config{Batches: config.Batches{MaxFileBytes: 64, Retention: 24 * time.Hour}}
	serving := func() *config.Config { return cfg }
	fs := newFileStore(db, cfg, serving, newStoredContent(serving, slog.New(slog.DiscardHandler), nil))
	us := newUploadStore(db, fs)
	m := http.NewServeMux()
	(&apiopenai.Handler{Files: fs, Uploads: us}).Mount(m)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := gateway.WithCaller(r.Context(), gateway.Caller{Tenant: r.Header.Get("X-Tenant"), Name: "app"})
		m.ServeHTTP(w, r.WithContext(ctx))
	})
	return &uploadsRig{t: t, mux: h, files: fs, uploads: us}
}

// do sends a request of tenant and returns its status and decoded JSON.
func (g *uploadsRig) do(tenant, path, contentType string, body []byte) (int, map[string]any) {
	g.t.Helper()
	r := httptest.NewRequest("POST", path, bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("X-Tenant", tenant)
	w := httptest.NewRecorder()
	g.mux.ServeHTTP(w, r)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		g.t.Fatalf("%s: %d %q is not JSON", path, w.Code, w.Body)
	}
	return w.Code, out
}

// create creates an upload of tenant from a JSON body, failing t unless
// it is created.
func (g *uploadsRig) create(tenant, body string) string {
	g.t.Helper()
	code, out := g.do(tenant, "/v1/uploads", "application/json", []byte(body))
	if code != 200 {
		g.t.Fatalf("create: %d %v", code, out)
	}
	return out["id"].(string)
}

// part sends data as a part of upload id.
func (g *uploadsRig) part(tenant, id string, data []byte) (int, map[string]any) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	p, _ := w.CreateFormFile("data", "blob")
	p.Write(data)
	w.Close()
	return g.do(tenant, "/v1/uploads/"+id+"/parts", w.FormDataContentType(), buf.Bytes())
}

// complete completes upload id with parts and md5 (none when "").
func (g *uploadsRig) complete(tenant, id string, parts []string, sum string) (int, map[string]any) {
	b, _ := json.Marshal(map[string]any{"part_ids": parts, "md5": sum})
	return g.do(tenant, "/v1/uploads/"+id+"/complete", "application/json", b)
}

// apiError returns the error object of an answer.
func apiError(out map[string]any) map[string]any {
	e, _ := out["error"].(map[string]any)
	return e
}

// An upload created, its parts sent out of order, completed in order
// with its md5 is a file of the Files API, of the parts' bytes in the
// order listed; a part not listed (an empty one: the parts never pass
// the declared bytes) is dropped; the upload then takes nothing more.
func TestUploadCompletedIntoFile(t *testing.T) {
	g := newUploadsRig(t)
	before := time.Now().Unix()
	code, up := g.do("acme", "/v1/uploads", "application/json",
		[]byte(`{"bytes":12,"filename":"in.jsonl","purpose":"batch","mime_type":"text/jsonl","expires_after":{"anchor":"created_at","seconds":7200}}`))
	if code != 200 || !strings.HasPrefix(up["id"].(string), "upload_") || up["object"] != "upload" || up["status"] != "pending" ||
		up["bytes"] != 12.0 || up["filename"] != "in.jsonl" || up["purpose"] != "batch" || up["file"] != nil ||
		up["expires_at"].(float64)-up["created_at"].(float64) != 3600 || up["created_at"].(float64) < float64(before) {
		t.Fatalf("create: %d %v", code, up)
	}
	id := up["id"].(string)
	ids := map[string]string{}
	for _, chunk := range []string{"ccc\n", "aaaa", "", "bbbb", "zz"} {
		code, p := g.part("acme", id, []byte(chunk))
		if chunk == "zz" { // past the 12 bytes declared: refused
			if code != 400 || apiError(p)["param"] != "data" {
				t.Errorf("a part past the declared bytes: %d %v", code, p)
			}
			continue
		}
		if code != 200 || p["object"] != "upload.part" || p["upload_id"] != id || !strings.HasPrefix(p["id"].(string), "part_") || p["created_at"] == nil {
			t.Fatalf("part: %d %v", code, p)
		}
		ids[chunk] = p["id"].(string)
	}
	content := "aaaabbbbccc\n"
	sum := md5.Sum([]byte(content))
	code, done := g.complete("acme", id, []string{ids["aaaa"], ids["bbbb"], ids["ccc\n"]}, hex.EncodeToString(sum[:]))
	f, _ := done["file"].(map[string]any)
	if code != 200 || done["status"] != "completed" || f == nil || f["object"] != "file" || f["bytes"] != 12.0 || f["purpose"] != "batch" ||
		f["filename"] != "in.jsonl" || f["expires_at"].(float64)-f["created_at"].(float64) != 7200 {
		t.Fatalf("complete: %d %v", code, done)
	}
	ctx := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "acme"})
	if b, err := g.files.Content(ctx, f["id"].(string)); err != nil || string(b) != content {
		t.Errorf("the file's content = %q, %v; want %q", b, err, content)
	}
	if code, p := g.part("acme", id, nil); code != 400 || !strings.Contains(apiError(p)["message"].(string), "completed") {
		t.Errorf("a part after completion: %d %v", code, p)
	}
	if code, out := g.complete("acme", id, []string{ids["aaaa"]}, ""); code != 400 {
		t.Errorf("a second completion: %d %v", code, out)
	}
}

// md5Hex is the MD5 of s in hex.
func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
