package admin

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// Each admin route waits for the store at most store.RequestTimeout, the
// aggregates over a range store.AggregateTimeout, a configuration's
// change without a bound of its own.
func TestBoundingMuxBounds(t *testing.T) {
	tests := []struct {
		pattern string
		want    time.Duration // 0: no deadline
	}{
		{"GET /admin/requests", store.RequestTimeout},
		{"GET /admin/keys", store.RequestTimeout},
		{"GET /admin/report", store.AggregateTimeout},
		{"GET /admin/stats", store.AggregateTimeout},
		{"GET /admin/scores", store.AggregateTimeout},
		{"PUT /admin/config", 0},
		{"POST /admin/config/rollback", 0},
	}
	for _, tt := range tests {
		mux := http.NewServeMux()
		var got time.Duration
		boundingMux{mux}.HandleFunc(tt.pattern, func(w http.ResponseWriter, r *http.Request) {
			if d, ok := r.Context().Deadline(); ok {
				got = time.Until(d)
			}
		})
		method, path, _ := strings.Cut(tt.pattern, " ")
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, nil))
		if tt.want == 0 && got != 0 || tt.want != 0 && (got <= tt.want-time.Second || got > tt.want) {
			t.Errorf("%s: deadline in %v, want %v", tt.pattern, got, tt.want)
		}
	}
}
