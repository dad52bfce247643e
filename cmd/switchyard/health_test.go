package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHealth: switchyard health exits 0 on a 200, 1 on a 503 (draining)
// or no answer, 2 on a bad --url.
func TestHealth(t *testing.T) {
	status := http.StatusOK
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte(`{"status":"ready"}`))
	}))
	defer ts.Close()
	var out, errs bytes.Buffer
	if code := run([]string{"health", "--url", ts.URL + "/readyz"}, &out, &errs); code != 0 || !strings.Contains(out.String(), `200 {"status":"ready"}`) {
		t.Errorf("ready: %d %q %q", code, out.String(), errs.String())
	}
	status = http.StatusServiceUnavailable
	if code := run([]string{"health", "--url", ts.URL + "/readyz"}, &out, &errs); code != 1 {
		t.Errorf("draining: %d", code)
	}
	ts.Close()
	if code := run([]string{"health", "--url", ts.URL + "/readyz"}, &out, &errs); code != 1 {
		t.Errorf("no router: %d", code)
	}
	if code := run([]string{"health", "--url", "127.0.0.1:8080"}, &out, &errs); code != 2 {
		t.Errorf("a bad URL: %d", code)
	}
}
