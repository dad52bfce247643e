package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/record"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// The client keys of the two tenants of the feedback tests.
const (
	acmeKey   = "key-acme-0123456789"
	globexKey = "key-globex-0123456789"
)

// feedbackRouter is a router with a SQLite store in front of
// jsonUpstream, with a key for tenant acme and one for globex. The test
// closes the router (and so flushes it); the store is closed after.
func feedbackRouter(t testing.TB, sinks ...record.Sink) (*Router, store.Store, *httptest.Server) {
	t.Helper()
	return feedbackRouterOn(t, jsonUpstream(t), sinks...)
}

// feedbackRouterOn is feedbackRouter in front of up.
func feedbackRouterOn(t testing.TB, up *httptest.Server, sinks ...record.Sink) (*Router, store.Store, *httptest.Server) {
	t.Helper()
	cfg := &config.Config{
		Auth:        config.Auth{Keys: []config.Key{{Key: acmeKey, Name: "acme-app", Tenant: "acme"}, {Key: globexKey, Name: "globex-app", Tenant: "globex"}}},
		Providers:   map[string]*config.Provider{"up": {Name: "up", Kind: "openai", BaseURL: up.URL + "/v1", APIKey: "k"}},
		Deployments: map[string]*config.Deployment{"up-model": {Name: "up-model", Provider: "up", Model: "m"}},
		Routes:      map[string]*config.Route{"auto": {Name: "auto", Deployments: []string{"up-model"}}},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := NewRouter(cfg, RouterOptions{Logger: slog.New(slog.DiscardHandler), Store: db, NoRequestLog: true, Sinks: sinks})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)
	return r, db, ts
}

// send posts body to path with key and returns the status, the request
// id header and the body.
func send(t testing.TB, ts *httptest.Server, path, key, body string, headers ...string) (int, string, string) {
	t.Helper()
	return sendTo(t, ts.Client(), ts.URL, path, key, body, headers...)
}

// sendTo is send to the server at base with client c.
func sendTo(t testing.TB, c *http.Client, base, path, key, body string, headers ...string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("x-switchyard-request-id"), string(b)
}

func chatRequest(stream bool, user, text string) string {
	b, _ := json.Marshal(map[string]any{"model": "auto", "stream": stream, "user": user,
		"messages": []map[string]string{{"role": "user", "content": text}}})
	return string(b)
}

