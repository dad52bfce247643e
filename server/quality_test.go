package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/quality"
	"switchyard/record"
)

// jsonUpstream is an OpenAI-wire upstream that streams a JSON object when
// the prompt says "good", rejects it under its content policy when it says
// "filter" (as Azure does), and otherwise answers prose.
func jsonUpstream(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		prompt := string(b)
		if strings.Contains(prompt, "filter") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400}}`))
			return
		}
		content := "Sure! The user is Ada, aged 36."
		if strings.Contains(prompt, "good") {
			content = `{"name":"Ada","age":36}`
		}
		delta, _ := json.Marshal(map[string]string{"role": "assistant", "content": content})
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte(`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":` + string(delta) + `,"finish_reason":"stop"}]}` + "\n\n" +
			`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":8,"total_tokens":17}}` + "\n\ndata: [DONE]\n\n"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A JSON-mode request whose answer is not JSON gets a format failure in its
// record and in the routing path's counters; the quality sink runs before
// the other sinks, so they see the signals; a content-policy rejection is
// counted as such.
func TestRouterQualitySignals(t *testing.T) {
	up := jsonUpstream(t)
	cfg := &config.Config{
		Providers:   map[string]*config.Provider{"up": {Name: "up", Kind: "openai", BaseURL: up.URL + "/v1", APIKey: "k"}},
		Deployments: map[string]*config.Deployment{"up-model": {Name: "up-model", Provider: "up", Model: "m"}},
		Routes:      map[string]*config.Route{"structured": {Name: "structured", Deployments: []string{"up-model"}}},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &collect{}
	r, err := NewRouter(cfg, RouterOptions{Demo: true, Logger: slog.New(slog.DiscardHandler), Sinks: []record.Sink{sink}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	defer ts.Close()
	for _, prompt := range []string{"Return the user as JSON", "Return the good user as JSON", "Return the filter user as JSON"} {
		body := `{"model":"structured","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"` + prompt + `"}]}`
		resp, err := http.Post(ts.URL+"/v1/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	recs := sink.all()
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	bad, good, filtered := recs[0], recs[1], recs[2]
	if bad.Signals == nil || !bad.Signals.FormatChecked || bad.Signals.FormatOK || bad.Status != 200 {
		t.Fatalf("prose answer to a JSON request: status %d, signals %+v", bad.Status, bad.Signals)
	}
	if good.Signals == nil || !good.Signals.FormatOK {
		t.Fatalf("JSON answer: signals %+v", good.Signals)
	}
	if filtered.Signals == nil || !filtered.Signals.ContentFilter || filtered.ErrorCode != llm.CodeContentFilter {
		t.Fatalf("content-filtered request: status %d, code %q, signals %+v", filtered.Status, filtered.ErrorCode, filtered.Signals)
	}
	want := map[[2]string]float64{} // {category, signal}: count
	for _, rec := range []struct {
		r       record.Record
		signals []string
	}{
		{bad, []string{quality.SignalFormatChecked, quality.SignalFormatFailed}},
		{good, []string{quality.SignalFormatChecked}},
		{filtered, []string{quality.SignalContentFilter}},
	} {
		if rec.r.Route != "structured" || rec.r.Deployment != "up-model" {
			t.Fatalf("record routed to %q/%q", rec.r.Route, rec.r.Deployment)
		}
		for _, sig := range rec.signals {
			want[[2]string{categoryLabel(rec.r.Category), sig}]++
		}
	}
	for k, n := range want {
		labels := map[string]string{"route": "structured", "category": k[0], "deployment": "up-model", "signal": k[1]}
		if got := counterValue(t, r.Registry, "switchyard_quality_signals_total", labels); got != n {
			t.Errorf("switchyard_quality_signals_total%v = %v, want %v", labels, got, n)
		}
	}
}

func categoryLabel(c llm.Category) string {
	if c == "" {
		return "none"
	}
	return string(c)
}

// counterValue returns the counter name with exactly labels from reg; 0
// when there is none.
func counterValue(t *testing.T, reg prometheus.Gatherer, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for _, lp := range m.GetLabel() {
				if labels[lp.GetName()] != lp.GetValue() {
					continue metrics
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}
