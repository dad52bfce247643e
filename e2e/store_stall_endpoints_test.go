package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/config"
)

const stallAdmin = "sk-admin-stall-endpoints"

// TestDatabaseStallEveryStoredEndpoint: with PostgreSQL stalled (it
// accepts connections and never answers), every endpoint that reads or
// writes the store answers within the store's bound (store.timeout, 2 s
// here; the admin API's aggregates store.aggregate_timeout, 3 s) in its
// API's error shape — OpenAI's 503 on /v1, Anthropic's 529
// overloaded_error on /v1/messages/batches, the admin API's 503 on
// /admin — never a 504 at
// server.request_timeout, and never a 2xx for a write (a delete, an
// upload) that did not happen. The calls run concurrently: the test costs
// one bound, not one per endpoint.
func TestDatabaseStallEveryStoredEndpoint(t *testing.T) {
	t.Parallel()
	routerStore, _, proxy := proxiedPostgres(t)
	const deadline = 60 * time.Second
	e := storeEnv(t, routerStore, func(c *config.Config) {
		c.Server.RequestTimeout = deadline
		c.Store.Timeout, c.Store.AggregateTimeout = 2*time.Second, 3*time.Second
		c.Auth.AdminKeys = []config.AdminKey{{Key: stallAdmin, Name: "ops", Role: config.RoleAdmin}}
	})

	// What the calls name: a stored chat completion, a file, a stored
	// response; batches and a conversation that need not exist (the store
	// is asked either way).
	chat := sendAs(t, e, "complete", "/v1/chat/completions", []byte(`{"model":"plain","store":true,"messages":[{"role":"user","content":"hello"}]}`), nil)
	chatID := storedChatID(t, e, chat.id)
	fileID := uploadStallFile(t, e.URL, 10*time.Second)
	if fileID == "" {
		t.Fatal("no file uploaded before the stall")
	}
	resp := sendAs(t, e, "responses", "/v1/responses", []byte(`{"model":"plain","input":"hello"}`), nil)
	respID := "resp_" + strings.TrimPrefix(resp.id, "req_")
	proxy.Stall()

	type call struct{ method, path, body, shape string }
	calls := []call{
		{"GET", "/v1/chat/completions", "", "openai"},
		{"GET", "/v1/chat/completions/" + chatID, "", "openai"},
		{"GET", "/v1/chat/completions/" + chatID + "/messages", "", "openai"},
		{"POST", "/v1/chat/completions/" + chatID, `{"metadata":{"a":"b"}}`, "openai"},
		{"DELETE", "/v1/chat/completions/" + chatID, "", "openai"},
		{"GET", "/v1/files", "", "openai"},
		{"GET", "/v1/files/" + fileID, "", "openai"},
		{"GET", "/v1/files/" + fileID + "/content", "", "openai"},
		{"DELETE", "/v1/files/" + fileID, "", "openai"},
		{"UPLOAD", "/v1/files", "", "openai"},
		{"POST", "/v1/uploads", `{"filename":"a.jsonl","purpose":"batch","bytes":10,"mime_type":"text/jsonl"}`, "openai"},
		{"POST", "/v1/conversations", `{}`, "openai"},
		{"GET", "/v1/conversations/conv_stalled", "", "openai"},
		{"GET", "/v1/conversations/conv_stalled/items", "", "openai"},
		{"DELETE", "/v1/conversations/conv_stalled", "", "openai"},
		{"DELETE", "/v1/responses/" + respID, "", "openai"},
		{"GET", "/v1/responses/" + respID + "/input_items", "", "openai"},
		{"GET", "/v1/batches", "", "openai"},
		{"GET", "/v1/batches/batch_stalled", "", "openai"},
		{"POST", "/v1/batches", `{"input_file_id":"` + fileID + `","endpoint":"/v1/chat/completions","completion_window":"24h"}`, "openai"},
		{"GET", "/v1/files", "", "anthropic-files"},
		{"GET", "/v1/files/" + fileID, "", "anthropic-files"},
		{"GET", "/v1/files/" + fileID + "/content", "", "anthropic-files"},
		{"GET", "/v1/messages/batches", "", "anthropic"},
		{"GET", "/v1/messages/batches/msgbatch_stalled", "", "anthropic"},
		{"GET", "/v1/messages/batches/msgbatch_stalled/results", "", "anthropic"},
		// A message thread's continue reads its earlier turns.
		{"POST", "/v1/messages", `{"model":"plain","max_tokens":20,"thread":{"type":"continue","previous_message_id":"msg_stalled"},"messages":[{"role":"user","content":"and then?"}]}`, "anthropic-messages"},
		{"GET", "/admin/requests", "", "admin"},
		{"GET", "/admin/requests/" + chat.id, "", "admin"},
		{"GET", "/admin/report", "", "admin"},
		{"GET", "/admin/stats", "", "admin"},
		{"GET", "/admin/feedback", "", "admin"},
		{"GET", "/admin/batches", "", "admin"},
		{"GET", "/admin/audit", "", "admin"},
		{"GET", "/admin/keys", "", "admin"},
		{"POST", "/admin/keys", `{"name":"stalled","tenant":"t"}`, "admin"},
		{"GET", "/admin/drift/runs", "", "admin"},
	}
	var wg sync.WaitGroup
	for _, c := range calls {
		wg.Go(func() {
			start := time.Now()
			var status int
			var body []byte
			switch {
			case c.method == "UPLOAD":
				status, body = uploadStall(t, e.URL, deadline+30*time.Second)
			case c.shape == "admin":
				status, body = callStallAs(t, stallAdmin, nil, c.method, e.URL+c.path, c.body, deadline+30*time.Second)
			case c.shape == "anthropic-files":
				h := map[string]string{"anthropic-version": "2023-06-01", "anthropic-beta": "files-api-2025-04-14"}
				status, body = callStallAs(t, clientKey, h, c.method, e.URL+c.path, c.body, deadline+30*time.Second)
				c.shape = "anthropic"
			case c.shape == "anthropic-messages":
				h := map[string]string{"anthropic-version": "2023-06-01", "content-type": "application/json"}
				status, body = callStallAs(t, clientKey, h, c.method, e.URL+c.path, c.body, deadline+30*time.Second)
				c.shape = "anthropic"
			default:
				status, body = callWaiting(t, c.method, e.URL+c.path, c.body, deadline+30*time.Second)
			}
			took := time.Since(start)
			want := http.StatusServiceUnavailable
			if c.shape == "anthropic" {
				want = 529 // overloaded_error, Anthropic's status for it
			}
			if status != want || took > deadline/2 {
				t.Errorf("%s %s while the database stalled: %d %s after %v; want a %d within seconds", c.method, c.path, status, body, took, want)
				return
			}
			if err := errorShape(c.shape, body); err != "" {
				t.Errorf("%s %s: %s: %s", c.method, c.path, err, body)
			}
		})
	}
	wg.Wait()
	proxy.Restore()
}

