package record

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/llm"
	"switchyard/route"
)

// histogramCount returns the sample count of the histogram series of name
// with the given labels, or -1 when there is none.
func histogramCount(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) int {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, lp := range m.GetLabel() {
				got[lp.GetName()] = lp.GetValue()
			}
			for k, v := range labels {
				if got[k] != v {
					continue series
				}
			}
			return int(m.GetHistogram().GetSampleCount())
		}
	}
	return -1
}

func TestMetricsConsume(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	ok := &Record{
		Endpoint: "chat", Route: "auto", Deployment: "gpt-4o", Status: 200, Attempts: 2,
		Usage:   llm.Usage{PromptTokens: 100, CompletionTokens: 20, CachedPromptTokens: 64, ReasoningTokens: 8},
		CostUSD: 0.25, Latency: 300 * time.Millisecond, TTFT: 50 * time.Millisecond, Stream: true,
	}
	m.Consume(ok)
	m.Consume(ok)
	m.Consume(&Record{
		Endpoint: "chat", Route: "auto", Deployment: "gpt-4o", Status: 502, Attempts: 1,
		ErrorKind: llm.KindUpstream, StreamFailed: true, Latency: time.Second,
	})
	m.Consume(&Record{Endpoint: "embeddings", Status: 401}) // refused before routing: no deployment

	counters := []struct {
		name string
		c    prometheus.Collector
		want float64
	}{
		{"requests 200", m.requests.WithLabelValues("chat", "auto", "gpt-4o", "200"), 2},
		{"requests 502", m.requests.WithLabelValues("chat", "auto", "gpt-4o", "502"), 1},
		{"requests 401", m.requests.WithLabelValues("embeddings", "", "", "401"), 1},
		{"attempts chat", m.upstreamCalls.WithLabelValues("chat"), 5},
		{"attempts embeddings", m.upstreamCalls.WithLabelValues("embeddings"), 0},
		{"stream failures", m.streamFailed.WithLabelValues("gpt-4o", "upstream"), 1},
		{"prompt tokens", m.tokens.WithLabelValues("gpt-4o", "prompt"), 200},
		{"completion tokens", m.tokens.WithLabelValues("gpt-4o", "completion"), 40},
		{"cached tokens", m.tokens.WithLabelValues("gpt-4o", "cached"), 128},
		{"reasoning tokens", m.tokens.WithLabelValues("gpt-4o", "reasoning"), 16},
		{"cost", m.cost.WithLabelValues("gpt-4o"), 0.5},
	}
	for _, c := range counters {
		if got := testutil.ToFloat64(c.c); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	// No token or cost series for a record without a deployment.
	if n := testutil.CollectAndCount(m.tokens); n != 4 {
		t.Errorf("token series = %d, want 4 (one deployment × 4 types)", n)
	}
	if n := testutil.CollectAndCount(m.cost); n != 1 {
		t.Errorf("cost series = %d, want 1", n)
	}
	if n := testutil.CollectAndCount(m.streamFailed); n != 1 {
		t.Errorf("stream failure series = %d, want 1", n)
	}

	hists := []struct {
		name   string
		labels map[string]string
		want   int
	}{
		{"switchyard_request_duration_seconds", map[string]string{"endpoint": "chat", "deployment": "gpt-4o"}, 3},
		{"switchyard_request_duration_seconds", map[string]string{"endpoint": "embeddings", "deployment": ""}, 1},
		{"switchyard_time_to_first_byte_seconds", map[string]string{"deployment": "gpt-4o"}, 2},
	}
	for _, h := range hists {
		if got := histogramCount(t, reg, h.name, h.labels); got != h.want {
			t.Errorf("%s%v count = %d, want %d", h.name, h.labels, got, h.want)
		}
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("metric lint: %v %v", problems, err)
	}
}

func TestMetricsIgnoreBadNumbers(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	// A counter panics on a negative increment; the recorder's goroutine
	// must survive an upstream reporting nonsense.
	m.Consume(&Record{
		Endpoint: "chat", Deployment: "d", Status: 200, Attempts: -1,
		Usage: llm.Usage{PromptTokens: -5, CompletionTokens: -1}, CostUSD: math.NaN(),
	})
	m.Consume(&Record{Endpoint: "chat", Deployment: "d", Status: 200, CostUSD: -0.1, Usage: llm.Usage{PromptTokens: 3}})
	if got := testutil.ToFloat64(m.tokens.WithLabelValues("d", "prompt")); got != 3 {
		t.Errorf("prompt tokens = %v, want 3", got)
	}
	if got := testutil.ToFloat64(m.cost.WithLabelValues("d")); got != 0 {
		t.Errorf("cost = %v, want 0", got)
	}
	if got := testutil.ToFloat64(m.upstreamCalls.WithLabelValues("chat")); got != 0 {
		t.Errorf("attempts = %v, want 0", got)
	}
}

func TestMetricsThroughRecorder(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	r := NewRecorder(16, m)
	for range 5 {
		r.Add(&Record{Endpoint: "chat", Route: "r", Deployment: "d", Status: 200, Attempts: 1})
	}
	if err := r.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.requests.WithLabelValues("chat", "r", "d", "200")); got != 5 {
		t.Fatalf("requests = %v, want 5", got)
	}
}

