package store

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BoundedMux serves each route with its request's context bounded by its
// Timeout, or by DefaultTimeout when none is set; Timeouts' zero value
// holds the defaults.
func TestBoundedMux(t *testing.T) {
	for _, tc := range []struct {
		timeout, want time.Duration
	}{
		{0, DefaultTimeout},
		{250 * time.Millisecond, 250 * time.Millisecond},
		{time.Minute, time.Minute},
	} {
		mux := http.NewServeMux()
		var left time.Duration
		BoundedMux{Mux: mux, Timeout: tc.timeout}.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
			if d, ok := r.Context().Deadline(); ok {
				left = time.Until(d)
			}
		})
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/x", nil))
		if left <= 0 || left > tc.want || left < tc.want/2 {
			t.Errorf("Timeout %v: the handler's context had %v left; want %v", tc.timeout, left, tc.want)
		}
	}
	var zero Timeouts
	if zero.RequestOr() != DefaultTimeout || zero.AggregateOr() != DefaultAggregateTimeout {
		t.Errorf("Timeouts{}: %v, %v; want the defaults", zero.RequestOr(), zero.AggregateOr())
	}
	set := Timeouts{Request: time.Second, Aggregate: 3 * time.Second}
	if set.RequestOr() != time.Second || set.AggregateOr() != 3*time.Second {
		t.Errorf("%+v: %v, %v", set, set.RequestOr(), set.AggregateOr())
	}
}
