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
	r.ServeHTTP(m, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/metrics", nil))
	for _, name := range []string{"switchyard_record_queue_length", "switchyard_record_queue_capacity 8192", "switchyard_records_dropped_total 0"} {
		if !strings.Contains(m.Body.String(), name) {
			t.Errorf("/metrics lacks %q", name)
		}
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans := col.Spans()
	if len(spans) != 2 {
		t.Fatalf("got %d spans, want the request's and its one attempt's", len(spans))
	}
	req, att := spans[0], spans[1]
	if len(req.GetParentSpanId()) != 0 {
		req, att = att, req
	}
	attrs := tracingtest.Attrs(req.GetAttributes())
	if req.GetName() != "chat auto" || attrs["switchyard.request_id"] != id || attrs["http.response.status_code"] != int64(200) {
		t.Errorf("span %q %v; want chat auto for request %s", req.GetName(), attrs, id)
	}
	if string(att.GetParentSpanId()) != string(req.GetSpanId()) || string(att.GetTraceId()) != string(req.GetTraceId()) {
		t.Errorf("attempt span %q is not the request span's child", att.GetName())
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
		r.ServeHTTP(m, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/metrics", nil))
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

// TestRouterContinuesClientTrace: a client's W3C traceparent header makes
// the request's span a child of the client's span, in the client's trace,
// with the attempt span below it.
func TestRouterContinuesClientTrace(t *testing.T) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	col := tracingtest.New(t)
	cfg := demo.Config(simAddr, "")
	cfg.Telemetry.Traces.Endpoint = col.URL
	ratio := 0.000001 // the caller's sampled flag decides, not the ratio
	cfg.Telemetry.Traces.SampleRatio = &ratio
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter(cfg, RouterOptions{Demo: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions",
		strings.NewReader(`{"model":"auto","messages":[{"role":"user","content":"hello"}],"stream":true}`))
	req.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("chat: %d %s", w.Code, w.Body)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans := col.Spans()
	if len(spans) != 2 {
		t.Fatalf("got %d spans, want the request's and its attempt's", len(spans))
	}
	var reqSpan, attSpan = spans[0], spans[1]
	if tracingtest.HexID(reqSpan.GetParentSpanId()) != parentID {
		reqSpan, attSpan = attSpan, reqSpan
	}
	for _, s := range spans {
		if got := tracingtest.HexID(s.GetTraceId()); got != traceID {
			t.Errorf("span %q in trace %s, want the client's %s", s.GetName(), got, traceID)
		}
	}
	if got := tracingtest.HexID(reqSpan.GetParentSpanId()); got != parentID {
		t.Errorf("request span's parent = %s, want the client's span %s", got, parentID)
	}
	if tracingtest.HexID(attSpan.GetParentSpanId()) != tracingtest.HexID(reqSpan.GetSpanId()) {
		t.Errorf("attempt span is not the request span's child")
	}
}
