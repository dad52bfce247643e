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

// observed is a server with a client key (of tenant acme), a small body
// limit, JSON logs, its own metrics registry and a recorder whose records
// flush returns.
func observed(b *backend) (*Server, *lockedBuffer, *prometheus.Registry, func() []record.Record) {
	logs := &lockedBuffer{}
	reg := prometheus.NewRegistry()
	sink := &collect{}
	rec := record.NewRecorder(0, sink)
	s := New(Options{
		API:    &apiopenai.Handler{Backend: b, MaxBodyBytes: 100, Models: func(context.Context) []wire.Model { return nil }},
		Keys:   []config.Key{{Key: "sk-SECRET-client", Name: "app", Tenant: "acme"}},
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), Gatherer: reg, Registerer: reg, Recorder: rec,
	})
	return s, logs, reg, func() []record.Record { rec.Close(context.Background()); return sink.all() }
}

// Requests refused before the pipeline (bad body, bad key, unknown path,
// too large, operational endpoint from afar) each get one log line and
// one count, with no key and no body; those to an endpoint the backend
// records (chat, embeddings, moderations, the media endpoints, route) one record too, with the caller and
// tenant when the key was known and the client's traceparent. Those that
// reach the backend get none of these (the backend records them).
func TestRejectedRequestsAreLoggedAndCounted(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	client := map[string]string{"Authorization": "Bearer sk-SECRET-client", "traceparent": tp}
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		endpoint, reason, caller string
		kind                     llm.ErrorKind // of the record; "" for none
	}{
		{"malformed body", "POST", "/v1/chat/completions", `{"SECRET-BODY`, client, 400, "chat", "invalid_request", "app", llm.KindInvalidRequest},
		{"bad override header", "POST", "/v1/chat/completions", chatBody, map[string]string{"Authorization": "Bearer sk-SECRET-client", "traceparent": tp, "x-switchyard-max-cost-usd": "lots"},
			400, "chat", "invalid_header", "app", llm.KindInvalidRequest},
		{"no key", "POST", "/v1/chat/completions", chatBody, nil, 401, "chat", "authentication", "", llm.KindAuth},
		{"wrong key", "POST", "/v1/embeddings", chatBody, map[string]string{"Authorization": "Bearer sk-SECRET-wrong"}, 401, "embeddings", "invalid_api_key", "", llm.KindAuth},
		{"dry run without a key", "POST", "/v1/route", chatBody, nil, 401, "route", "authentication", "", llm.KindAuth},
		{"moderation without a key", "POST", "/v1/moderations", `{"input":"SECRET-BODY"}`, nil, 401, "moderations", "authentication", "", llm.KindAuth},
		{"moderation too large", "POST", "/v1/moderations", `{"input":"` + strings.Repeat(" ", 200) + `"}`, client, 413, "moderations", "too_large", "app", llm.KindTooLarge},
		{"image without a key", "POST", "/v1/images/generations", `{"prompt":"SECRET-BODY"}`, nil, 401, "images", "authentication", "", llm.KindAuth},
		{"speech too large", "POST", "/v1/audio/speech", `{"model":"tts-1","voice":"alloy","input":"` + strings.Repeat(" ", 200) + `"}`, client, 413, "speech", "too_large", "app", llm.KindTooLarge},
		{"transcription without a key", "POST", "/v1/audio/transcriptions", "--b\r\nSECRET-BODY", map[string]string{"Content-Type": "multipart/form-data; boundary=b"}, 401, "transcriptions", "authentication", "", llm.KindAuth},
		{"translation not multipart", "POST", "/v1/audio/translations", `{"SECRET-BODY":1}`, client, 400, "translations", "invalid_request", "app", llm.KindInvalidRequest},
		{"unknown path", "GET", "/v2/nothing", "", nil, 404, "other", "unknown_url", "", ""},
		{"unknown API path", "GET", "/v1/nothing", "", client, 404, "other", "unknown_url", "app", ""},
		{"wrong method on an API path", "PUT", "/v1/chat/completions", "", client, 404, "chat", "unknown_url", "app", ""},
		{"too large", "POST", "/v1/chat/completions", `{"model":"m","messages":[` + strings.Repeat(" ", 200) + `]}`, client, 413, "chat", "too_large", "app", llm.KindTooLarge},
		{"metrics from afar", "GET", "/metrics", "", client, 403, "metrics", codeLoopbackOnly, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs, reg, flush := observed(&backend{})
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
			recs := flush()
			if tt.kind == "" {
				if len(recs) != 0 {
					t.Errorf("records %+v for a request no endpoint serves", recs)
				}
				return
			}
			if len(recs) != n {
				t.Fatalf("%d records, want %d", len(recs), n)
			}
			for _, r := range recs {
				wantTenant, wantTP := "", ""
				if tt.caller != "" {
					wantTenant, wantTP = "acme", tp
				}
				if !ids[r.RequestID] || r.Endpoint != tt.endpoint || r.Status != tt.status || r.ErrorKind != tt.kind || r.Caller != tt.caller ||
					r.Tenant != wantTenant || r.TraceParent != wantTP || r.Start.IsZero() || r.Latency <= 0 || r.Plan != nil || r.Attempts != 0 {
					t.Errorf("record %+v", r)
				}
			}
		})
	}
	t.Run("errors from the backend are its to record", func(t *testing.T) {
		s, logs, reg, flush := observed(&backend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) {
			return nil, llm.Errorf(llm.KindInvalidRequest, "no such model")
		}})
		if w := do(s, "POST", "/v1/chat/completions", chatBody, client); w.Code != 400 {
			t.Fatalf("status %d", w.Code)
		}
		if _, n := metricValue(t, reg, "", 0, ""); n != 0 || len(logs.lines(t, "request rejected")) != 0 || len(flush()) != 0 {
			t.Errorf("a request that reached the backend was counted as rejected (%d series) or recorded by the server", n)
		}
	})
}

// Admission refusals (503 with Retry-After) are recorded like the other
// rejections.
func TestAdmissionRefusalIsRecorded(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	sink := &collect{}
	rec := record.NewRecorder(0, sink)
	s := newServer(&backend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) {
		entered <- struct{}{}
		<-release
		return answer("late"), nil
	}}, Options{Recorder: rec, Limits: Limits{MaxConcurrentRequests: 1}})
	held := make(chan int, 1)
	go func() { held <- do(s, "POST", "/v1/chat/completions", chatBody, nil).Code }()
	<-entered
	w := do(s, "POST", "/v1/chat/completions", chatBody, nil)
	close(release)
	if w.Code != 503 || <-held != 200 {
		t.Fatalf("status %d", w.Code)
	}
	rec.Close(context.Background())
	recs := sink.all()
	if len(recs) != 1 || recs[0].Status != 503 || recs[0].ErrorKind != llm.KindUnavailable || recs[0].Endpoint != "chat" ||
		recs[0].RequestID != w.Header().Get(apiopenai.HeaderRequestID) {
		t.Errorf("records %+v", recs)
	}
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
