package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm"
)

// FuzzConfigBody: any body of PUT /admin/config, with any Content-Type,
// is a 400 (a 413 when over MaxConfigBytes) or the configuration's text:
// the body itself, or the yaml member of a JSON body; never blank.
func FuzzConfigBody(f *testing.F) {
	f.Add("application/yaml", []byte("routes:\n  auto:\n    deployments: [gpt-4o-mini]\n"))
	f.Add("application/json", []byte(`{"yaml":"routes:\n  auto:\n    deployments: [gpt-4o-mini]\n"}`))
	f.Add("application/json; charset=utf-8", []byte(`{"yaml":null}`))
	f.Add("Application/JSON", []byte(`{"YAML":"a: 1","yaml":"b: 2"}`))
	f.Add("text/plain", []byte(" \n\t"))
	f.Add("application/json", []byte(`{"yaml":" "}`))
	f.Add("", []byte(`{"yaml":"a: 1"}`))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r := httptest.NewRequest(http.MethodPut, "/admin/config", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		data, err := configBody(httptest.NewRecorder(), r)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest && !(e.Kind == llm.KindTooLarge && len(body) > MaxConfigBytes) {
				t.Fatalf("error %v for %d bytes", err, len(body))
			}
			return
		}
		if strings.TrimSpace(string(data)) == "" || len(body) > MaxConfigBytes {
			t.Fatalf("configuration %q of a %d-byte body", data, len(body))
		}
		want := body
		if mt, _, _ := mime.ParseMediaType(contentType); mt == "application/json" {
			var v struct{ YAML string }
			if json.Unmarshal(body, &v) != nil {
				t.Fatalf("read %q of a body that is not JSON", data)
			}
			want = []byte(v.YAML)
		}
		if !bytes.Equal(data, want) {
			t.Fatalf("configuration %q, want %q", data, want)
		}
	})
}
