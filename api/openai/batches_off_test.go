package openai_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
)

// Without a file or batch store (store.driver none, batches off), every
// path of the Files, Uploads and Batch APIs answers 404 in OpenAI's shape, saying
// why.
func TestFilesAndBatchesOff(t *testing.T) {
	m := http.NewServeMux()
	(&apiopenai.Handler{}).Mount(m)
	for _, tt := range []struct{ method, path, code string }{
		{"POST", "/v1/files", "files_not_supported"},
		{"GET", "/v1/files", "files_not_supported"},
		{"GET", "/v1/files/file-1", "files_not_supported"},
		{"GET", "/v1/files/file-1/content", "files_not_supported"},
		{"DELETE", "/v1/files/file-1", "files_not_supported"},
		{"POST", "/v1/batches", "batches_not_supported"},
		{"GET", "/v1/batches", "batches_not_supported"},
		{"GET", "/v1/batches/batch_1", "batches_not_supported"},
		{"POST", "/v1/batches/batch_1/cancel", "batches_not_supported"},
		{"POST", "/v1/uploads", "uploads_not_supported"},
		{"POST", "/v1/uploads/upload_1/parts", "uploads_not_supported"},
		{"POST", "/v1/uploads/upload_1/complete", "uploads_not_supported"},
		{"POST", "/v1/uploads/upload_1/cancel", "uploads_not_supported"},
	} {
		w := httptest.NewRecorder()
		m.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, strings.NewReader("{}")))
		var e struct {
			Error struct{ Message, Type, Code string } `json:"error"`
		}
		if w.Code != 404 || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error.Code != tt.code || !strings.Contains(e.Error.Message, "batches.enabled") {
			t.Errorf("%s %s: %d %s; want 404 %s", tt.method, tt.path, w.Code, w.Body, tt.code)
		}
	}
}