// errorOf returns the code and param of an OpenAI error body.
func errorOf(t *testing.T, body string) (code, param string) {
	t.Helper()
	var e struct {
		Error struct {
			Code  *string `json:"code"`
			Param *string `json:"param"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not an OpenAI error: %s", body)
	}
	if e.Error.Code != nil {
		code = *e.Error.Code
	}
	if e.Error.Param != nil {
		param = *e.Error.Param
	}
	return code, param
}

func TestFeedbackEndpoint(t *testing.T) {
	r, db, ts := feedbackRouter(t)
	status, id, _ := send(t, ts, "/v1/chat/completions", acmeKey, chatRequest(false, "", "hello"))
	if status != 200 || id == "" {
		t.Fatalf("chat: %d, id %q", status, id)
	}
	rating := `{"request_id":"` + id + `","thumbs":"up","tags":["helpful"],"correction_cost_usd":0.5}`
	if status, _, body := send(t, ts, "/v1/feedback", acmeKey, rating); status != http.StatusNoContent || body != "" {
		t.Errorf("rating one's own request: %d %q, want 204 and no body", status, body)
	}
	tests := []struct {
		name, key, body string
		status          int
		code, param     string
	}{
		{"another tenant's request", globexKey, `{"request_id":"` + id + `","thumbs":"down"}`, 404, "request_not_found", "request_id"},
		{"an unknown request", acmeKey, `{"request_id":"req_000000000000000000000000","thumbs":"down"}`, 404, "request_not_found", "request_id"},
		{"no rating", acmeKey, `{"request_id":"` + id + `"}`, 400, "", "thumbs"},
		{"both ratings", acmeKey, `{"request_id":"` + id + `","thumbs":"up","score":1}`, 400, "", "score"},
		{"bad score", acmeKey, `{"request_id":"` + id + `","score":2}`, 400, "", "score"},
		{"negative correction", acmeKey, `{"request_id":"` + id + `","thumbs":"up","correction_cost_usd":-1}`, 400, "", "correction_cost_usd"},
		{"unknown field", acmeKey, `{"request_id":"` + id + `","thumbs":"up","stars":5}`, 400, "", "stars"},
		{"not JSON", acmeKey, `thumbs up`, 400, "", ""},
		{"no key", "", `{"request_id":"` + id + `","thumbs":"down"}`, 401, "", ""},
	}
	for _, tt := range tests {
		status, _, body := send(t, ts, "/v1/feedback", tt.key, tt.body)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d (%s)", tt.name, status, tt.status, body)
			continue
		}
		if code, param := errorOf(t, body); code != tt.code || param != tt.param {
			t.Errorf("%s: code %q param %q, want %q %q", tt.name, code, param, tt.code, tt.param)
		}
	}
	mfs, err := r.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, mf := range mfs {
		names = append(names, mf.GetName())
	}
	if !strings.Contains(strings.Join(names, " "), "switchyard_feedback_dropped_total") {
		t.Errorf("the feedback writer's metrics are not exported: %v", names)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	p, err := db.ListFeedback(context.Background(), store.AllTenants(), store.FeedbackFilter{RequestID: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Feedback) != 1 {
		t.Fatalf("feedback of %s: %+v, want acme's rating only", id, p.Feedback)
	}
	f := p.Feedback[0]
	if f.Kind != store.KindExplicit || f.Tenant != "acme" || f.Value != 1 || f.CostUSD != 0.5 || len(f.Tags) != 1 || f.Evidence.Thumbs != "up" {
		t.Errorf("stored rating = %+v", f)
	}
}

// TestFeedbackRightAfterTheAnswer: a rating sent as soon as the stream's
// [DONE] arrives — before the request's row is written, often before its
// record is queued — is taken, every time.
func TestFeedbackRightAfterTheAnswer(t *testing.T) {
	r, db, ts := feedbackRouter(t)
	const n = 30
	var ids []string
	for i := range n {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/chat/completions", strings.NewReader(chatRequest(true, "", "hello")))
		req.Header.Set("Authorization", "Bearer "+acmeKey)
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		id := resp.Header.Get("x-switchyard-request-id")
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() && sc.Text() != "data: [DONE]" {
		}
		// The stream's body is still open: the handler may not have returned.
		status, _, body := send(t, ts, "/v1/feedback", acmeKey, `{"request_id":"`+id+`","score":0.25}`)
		resp.Body.Close()
		if status != http.StatusNoContent {
			t.Fatalf("rating %d, sent right after [DONE]: %d %s", i, status, body)
		}
		ids = append(ids, id)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	p, err := db.ListFeedback(context.Background(), store.TenantScope("acme"), store.FeedbackFilter{Kind: store.KindExplicit, Limit: 100})
	if err != nil || len(p.Feedback) != n {
		t.Fatalf("%d ratings stored (%v), want %d", len(p.Feedback), err, n)
	}
	for _, id := range ids {
		if _, err := db.Get(context.Background(), store.TenantScope("acme"), id); err != nil {
			t.Errorf("request %s: %v", id, err)
		}
	}
}

// holdChats is a sink that holds the first chat record until released.
type holdChats struct {
	held    chan string
	release chan struct{}
	done    bool // only the recorder's goroutine reads and writes it
}

func (h *holdChats) Consume(r *record.Record) {
	if r.Endpoint == "chat" && !h.done {
		h.done = true
		h.held <- r.RequestID
		<-h.release
	}
}

// TestFeedbackWaitsForTheRecord: a rating of a request whose record the
// sinks have not consumed yet (its row unwritten, the learner unaware)
// waits for the record rather than answering 404.
func TestFeedbackWaitsForTheRecord(t *testing.T) {
	hold := &holdChats{held: make(chan string, 1), release: make(chan struct{})}
	r, _, ts := feedbackRouter(t, hold)
	released := false
	defer func() {
		if !released {
			close(hold.release) // let Close flush
		}
		r.Close(context.Background())
	}()
	status, id, _ := send(t, ts, "/v1/chat/completions", acmeKey, chatRequest(false, "", "hello"))
	if status != 200 || <-hold.held != id {
		t.Fatalf("chat: %d, id %q", status, id)
	}
	done := make(chan int, 1)
	go func() {
		status, _, _ := send(t, ts, "/v1/feedback", acmeKey, `{"request_id":"`+id+`","thumbs":"up"}`)
		done <- status
	}()
	// The rating waits behind the held record: its marker joins the queue.
	deadline := time.Now().Add(5 * time.Second)
	for r.Recorder.Len() == 0 {
		select {
		case status := <-done:
			t.Fatalf("the rating was answered %d while its request's record was held", status)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the rating never waited for the record")
		}
		time.Sleep(time.Millisecond)
	}
	close(hold.release)
	released = true
	if status := <-done; status != http.StatusNoContent {
		t.Errorf("rating once the record was consumed: %d, want 204", status)
	}
}

// TestFeedbackSurvivesShutdown: on SIGTERM (the serve context ends), the
// ratings already answered 204 are in the store, and so are the implicit
// signals of the last requests, flushed by Router.Close; the session
// header links a regeneration like the user field does.
func TestFeedbackSurvivesShutdown(t *testing.T) {
	r, db, _ := feedbackRouter(t)
	ln, c, base := listen(t)
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- r.Serve(ctx, Listeners{API: ln}, 5*time.Second) }()
	_, first, _ := sendTo(t, c, base, "/v1/chat/completions", acmeKey, chatRequest(false, "user-7", "What is Go?"))
	_, again, _ := sendTo(t, c, base, "/v1/chat/completions", acmeKey, chatRequest(false, "user-7", "What is Go?"))
	_, sess1, _ := sendTo(t, c, base, "/v1/chat/completions", acmeKey, chatRequest(true, "", "hi"), "x-switchyard-session", "conv-1")
	_, sess2, _ := sendTo(t, c, base, "/v1/chat/completions", acmeKey, chatRequest(true, "", "hi"), "x-switchyard-session", "conv-1")
	_, other, _ := sendTo(t, c, base, "/v1/chat/completions", acmeKey, chatRequest(true, "", "hi"), "x-switchyard-session", "conv-2")
	if status, _, body := sendTo(t, c, base, "/v1/feedback", acmeKey, `{"request_id":"`+again+`","thumbs":"down","tags":["wrong"]}`); status != http.StatusNoContent {
		t.Fatalf("rating: %d %s", status, body)
	}
	stop() // SIGTERM
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	p, err := db.ListFeedback(context.Background(), store.TenantScope("acme"), store.FeedbackFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range p.Feedback {
		got[f.RequestID+" "+string(f.Kind)] = f.Evidence.By
	}
	want := map[string]string{
		first + " regenerate": again,
		again + " explicit":   "",
		sess1 + " regenerate": sess2,
	}
	if len(got) != len(want) {
		t.Errorf("feedback after shutdown = %v, want %v (none for %s, another session)", got, want, other)
	}
	for k, by := range want {
		if g, ok := got[k]; !ok || g != by {
			t.Errorf("feedback %q: by %q (present %v), want by %q", k, g, ok, by)
		}
	}
}

// Without a store there is no feedback: the endpoint says so.
func TestFeedbackOff(t *testing.T) {
	s := newServer(&backend{}, Options{})
	w := do(s, http.MethodPost, "/v1/feedback", `{"request_id":"req_1","thumbs":"up"}`, nil)
	if code, _ := errorOf(t, w.Body.String()); w.Code != http.StatusNotFound || code != "feedback_off" {
		t.Errorf("feedback without a store: %d %s, want 404 feedback_off", w.Code, w.Body)
	}
}
