package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
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

// TestBatchesView opens the Batches view in Chromium after a batch ran on
// the demo (its line forwarded to OpenAI's batch API): reached from the
// nav, it shows the batch as GET /admin/batches does — its status, its
// counts, its deployment with the line forwarded, its cost — and links to
// its lines in the request log, where the line is listed with its batch.
// A viewer key opens it too.
func TestBatchesView(t *testing.T) {
	b := newBrowser(t)
	g := startRouter(t, false)
	line := g.forwardedLine(t)
	g.waitLogged(t, adminKey, line)
	var list admin.BatchList
	g.getAs(t, adminKey, "/admin/batches", &list)
	if len(list.Data) != 1 || len(list.Data[0].Deployments) != 1 {
		t.Fatalf("GET /admin/batches: %+v", list)
	}
	batch := list.Data[0]
	tab := b.tab(t)
	tab.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	tab.signIn(t, adminKey)
	tab.run(t, "signed in", waitVisible(`nav a[href="#/batches"]`), click(`nav a[href="#/batches"]`), waitVisible(`main[data-view="batches"]`))
	row := tab.text(t, "main table tbody tr")
	for _, want := range []string{batch.ID, "Batch API", "/v1/chat/completions", "completed", "1 / 0", "of 1", "provider batch",
		batch.Deployments[0].Deployment, "1 line (1 forwarded)", fmt.Sprintf("$%.6f", batch.CostUSD)} {
		if !strings.Contains(row, want) {
			t.Errorf("the batch's row lacks %q: %q", want, row)
		}
	}
	if batch.CostUSD <= 0 || batch.Deployments[0].Forwarded != 1 {
		t.Errorf("the API's batch: %+v", batch)
	}
	tab.run(t, "open its lines", click(`main table tbody a[href="#/requests?batch=`+batch.ID+`"]`),
		waitVisible(`main[data-view="requests"] a[href="#/requests/`+line+`"]`))
	if n := tab.count(t, `main table tbody a[href^="#/requests/req_"]`); n != 1 {
		t.Errorf("the batch's lines: %d rows, want its one line", n)
	}
	if r := tab.text(t, "main table tbody tr"); !strings.Contains(r, "batch "+batch.ID) {
		t.Errorf("the line's row does not name its batch: %q", r)
	}

	// The weekly report counts the line in its batches panel.
	tab.show(t, "#/report", "report")
	if r := tab.text(t, `[data-panel="batches"] tbody tr`); !strings.Contains(r, batch.Deployments[0].Deployment) ||
		!strings.Contains(r, fmt.Sprintf("$%.6f", batch.Deployments[0].CostUSD)) {
		t.Errorf("the report's batch row: %q", r)
	}

	viewer := b.tab(t)
	viewer.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	viewer.signIn(t, viewerKey)
	viewer.run(t, "signed in as a viewer", waitVisible(`nav a[href="#/batches"]`))
	viewer.show(t, "#/batches", "batches")
	if r := viewer.text(t, "main table tbody tr"); !strings.Contains(r, batch.ID) {
		t.Errorf("the viewer's batches: %q", r)
	}
	for _, p := range []*page{tab, viewer} {
		if errs := p.errors(); len(errs) > 0 {
			t.Errorf("the pages threw or logged errors: %v", errs)
		}
	}
}