// errorShape says what is wrong with body as an error of shape (openai,
// anthropic, admin), or "".
func errorShape(shape string, body []byte) string {
	var v struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
			Code    any    `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return "not JSON: " + err.Error()
	}
	switch {
	case v.Error.Message == "":
		return "no error.message"
	case shape == "anthropic" && v.Type != "error":
		return `not Anthropic's shape (type "error")`
	case shape != "anthropic" && v.Type != "":
		return "Anthropic's shape on a non-Anthropic path"
	case shape == "openai" && v.Error.Code != "store_unavailable":
		return "error.code is not store_unavailable"
	case shape == "admin" && v.Error.Code == nil:
		return "no error.code"
	}
	return ""
}

// callStallAs is callWaiting with key and the headers h.
func callStallAs(t *testing.T, key string, h map[string]string, method, url, body string, wait time.Duration) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// uploadStall uploads a small batch file and returns the answer.
func uploadStall(t *testing.T, base string, wait time.Duration) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("purpose", "batch")
	fw, _ := mw.CreateFormFile("file", "in.jsonl")
	_, _ = fw.Write([]byte(`{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"plain","messages":[{"role":"user","content":"hi"}]}}` + "\n"))
	_ = mw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/files", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+clientKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// uploadStallFile uploads a file and returns its id ("" on failure).
func uploadStallFile(t *testing.T, base string, wait time.Duration) string {
	t.Helper()
	status, b := uploadStall(t, base, wait)
	var f struct {
		ID string `json:"id"`
	}
	if status != http.StatusOK || json.Unmarshal(b, &f) != nil {
		t.Errorf("upload: %d %s", status, b)
	}
	return f.ID
}

// storedChatID returns the id of the chat completion that request reqID
// stored, polling the listing (the row is written off the request's path).
func storedChatID(t *testing.T, e *env, reqID string) string {
	t.Helper()
	for limit := time.Now().Add(30 * time.Second); time.Now().Before(limit); time.Sleep(20 * time.Millisecond) {
		status, b := callWaiting(t, "GET", e.URL+"/v1/chat/completions", "", 10*time.Second)
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if status == http.StatusOK && json.Unmarshal(b, &page) == nil && len(page.Data) > 0 {
			return page.Data[0].ID
		}
	}
	t.Fatalf("the chat completion of %s was not stored", reqID)
	return ""
}
