package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/demo"
	"switchyard/llm"
	"switchyard/record"
)

// sseText concatenates the content deltas of a chat completion stream.
func sseText(t *testing.T, body string) string {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(body, "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var c struct {
			Choices []struct {
				Delta struct {
					Content string `json:"content"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			t.Fatalf("event %q: %v", data, err)
		}
		for _, ch := range c.Choices {
			b.WriteString(ch.Delta.Content)
		}
	}
	return b.String()
}

// Through the whole router, every request to an API endpoint gives
// exactly one record — whether the backend answered it or the server
// refused it first — and other paths none. Chats keep the request and
// the answer the client got (NewRouter keeps answers).
func TestRouterRecordsEveryAPIRequestOnce(t *testing.T) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	cfg := demo.Config(simAddr, "")
	cfg.Auth.Keys = []config.Key{{Key: "sk-client", Name: "app", Tenant: "acme"}}
	cfg.Server.MaxBodyBytes = 4096
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &collect{}
	r, err := NewRouter(cfg, RouterOptions{Logger: slog.New(slog.DiscardHandler), Sinks: []record.Sink{sink}, NoRequestLog: true})
	if err != nil {
		t.Fatal(err)
	}
	key := map[string]string{"Authorization": "Bearer sk-client"}
	const ask = `"messages":[{"role":"user","content":"Tell me about rivers"}]`
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		endpoint                 string // of the record; "" for none
	}{
		{"complete chat", "POST", "/v1/chat/completions", `{"model":"auto",` + ask + `}`, key, 200, "chat"},
		{"streamed chat", "POST", "/v1/chat/completions", `{"model":"auto","stream":true,` + ask + `}`, key, 200, "chat"},
		{"embeddings", "POST", "/v1/embeddings", `{"model":"embed","input":"rivers"}`, key, 200, "embeddings"},
		{"moderations", "POST", "/v1/moderations", `{"input":"rivers"}`, key, 200, "moderations"},
		{"moderation of an unknown model", "POST", "/v1/moderations", `{"model":"no-such-model","input":"rivers"}`, key, 404, "moderations"},
		{"image of an unknown model", "POST", "/v1/images/generations", `{"model":"no-such-model","prompt":"rivers"}`, key, 404, "images"},
		{"speech of an unknown model", "POST", "/v1/audio/speech", `{"model":"no-such-model","voice":"alloy","input":"rivers"}`, key, 404, "speech"},
		{"a transcription that is not multipart", "POST", "/v1/audio/transcriptions", `{"model":"whisper-1"}`, key, 400, "transcriptions"},
		{"dry run", "POST", "/v1/route", `{"model":"auto",` + ask + `}`, key, 200, "route"},
		{"unknown model", "POST", "/v1/chat/completions", `{"model":"no-such-model",` + ask + `}`, key, 404, "chat"},
		{"bad JSON", "POST", "/v1/chat/completions", `{"model":`, key, 400, "chat"},
		{"no key", "POST", "/v1/chat/completions", `{"model":"auto",` + ask + `}`, nil, 401, "chat"},
		{"too large", "POST", "/v1/embeddings", `{"model":"embed","input":"` + strings.Repeat("a", 5000) + `"}`, key, 413, "embeddings"},
		{"model list", "GET", "/v1/models", "", key, 200, ""},
		{"health", "GET", "/healthz", "", nil, 200, ""},
		{"metrics from afar", "GET", "/metrics", "", nil, 403, ""},
		{"no route", "GET", "/v2/nothing", "", key, 404, ""},
	}
	ids := map[string]int{} // request id → test index
	bodies := make([]string, len(tests))
	for i, tt := range tests {
		w := do(r, tt.method, tt.path, tt.body, tt.header)
		if w.Code != tt.status {
			t.Fatalf("%s: status %d, want %d: %s", tt.name, w.Code, tt.status, w.Body)
		}
		ids[w.Header().Get(apiopenai.HeaderRequestID)] = i
		bodies[i] = w.Body.String()
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[int][]record.Record{}
	for _, rec := range sink.all() {
		i, ok := ids[rec.RequestID]
		if !ok {
			t.Errorf("a record of no request sent: %+v", rec)
			continue
		}
		got[i] = append(got[i], rec)
	}
	for i, tt := range tests {
		recs := got[i]
		if tt.endpoint == "" {
			if len(recs) != 0 {
				t.Errorf("%s: %d records, want none", tt.name, len(recs))
			}
			continue
		}
		if len(recs) != 1 {
			t.Errorf("%s: %d records, want 1", tt.name, len(recs))
			continue
		}
		rec := recs[0]
		wantTenant := "acme"
		if tt.header == nil {
			wantTenant = ""
		}
		if rec.Endpoint != tt.endpoint || rec.Status != tt.status || rec.Tenant != wantTenant || rec.Attempts != len(rec.Trail) {
			t.Errorf("%s: record %+v", tt.name, rec)
		}
		routed := tt.status == 200 && tt.endpoint != "embeddings" && tt.endpoint != "moderations"
		if (rec.Plan != nil) != routed {
			t.Errorf("%s: plan %v", tt.name, rec.Plan)
		}
		if tt.status == 200 && tt.endpoint == "chat" {
			checkKept(t, tt.name, rec, bodies[i])
		}
	}
}

// checkKept checks a chat record kept its request and the answer the
// client got in body.
func checkKept(t *testing.T, name string, rec record.Record, body string) {
	t.Helper()
	if rec.Request == nil || rec.Request.Model != "auto" || rec.Answer == nil || len(rec.Answer.Choices) == 0 || rec.Trail[len(rec.Trail)-1].TTFT <= 0 {
		t.Fatalf("%s: request %+v answer %+v trail %+v", name, rec.Request, rec.Answer, rec.Trail)
	}
	want := ""
	if rec.Stream {
		want = sseText(t, body)
	} else {
		var resp struct {
			Choices []struct {
				Message struct {
					Content string `json:"content"`
				} `json:"message"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(body), &resp); err != nil || len(resp.Choices) == 0 {
			t.Fatalf("%s: body %s: %v", name, body, err)
		}
		want = resp.Choices[0].Message.Content
	}
	if got := rec.Answer.Choices[0].Message.Text(); got != want || want == "" || rec.Answer.Choices[0].FinishReason == "" {
		t.Errorf("%s: answer %q (finish %q), the client got %q", name, got, rec.Answer.Choices[0].FinishReason, want)
	}
}

// A panic before the backend, on an endpoint the backend records, is
// recorded by the server (the backend never saw the request); one on
// another path is only logged and counted.
func TestPanicBeforeTheBackendIsRecorded(t *testing.T) {
	sink := &collect{}
	rec := record.NewRecorder(0, sink)
	s := newServer(&backend{}, Options{Recorder: rec})
	h := s.begin(s.recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	for _, path := range []string{"/v1/embeddings", "/v1/models"} {
		if w := do(h, "POST", path, chatBody, nil); w.Code != 500 {
			t.Fatalf("%s: status %d", path, w.Code)
		}
	}
	rec.Close(context.Background())
	recs := sink.all()
	if len(recs) != 1 || recs[0].Endpoint != "embeddings" || recs[0].Status != 500 || recs[0].ErrorKind != llm.KindInternal {
		t.Errorf("records %+v", recs)
	}
}
