package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/demo"
	"switchyard/record/tracing/tracingtest"
)

// TestRouterExportsTraces: with telemetry.traces set, a request served by
// the router becomes a span at the collector once the router is closed
// (Close flushes the exporter), and /metrics shows the record queue.
func TestRouterExportsTraces(t *testing.T) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	col := tracingtest.New(t)
	cfg := demo.Config(simAddr, "")
	cfg.Telemetry.Traces.Endpoint = col.URL
	cfg.Telemetry.Traces.Headers = map[string]string{"Authorization": "Bearer otel-token"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter(cfg, RouterOptions{Demo: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"model":"auto","messages":[{"role":"user","content":"hello"}]}`
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body)))
	if w.Code != http.StatusOK {
		t.Fatalf("chat: %d %s", w.Code, w.Body)
	}
	id := w.Header().Get("x-switchyard-request-id")
	m := httptest.NewRecorder()
	r.ServeHTTP(m, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, name := range []string{"switchyard_record_queue_length", "switchyard_record_queue_capacity 8192", "switchyard_records_dropped_total 0"} {
		if !strings.Contains(m.Body.String(), name) {
			t.Errorf("/metrics lacks %q", name)
		}
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans := col.Spans()
	if len(spans) != 1 {
		t.Fatalf("got %d spans, want the request's", len(spans))
	}
	attrs := tracingtest.Attrs(spans[0].GetAttributes())
	if spans[0].GetName() != "chat auto" || attrs["switchyard.request_id"] != id || attrs["http.response.status_code"] != int64(200) {
		t.Errorf("span %q %v; want chat auto for request %s", spans[0].GetName(), attrs, id)
	}
	if got := col.Headers()[0].Get("Authorization"); got != "Bearer otel-token" {
		t.Errorf("export Authorization = %q, want the configured header", got)
	}
}

// TestRouterTracesOff: without an endpoint no exporter is started.
func TestRouterTracesOff(t *testing.T) {
	cfg := demo.Config("127.0.0.1:1", "")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter(cfg, RouterOptions{Demo: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(context.Background())
	if r.traces != nil {
		t.Error("a trace exporter was started without telemetry.traces.endpoint")
	}
}

// TestRouterTenantLabel: telemetry.metrics_tenant_label puts a tenant
// label on the request metrics.
func TestRouterTenantLabel(t *testing.T) {
	for _, on := range []bool{false, true} {
		cfg := demo.Config("127.0.0.1:1", "")
		cfg.Telemetry.MetricsTenantLabel = on
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		r, err := NewRouter(cfg, RouterOptions{Demo: true, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/route", strings.NewReader(`{"model":"auto","messages":[{"role":"user","content":"hi"}]}`)))
		if err := r.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		m := httptest.NewRecorder()
		r.ServeHTTP(m, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		var line string
		for l := range strings.Lines(m.Body.String()) {
			if strings.HasPrefix(l, "switchyard_requests_total{") {
				line = l
			}
		}
		if line == "" || strings.Contains(line, `tenant="`) != on {
			t.Errorf("tenant label %v: requests line %q", on, line)
		}
	}
}
