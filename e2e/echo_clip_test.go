package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// An error message quotes a client's id, model name or value back
// clipped: a 5000-character id in a path, a body or a header comes back
// as its first hundred bytes or so, on every endpoint that names it.
func TestErrorsClipEchoedValues(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	long := strings.Repeat("x", 5000)
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	user := []map[string]string{{"role": "user", "content": "hi"}}
	for _, tt := range []struct {
		method, path, body string
		header             map[string]string
	}{
		{"GET", "/v1/batches/batch_" + long, "", nil},
		{"POST", "/v1/batches/batch_" + long + "/cancel", "", nil},
		{"GET", "/v1/files/file-" + long, "", nil},
		{"GET", "/v1/files/file-" + long + "/content", "", nil},
		{"DELETE", "/v1/files/file-" + long, "", nil},
		{"POST", "/v1/uploads/upload_" + long + "/cancel", "", nil},
		{"GET", "/v1/responses/resp_" + long, "", nil},
		{"GET", "/v1/responses/resp_" + long + "/input_items", "", nil},
		{"DELETE", "/v1/responses/resp_" + long, "", nil},
		{"GET", "/v1/conversations/conv_" + long, "", nil},
		{"GET", "/v1/conversations/conv_" + long + "/items", "", nil},
		{"GET", "/v1/conversations/conv_" + long + "/items/msg_" + long, "", nil},
		{"GET", "/v1/chat/completions/chatcmpl-" + long, "", nil},
		{"GET", "/v1/chat/completions/chatcmpl-" + long + "/messages", "", nil},
		{"GET", "/v1/models/" + long, "", nil},
		{"GET", "/v1/messages/batches/msgbatch_" + long, "", map[string]string{"anthropic-version": "2023-06-01"}},
		{"GET", "/v1/models/" + long, "", map[string]string{"anthropic-version": "2023-06-01"}},
		{"POST", "/v1/chat/completions", js(map[string]any{"model": long, "messages": user}), nil},
		{"POST", "/v1/chat/completions", js(map[string]any{"model": "auto", "messages": user}), map[string]string{"x-switchyard-model": long}},
		{"POST", "/v1/embeddings", js(map[string]any{"model": long, "input": "hi"}), nil},
		{"POST", "/v1/moderations", js(map[string]any{"model": long, "input": "hi"}), nil},
		{"POST", "/v1/images/generations", js(map[string]any{"model": long, "prompt": "hi"}), nil},
		{"POST", "/v1/responses", js(map[string]any{"model": long, "input": "hi"}), nil},
		{"POST", "/v1/responses", js(map[string]any{"model": "auto", "input": "hi", "previous_response_id": "resp_" + long}), nil},
		{"POST", "/v1/responses", js(map[string]any{"model": "auto", "input": "hi", "conversation": "conv_" + long}), nil},
		{"POST", "/v1/responses", js(map[string]any{"model": "auto", "input": []any{map[string]any{"type": "item_reference", "id": "msg_" + long}}}), nil},
		{"POST", "/v1/responses/input_tokens", js(map[string]any{"model": long, "input": "hi"}), nil},
		{"POST", "/v1/messages", js(map[string]any{"model": long, "max_tokens": 10, "messages": user}), map[string]string{"anthropic-version": "2023-06-01"}},
		{"POST", "/v1/messages/count_tokens", js(map[string]any{"model": long, "messages": user}), map[string]string{"anthropic-version": "2023-06-01"}},
		{"POST", "/v1/responses", `{"model": "auto", "input": "hi", "` + long + `": 1}`, nil},
		{"POST", "/v1/responses", js(map[string]any{"model": "auto", "input": "hi", "service_tier": long}), nil},
		{"POST", "/v1/chat/completions", js(map[string]any{"model": "auto", "messages": user, "service_tier": long}), nil},
		{"POST", "/v1/messages", `{"model": "claude-haiku-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}], "` + long + `": 1}`,
			map[string]string{"anthropic-version": "2023-06-01"}},
		{"POST", "/v1/responses", js(map[string]any{"model": "auto", "input": "hi", "tools": []any{map[string]any{"type": "function", "name": "f", "parameters": map[string]any{"type": "object"}}},
			"tool_choice": map[string]any{"type": "function", "name": long}}), nil},
		{"POST", "/v1/messages", js(map[string]any{"model": "claude-haiku-4-5", "max_tokens": 10, "messages": user,
			"tools": []any{map[string]any{"name": "f", "input_schema": map[string]any{"type": "object"}}}, "tool_choice": map[string]any{"type": "tool", "name": long}}),
			map[string]string{"anthropic-version": "2023-06-01"}},
		{"GET", "/v1/files?order=" + long, "", nil},
		{"GET", "/v1/chat/completions?after=" + long, "", nil},
		{"POST", "/v1/feedback", js(map[string]any{"request_id": long, "rating": 1}), nil},
		{"POST", "/v1/batches", js(map[string]any{"input_file_id": "file-" + long, "endpoint": "/v1/chat/completions", "completion_window": "24h"}), nil},
	} {
		req, _ := http.NewRequestWithContext(ctxT(t), tt.method, e.URL+tt.path, bytes.NewReader([]byte(tt.body)))
		req.Header.Set("Authorization", "Bearer "+respKeyA)
		req.Header.Set("x-api-key", respKeyA)
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		name := tt.method + " " + clipPath(tt.path)
		if resp.StatusCode < 400 {
			t.Errorf("%s: %d, want an error", name, resp.StatusCode)
			continue
		}
		if len(b) > 1200 || bytes.Contains(b, []byte(strings.Repeat("x", 130))) {
			t.Errorf("%s: %d, %d bytes, the value echoed whole: %.300s", name, resp.StatusCode, len(b), b)
		}
	}
}

// clipPath names a path of long ids by its first segments.
func clipPath(p string) string {
	return strings.ReplaceAll(p, strings.Repeat("x", 5000), "<5000 x>")
}
