package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
	wire "switchyard/wire/openai"
)

// lockedBuffer is a log destination safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines returns the JSON log lines with the given message.
func (l *lockedBuffer) lines(t *testing.T, msg string) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.b.String()), "\n") {
		var m map[string]any
		if line == "" {
			continue
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// observed is a server with a client key, a small body limit, JSON logs
// and its own metrics registry.
func observed(b *backend) (*Server, *lockedBuffer, *prometheus.Registry) {
	logs := &lockedBuffer{}
	reg := prometheus.NewRegistry()
	s := New(Options{
		API:    &apiopenai.Handler{Backend: b, MaxBodyBytes: 100, Models: func() []wire.Model { return nil }},
		Keys:   []config.Key{{Key: "sk-SECRET-client", Name: "app"}},
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), Gatherer: reg, Registerer: reg,
	})
	return s, logs, reg
}

// Requests refused before the pipeline (bad body, bad key, unknown path,
// too large, operational endpoint from afar) each get one log line and
// one count, with no key and no body; those that reach the backend do not
// (the backend records them).
func TestRejectedRequestsAreLoggedAndCounted(t *testing.T) {
	client := map[string]string{"Authorization": "Bearer sk-SECRET-client"}
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		endpoint, reason, caller string
	}{
		{"malformed body", "POST", "/v1/chat/completions", `{"SECRET-BODY`, client, 400, "chat", "invalid_request", "app"},
		{"no key", "POST", "/v1/chat/completions", chatBody, nil, 401, "chat", "authentication", ""},
		{"wrong key", "POST", "/v1/embeddings", chatBody, map[string]string{"Authorization": "Bearer sk-SECRET-wrong"}, 401, "embeddings", "invalid_api_key", ""},
		{"unknown path", "GET", "/v2/nothing", "", nil, 404, "other", "unknown_url", ""},
		{"unknown API path", "GET", "/v1/nothing", "", client, 404, "other", "unknown_url", "app"},
		{"too large", "POST", "/v1/chat/completions", `{"model":"m","messages":[` + strings.Repeat(" ", 200) + `]}`, client, 413, "chat", "too_large", "app"},
		{"metrics from afar", "GET", "/metrics", "", client, 403, "metrics", codeLoopbackOnly, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs, reg := observed(&backend{})
			const n = 3
			ids := map[string]bool{}
			for range n {
				w := do(s, tt.method, tt.path, tt.body, tt.header)
				if w.Code != tt.status {
					t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
				}
				ids[w.Header().Get(apiopenai.HeaderRequestID)] = true
			}
			c, _ := metricValue(t, reg, tt.endpoint, tt.status, tt.reason)
			if c != n {
				t.Errorf("switchyard_requests_rejected_total{endpoint=%q,status=%d,reason=%q} = %v, want %d", tt.endpoint, tt.status, tt.reason, c, n)
			}
			lines := logs.lines(t, "request rejected")
			if len(lines) != n {
				t.Fatalf("%d log lines, want %d", len(lines), n)
			}
			for _, l := range lines {
				if !ids[l["request_id"].(string)] || l["method"] != tt.method || l["path"] != tt.path || l["status"] != float64(tt.status) || l["code"] != tt.reason {
					t.Errorf("log line %v", l)
				}
				if got, _ := l["caller"].(string); got != tt.caller {
					t.Errorf("caller %q, want %q", got, tt.caller)
				}
			}
			if all := logs.b.String(); strings.Contains(all, "SECRET") {
				t.Errorf("a key or the body reached the log: %s", all)
			}
		})
	}
	t.Run("errors from the backend are its to record", func(t *testing.T) {
		s, logs, reg := observed(&backend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) {
			return nil, llm.Errorf(llm.KindInvalidRequest, "no such model")
		}})
		if w := do(s, "POST", "/v1/chat/completions", chatBody, client); w.Code != 400 {
			t.Fatalf("status %d", w.Code)
		}
		if _, n := metricValue(t, reg, "", 0, ""); n != 0 || len(logs.lines(t, "request rejected")) != 0 {
			t.Errorf("a request that reached the backend was counted as rejected (%d series)", n)
		}
	})
}

// metricValue returns the rejected counter's value for the labels and how
// many series it has.
func metricValue(t *testing.T, reg *prometheus.Registry, endpoint string, status int, reason string) (float64, int) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "switchyard_requests_rejected_total" {
			continue
		}
		var v float64
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, lp := range m.GetLabel() {
				labels[lp.GetName()] = lp.GetValue()
			}
			if labels["endpoint"] == endpoint && labels["status"] == itoa(status) && labels["reason"] == reason {
				v = m.GetCounter().GetValue()
			}
		}
		return v, len(mf.GetMetric())
	}
	return 0, 0
}

// A panic in the backend is logged, counted, answered 500 in OpenAI's
// shape and recorded, once.
func TestPanicIsCountedAndRecorded(t *testing.T) {
	sink := &collect{}
	rec := record.NewRecorder(0, sink)
	reg := prometheus.NewRegistry()
	logs := &lockedBuffer{}
	s := newServer(&backend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) {
		panic("boom")
	}}, Options{Registerer: reg, Gatherer: reg, Recorder: rec, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	w := do(s, "POST", "/v1/chat/completions", chatBody, nil)
	if w.Code != 500 {
		t.Fatalf("status %d", w.Code)
	}
	if _, typ, _ := openAIError(t, w); typ != "server_error" {
		t.Errorf("type %q", typ)
	}
	if err := rec.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(s.metrics.panics.WithLabelValues("chat")); got != 1 {
		t.Errorf("switchyard_panics_total{endpoint=chat} = %v, want 1", got)
	}
	recs := sink.all()
	if len(recs) != 1 || recs[0].Status != 500 || recs[0].ErrorKind != llm.KindInternal || recs[0].RequestID != w.Header().Get(apiopenai.HeaderRequestID) {
		t.Errorf("records %+v", recs)
	}
	if len(logs.lines(t, "panic serving request")) != 1 || len(logs.lines(t, "request rejected")) != 0 {
		t.Errorf("logs: %s", logs.b.String())
	}
}

// itoa is strconv.Itoa, with "" for 0 (no status asked for).
func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
