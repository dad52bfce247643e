package e2e

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3"
)

// The Uploads API's rows of the isolation table: tenant A's client key
// creates, fills, completes and cancels its own uploads, and never finds
// tenant B's (one holding a part of B's words).

// uploadAs creates, with key, an upload of words' bytes (4 when words is
// empty) holding a part of words when words is not empty, and returns its id and the
// part's.
func uploadAs(t *testing.T, e *env, key, words string) (string, string) {
	t.Helper()
	c := e.clientWith(key)
	up, err := c.Uploads.New(ctxT(t), openai.UploadNewParams{Bytes: int64(max(4, len(words))), Filename: "in.jsonl", MimeType: "text/jsonl", Purpose: openai.FilePurposeBatch})
	if err != nil {
		t.Fatalf("create an upload: %v", err)
	}
	if words == "" {
		return up.ID, ""
	}
	p, err := c.Uploads.Parts.New(ctxT(t), up.ID, openai.UploadPartNewParams{Data: bytes.NewReader([]byte(words))})
	if err != nil {
		t.Fatalf("add a part: %v", err)
	}
	return up.ID, p.ID
}

// uploadCallAs sends, as tenant A, the request of path after an
// upload's id, its body made by body of the upload's part, to tenant B's
// upload (404) and to a fresh one of its own (200; holding a part when
// filled), and returns the answers.
func uploadCallAs(path string, filled bool, body func(part string) (string, []byte)) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		theirs, theirPart := uploadAs(t, e.env, keyB, "Hamlet")
		words := ""
		if filled {
			words = "{}\n\n"
		}
		own, ownPart := uploadAs(t, e.env, keyA, words)
		var out [][]byte
		for _, c := range []struct {
			id, part string
			status   int
		}{{theirs, theirPart, 404}, {own, ownPart, 200}} {
			ct, b := body(c.part)
			req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.URL+"/v1/uploads/"+c.id+path, bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+keyA)
			req.Header.Set("Content-Type", ct)
			code, answer := do(t, req)
			if code != c.status {
				t.Fatalf("POST /v1/uploads/%s%s as tenant A: %d %s, want %d", c.id, path, code, answer, c.status)
			}
			out = append(out, answer)
		}
		return out
	}
}

// do sends req and returns its status and body.
func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

// partBody is a part's multipart body of 4 bytes.
func partBody(string) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	p, _ := w.CreateFormFile("data", "blob")
	p.Write([]byte("{}\n\n"))
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

// uploadRows are the isolation table's rows of the Uploads API.
func uploadRows() []isoRow {
	return []isoRow{
		{pattern: "POST /v1/uploads", call: func(t *testing.T, e *isoEnv) [][]byte {
			resp, b := post(t, e.URL+"/v1/uploads", keyA, []byte(`{"bytes":4,"filename":"rivers.jsonl","purpose":"batch","mime_type":"text/jsonl"}`))
			if resp.StatusCode != 200 {
				t.Fatalf("create an upload as tenant A: %d %s", resp.StatusCode, b)
			}
			return [][]byte{b}
		}, want: "rivers.jsonl"},
		{pattern: "POST /v1/uploads/{id}/parts", call: uploadCallAs("/parts", false, partBody), want: `"object":"upload.part"`},
		{pattern: "POST /v1/uploads/{id}/complete", call: uploadCallAs("/complete", true, func(part string) (string, []byte) {
			return "application/json", []byte(`{"part_ids":["` + part + `"]}`)
		}), want: `"status":"completed"`},
		{pattern: "POST /v1/uploads/{id}/cancel", call: uploadCallAs("/cancel", false, func(string) (string, []byte) {
			return "application/json", nil
		}), want: `"status":"cancelled"`},
	}
}
