package ui

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"
)

// forwardedLine runs a one-line chat batch on the demo, whose OpenAI
// deployments take provider batches, and returns the request id of its
// line once the batch completed: a line sent through the provider's
// batch API.
func (g *rig) forwardedLine(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("purpose", "batch")
	w, _ := mw.CreateFormFile("file", "in.jsonl")
	w.Write([]byte(`{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}}` + "\n"))
	mw.Close()
	var file struct{ ID string }
	g.call(t, "POST", "/v1/files", mw.FormDataContentType(), &b, &file)
	var batch struct {
		ID           string
		Status       string
		OutputFileID string `json:"output_file_id"`
	}
	body, _ := json.Marshal(map[string]string{"input_file_id": file.ID, "endpoint": "/v1/chat/completions", "completion_window": "24h"})
	g.call(t, "POST", "/v1/batches", "application/json", bytes.NewReader(body), &batch)
	for deadline := time.Now().Add(30 * time.Second); batch.Status != "completed"; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the batch is %s after 30 s", batch.Status)
		}
		g.call(t, "GET", "/v1/batches/"+batch.ID, "", nil, &batch)
	}
	var line struct {
		Response struct {
			RequestID string `json:"request_id"`
		}
	}
	g.call(t, "GET", "/v1/files/"+batch.OutputFileID+"/content", "", nil, &line)
	return line.Response.RequestID
}

// call sends a request of the client key and decodes its JSON answer into
// out, failing the test on any status but 200.
func (g *rig) call(t *testing.T, method, path, contentType string, body io.Reader, out any) {
	t.Helper()
	req, _ := http.NewRequest(method, g.url+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+clientKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || json.Unmarshal(data, out) != nil {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
}