func TestLogSink(t *testing.T) {
	full := &Record{
		RequestID: "req_1", Start: time.Unix(1, 0), Endpoint: "chat", Route: "auto", Deployment: "gpt-4o",
		Provider: "openai", Model: "gpt-4o-2024", Stream: true, Status: 502, ErrorKind: llm.KindUpstream,
		StreamFailed: true, Attempts: 2, Usage: llm.Usage{PromptTokens: 10, CompletionTokens: 3},
		CostUSD: 0.01, Latency: time.Second, TTFT: 100 * time.Millisecond,
	}
	tests := []struct {
		name  string
		rec   *Record
		level string
		want  map[string]any
		not   []string
	}{
		{
			name: "success", level: "INFO",
			rec: &Record{RequestID: "req_2", Endpoint: "embeddings", Route: "r", Deployment: "d", Status: 200, Attempts: 1,
				Usage: llm.Usage{PromptTokens: 7}, Latency: 2 * time.Millisecond},
			want: map[string]any{"msg": "request", "request_id": "req_2", "endpoint": "embeddings", "route": "r", "deployment": "d",
				"stream": false, "status": 200.0, "attempts": 1.0, "prompt_tokens": 7.0, "completion_tokens": 0.0,
				"cost_usd": 0.0, "latency": float64(2 * time.Millisecond)},
			not: []string{"ttft", "error", "stream_failed", "served_cost_usd", "cost_unknown", "code", "budgets"},
		},
		{
			name: "cost partly unknown, a failed attempt billed", level: "INFO",
			rec:  &Record{RequestID: "req_3", Endpoint: "chat", Deployment: "d", Status: 200, CostUSD: 0.03, ServedCostUSD: 0.02, CostUnknown: true},
			want: map[string]any{"cost_usd": 0.03, "served_cost_usd": 0.02, "cost_unknown": true},
		},
		{
			name: "refused by a budget", level: "WARN",
			rec:  &Record{RequestID: "req_5", Endpoint: "chat", Status: 429, ErrorKind: llm.KindRateLimit, ErrorCode: "budget_exceeded"},
			want: map[string]any{"status": 429.0, "error": "rate_limit", "code": "budget_exceeded"},
			not:  []string{"budgets"},
		},
		{
			name: "charged to budgets", level: "INFO",
			rec:  &Record{RequestID: "req_6", Endpoint: "chat", Status: 200, Budgets: []string{"acme-daily", "app-tokens"}},
			want: map[string]any{"budgets": "acme-daily,app-tokens"},
			not:  []string{"code"},
		},
		{
			name: "failed stream", level: "WARN", rec: full,
			want: map[string]any{"request_id": "req_1", "status": 502.0, "error": "upstream", "stream_failed": true,
				"ttft": float64(100 * time.Millisecond), "stream": true, "cost_usd": 0.01},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			LogSink(slog.New(slog.NewJSONHandler(&buf, nil))).Consume(tt.rec)
			out := buf.String()
			if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
				t.Fatalf("want exactly one line, got %q", out)
			}
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got["level"] != tt.level {
				t.Errorf("level = %v, want %s", got["level"], tt.level)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
			for _, k := range tt.not {
				if _, ok := got[k]; ok {
					t.Errorf("unexpected field %s", k)
				}
			}
			// Every field is one of the known, content-free ones.
			allowed := map[string]bool{"time": true, "level": true, "msg": true, "request_id": true, "endpoint": true,
				"route": true, "deployment": true, "stream": true, "status": true, "attempts": true, "prompt_tokens": true,
				"completion_tokens": true, "cost_usd": true, "latency": true, "ttft": true, "error": true, "stream_failed": true,
				"served_cost_usd": true, "cost_unknown": true, "code": true, "budgets": true}
			for k := range got {
				if !allowed[k] {
					t.Errorf("unknown field %s logged; make sure it holds no message content", k)
				}
			}
		})
	}
}

