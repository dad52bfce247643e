package conformance

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"
)

func TestRouterEmbeddings(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	for _, body := range []string{
		`{"model":"text-embedding-3-small","input":"hello world","encoding_format":"float"}`,
		// The Python and Node SDKs ask base64 unless told otherwise.
		`{"model":"text-embedding-3-small","input":["hello","world"],"encoding_format":"base64"}`,
	} {
		st, b := call(t, http.MethodPost, url+"/v1/embeddings", body, "Authorization", bearer)
		if st != http.StatusOK {
			t.Fatalf("status %d: %s", st, b)
		}
		oa.check(t, "CreateEmbeddingResponse", b)
	}
}

func TestRouterModels(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	st, b := call(t, http.MethodGet, url+"/v1/models", "", "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	oa.check(t, "ListModelsResponse", b)
	for _, id := range []string{"gpt-4o-mini", "auto"} {
		b = callOK(t, id, http.MethodGet, url+"/v1/models/"+id, "", "Authorization", bearer)
		oa.check(t, "Model", b)
	}
}

func TestRouterModerations(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	st, b := call(t, http.MethodPost, url+"/v1/moderations", `{"model":"omni-moderation-latest","input":"I want to hurt someone."}`, "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	oa.check(t, "CreateModerationResponse", b)
}

func TestRouterErrors(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPost, "/v1/chat/completions", `{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}`},
		{http.MethodPost, "/v1/chat/completions", `{"model":"gpt-4o-mini","messages":`},
		{http.MethodPost, "/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[]}`},
		{http.MethodPost, "/v1/responses", `{"model":"gpt-4o-mini","input":[{"role":"user","content":[{"type":"nonsense"}]}]}`},
		{http.MethodPost, "/v1/embeddings", `{"model":"gpt-4o-mini","input":"x"}`},
		{http.MethodGet, "/v1/models/no-such-model", ""},
		{http.MethodGet, "/v1/batches/batch_nope", ""},
		{http.MethodGet, "/v1/no-such-endpoint", ""},
	} {
		st, b := call(t, c.method, url+c.path, c.body, "Authorization", bearer)
		if st < 400 {
			t.Errorf("%s %s: status %d, want an error", c.method, c.path, st)
			continue
		}
		oa.check(t, "ErrorResponse", b)
	}
}

// upload posts a JSONL batch input file as the SDKs do (multipart).
func upload(t *testing.T, url, jsonl string) []byte {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("purpose", "batch")
	fw, err := mw.CreateFormFile("file", "input.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, jsonl)
	mw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/files", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", bearer)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("upload: status %d: %s", res.StatusCode, b)
	}
	return b
}

func TestRouterFilesAndBatches(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	f := oa.check(t, "OpenAIFile", upload(t, url,
		`{"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}}`+"\n"))
	id, _ := f["id"].(string)
	b := callOK(t, "get file", http.MethodGet, url+"/v1/files/"+id, "", "Authorization", bearer)
	oa.check(t, "OpenAIFile", b)
	b = callOK(t, "create batch", http.MethodPost, url+"/v1/batches", `{"input_file_id":"`+id+`","endpoint":"/v1/chat/completions","completion_window":"24h"}`, "Authorization", bearer)
	bid, _ := oa.check(t, "Batch", b)["id"].(string)
	b = callOK(t, "get batch", http.MethodGet, url+"/v1/batches/"+bid, "", "Authorization", bearer)
	oa.check(t, "Batch", b)
	b = callOK(t, "list batches", http.MethodGet, url+"/v1/batches?limit=5", "", "Authorization", bearer)
	oa.check(t, "ListBatchesResponse", b)
	b = callOK(t, "cancel batch", http.MethodPost, url+"/v1/batches/"+bid+"/cancel", "", "Authorization", bearer)
	oa.check(t, "Batch", b)
}
