package admin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/health"
)

func TestHealthReportsBreakerAndWindows(t *testing.T) {
	tr := health.NewTracker(health.Config{}, []string{"a", "b"}, health.Options{})
	for i := 0; i < 5; i++ {
		tr.Record(health.Outcome{Deployment: "a", Failed: true})
	}
	tr.Record(health.Outcome{Deployment: "b", TTFT: 120 * time.Millisecond, Latency: time.Second})
	mux := http.NewServeMux()
	(&Handler{Health: tr}).Mount(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/health", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var out struct {
		Deployments []healthView `json:"deployments"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Deployments) != 2 {
		t.Fatalf("%v %s", err, rec.Body)
	}
	a, b := out.Deployments[0], out.Deployments[1]
	if a.Status != "unavailable" || a.Breaker != "open" || a.Reason == "" || a.Failures != 5 {
		t.Errorf("a: %+v", a)
	}
	if b.Status != "healthy" || b.TTFTp50ms != 120 || b.Requests != 1 {
		t.Errorf("b: %+v", b)
	}
}

// A deployment in a rate limit window says so, and until when.
func TestHealthReportsRateLimitWindow(t *testing.T) {
	now := time.Date(2026, 11, 25, 18, 40, 0, 0, time.UTC)
	tr := health.NewTracker(health.Config{}, []string{"a"}, health.Options{Now: func() time.Time { return now }})
	tr.Record(health.Outcome{Deployment: "a", RateLimited: true, RetryAfter: 3 * time.Second})
	mux := http.NewServeMux()
	(&Handler{Health: tr}).Mount(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/health", nil))
	var out struct {
		Deployments []healthView `json:"deployments"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Deployments) != 1 {
		t.Fatalf("%v %s", err, rec.Body)
	}
	if a := out.Deployments[0]; a.Status != "rate_limited" || a.RateLimitedUntil != "2026-11-25T18:40:03Z" || a.Breaker != "closed" {
		t.Errorf("a: %+v", a)
	}
}

// A deployment in a flex window (429 resource_unavailable) says until
// when and why, while it stays healthy for other requests; once the
// window ends, nothing of it is left.
func TestHealthReportsFlexWindow(t *testing.T) {
	now := time.Date(2026, 11, 25, 18, 40, 0, 0, time.UTC)
	tr := health.NewTracker(health.Config{}, []string{"a", "b"}, health.Options{Now: func() time.Time { return now }})
	tr.Record(health.Outcome{Deployment: "a", FlexUnavailable: true, RetryAfter: 90 * time.Second})
	mux := http.NewServeMux()
	(&Handler{Health: tr}).Mount(mux)
	get := func() []healthView {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/health", nil))
		var out struct {
			Deployments []healthView `json:"deployments"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Deployments) != 2 {
			t.Fatalf("%v %s", err, rec.Body)
		}
		return out.Deployments
	}
	ds := get()
	if a := ds[0]; a.Status != "healthy" || a.FlexUnavailableUntil != "2026-11-25T18:41:30Z" ||
		!strings.Contains(a.FlexReason, "resource_unavailable") || a.RateLimitedUntil != "" {
		t.Errorf("a: %+v", a)
	}
	if b := ds[1]; b.FlexUnavailableUntil != "" || b.FlexReason != "" {
		t.Errorf("b has a flex window: %+v", b)
	}
	now = now.Add(91 * time.Second)
	if a := get()[0]; a.FlexUnavailableUntil != "" || a.FlexReason != "" {
		t.Errorf("an ended flex window is still shown: %+v", a)
	}
}
