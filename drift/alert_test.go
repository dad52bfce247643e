package drift

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/store"
)

// The webhook gets the alert as JSON, with the headers; failures are
// retried with doubling backoff (Retry-After honoured, capped); the error
// never shows the URL.
func TestWebhookRetriesWithBackoff(t *testing.T) {
	var (
		mu     sync.Mutex
		bodies []Alert
		auth   []string
	)
	statuses := []int{http.StatusServiceUnavailable, http.StatusInternalServerError, http.StatusTooManyRequests, http.StatusNoContent}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var a Alert
		data, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(data, &a); err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %q: %v", r.Method, data, err)
		}
		bodies, auth = append(bodies, a), append(auth, r.Header.Get("Authorization"))
		st := statuses[len(bodies)-1]
		if st == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "120")
		}
		w.WriteHeader(st)
	}))
	defer srv.Close()
	var slept []time.Duration
	wh := &Webhook{URL: srv.URL + "/hook?token=secret-token", Headers: map[string]string{"Authorization": "Bearer hook-secret"},
		Backoff: time.Second, MaxBackoff: 30 * time.Second,
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
	al := &Alert{Source: SourceGolden, Deployment: "gpt-4o", Set: "starter", RunID: "drift_1", Summary: "changed",
		Tests: []store.DriftTest{{Metric: MetricRefusalRate, Current: 0.15, Baseline: 0.02, P: 1e-5, Flagged: true}}}
	if err := wh.Send(context.Background(), al); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 4 || bodies[3].Deployment != "gpt-4o" || len(bodies[3].Tests) != 1 || !bodies[3].Tests[0].Flagged || auth[0] != "Bearer hook-secret" {
		t.Fatalf("deliveries %+v, auth %v", bodies, auth)
	}
	// 1s, 2s, then the 120s Retry-After capped at 30s.
	if want := []time.Duration{time.Second, 2 * time.Second, 30 * time.Second}; !equalDurations(slept, want) {
		t.Errorf("backoffs %v, want %v", slept, want)
	}

	// A 4xx other than 408/429 is not retried; giving up names the status,
	// not the URL or the token.
	statuses = []int{http.StatusBadRequest}
	bodies, slept = nil, nil
	err := wh.Send(context.Background(), al)
	if err == nil || len(bodies) != 1 || len(slept) != 0 || !strings.Contains(err.Error(), "400") {
		t.Fatalf("400: %v, %d deliveries, %v slept", err, len(bodies), slept)
	}
	if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), srv.URL) {
		t.Errorf("error shows the url or a secret: %v", err)
	}
	statuses = []int{500, 500, 500}
	bodies, slept = nil, nil
	wh.Attempts = 3
	if err := wh.Send(context.Background(), al); err == nil || len(bodies) != 3 || len(slept) != 2 || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Errorf("3 failures: %v, %d deliveries", err, len(bodies))
	}
	// A refused connection names no URL either.
	srv.Close()
	wh.Attempts = 1
	if err := wh.Send(context.Background(), al); err == nil || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "/hook") {
		t.Errorf("connection refused: %v", err)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
