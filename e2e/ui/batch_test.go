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

	"github.com/chromedp/chromedp"

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

// messageBatch runs a one-request Message Batch on the demo and returns
// its id once it ended.
func (g *rig) messageBatch(t *testing.T) string {
	t.Helper()
	body := `{"requests":[{"custom_id":"m","params":{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}}]}`
	var b struct {
		ID               string
		ProcessingStatus string `json:"processing_status"`
	}
	g.call(t, "POST", "/v1/messages/batches", "application/json", strings.NewReader(body), &b)
	for deadline := time.Now().Add(30 * time.Second); b.ProcessingStatus != "ended"; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the message batch is %s after 30 s", b.ProcessingStatus)
		}
		g.call(t, "GET", "/v1/messages/batches/"+b.ID, "", nil, &b)
	}
	return b.ID
}

// filterBatches submits the Batches view's filters with status and api
// and returns the text of its rows once it is drawn again.
func (p *page) filterBatches(t *testing.T, status, api string) string {
	t.Helper()
	p.run(t, "filter on status "+status+", api "+api,
		chromedp.Evaluate[chromedp.Void]("document.querySelector('main table').dataset.stale = '1'; undefined"),
		setValue(`main form.filters select[name=status]`, status), setValue(`main form.filters select[name=api]`, api),
		submit(`main form.filters`), waitVisible(`main[data-view="batches"] table:not([data-stale])`))
	return p.text(t, "main table tbody")
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
// A Message Batch shows Anthropic's processing_status and counts. Its
// status and API filters list the batches asked, and keep them in the
// address. A viewer key opens it too.
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

	// A Message Batch beside it, then the filters.
	msg := g.messageBatch(t)
	g.getAs(t, adminKey, "/admin/batches", &list)
	if len(list.Data) != 2 || list.Data[0].ID != msg || list.Data[0].ProcessingStatus != "ended" || list.Data[0].RequestCounts.Message == nil {
		t.Fatalf("GET /admin/batches with the Message Batch: %+v", list)
	}
	tab.show(t, "#/batches", "batches")
	if r := tab.text(t, `main table tbody tr:first-child`); !strings.Contains(r, msg) || !strings.Contains(r, "Message Batch") ||
		!strings.Contains(r, "ended") || !strings.Contains(r, "status completed") || !strings.Contains(r, "1 / 0") || !strings.Contains(r, "succeeded / errored") {
		t.Errorf("the Message Batch's row: %q", r)
	}
	for _, f := range []struct{ status, api, want, not string }{
		{"", "anthropic", msg, batch.ID},
		{"completed", "openai", batch.ID, msg},
		{"validating,in_progress,finalizing", "", "No batch.", batch.ID},
		{"completed,failed,expired,cancelled", "", batch.ID, "No batch."},
	} {
		rows := tab.filterBatches(t, f.status, f.api)
		if !strings.Contains(rows, f.want) || strings.Contains(rows, f.not) {
			t.Errorf("status %q api %q: rows %q; want %q, not %q", f.status, f.api, rows, f.want, f.not)
		}
		if hash := eval[string](t, tab, "location.hash"); f.api != "" && !strings.Contains(hash, "api="+f.api) {
			t.Errorf("status %q api %q: the address %q does not keep the filter", f.status, f.api, hash)
		}
	}

	// The weekly report counts the line in its batches panel.
	tab.show(t, "#/report", "report")
	if r := tab.text(t, `[data-panel="batches"] tbody`); !strings.Contains(r, batch.Deployments[0].Deployment) ||
		!strings.Contains(r, fmt.Sprintf("$%.6f", batch.Deployments[0].CostUSD)) {
		t.Errorf("the report's batch row: %q", r)
	}

	viewer := b.tab(t)
	viewer.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	viewer.signIn(t, viewerKey)
	viewer.run(t, "signed in as a viewer", waitVisible(`nav a[href="#/batches"]`))
	viewer.show(t, "#/batches", "batches")
	if r := viewer.text(t, "main table tbody"); !strings.Contains(r, batch.ID) {
		t.Errorf("the viewer's batches: %q", r)
	}
	for _, p := range []*page{tab, viewer} {
		if errs := p.errors(); len(errs) > 0 {
			t.Errorf("the pages threw or logged errors: %v", errs)
		}
	}
}