// TestRecordHoldsNoContent guards the promise of the Record type: no field
// may carry message content or credentials, so no sink can leak them.
func TestRecordHoldsNoContent(t *testing.T) {
	forbidden := []string{"prompt", "content", "message", "messages", "text", "key", "secret", "token", "body", "input", "output"}
	rt := reflect.TypeFor[Record]()
	for f := range rt.Fields() {
		name := strings.ToLower(f.Name)
		for _, bad := range forbidden {
			if name == bad || (strings.Contains(name, bad) && f.Type.Kind() == reflect.String) {
				t.Errorf("Record.%s (%s) looks like content or a credential", f.Name, f.Type)
			}
		}
	}
}

// A request on a deployment with no known price counts in
// switchyard_requests_unknown_cost_total (once per request and
// deployment) and adds nothing to the cost counter; priced attempts of
// the same request still count their cost.
func TestMetricsUnknownCost(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	u := llm.Usage{PromptTokens: 10, CompletionTokens: 5}
	m.Consume(&Record{Endpoint: "chat", Route: "auto", Deployment: "priced", Status: 200, CostUSD: 0.5, CostUnknown: true,
		Billed: []Billed{
			{Deployment: "mystery", Usage: u, CostUnknown: true},
			{Deployment: "mystery", Usage: u, CostUnknown: true}, // a retry on it: still one request
			{Deployment: "priced", Usage: u, CostUSD: 0.5, Served: true},
		}})
	m.Consume(&Record{Endpoint: "embeddings", Deployment: "emb", Status: 200, Usage: u, CostUnknown: true})
	for dep, want := range map[string]float64{"mystery": 1, "emb": 1, "priced": 0} {
		if got := testutil.ToFloat64(m.unknownCost.WithLabelValues(dep)); got != want {
			t.Errorf("switchyard_requests_unknown_cost_total{deployment=%q} = %v, want %v", dep, got, want)
		}
	}
	if got := testutil.ToFloat64(m.cost.WithLabelValues("priced")); got != 0.5 {
		t.Errorf("priced cost %v", got)
	}
	if got := testutil.ToFloat64(m.cost.WithLabelValues("mystery")); got != 0 {
		t.Errorf("mystery cost %v, want nothing added", got)
	}
	m.ObservePrices([]*route.Deployment{
		{Deployment: llm.Deployment{Name: "priced"}},
		{Deployment: llm.Deployment{Name: "mystery", PriceUnknown: true}},
	})
	if k, u := testutil.ToFloat64(m.priceKnown.WithLabelValues("priced")), testutil.ToFloat64(m.priceKnown.WithLabelValues("mystery")); k != 1 || u != 0 {
		t.Errorf("switchyard_deployment_price_known: priced %v, mystery %v", k, u)
	}
}
