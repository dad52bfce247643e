package admin

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// Each admin route waits for the store at most the store's timeout, the
// aggregates over a range its aggregate timeout — the defaults, or
// store.timeout and store.aggregate_timeout as configured — a
// configuration's change without a bound of its own (its store calls
// are bounded by the configuration manager).
func TestStoreBoundsBounds(t *testing.T) {
	set := store.Timeouts{Request: 3 * time.Second, Aggregate: 40 * time.Second}
	tests := []struct {
		pattern string
		t       store.Timeouts
		want    time.Duration // 0: no deadline
	}{
		{"GET /admin/requests", store.Timeouts{}, store.DefaultTimeout},
		{"GET /admin/keys", store.Timeouts{}, store.DefaultTimeout},
		{"GET /admin/report", store.Timeouts{}, store.DefaultAggregateTimeout},
		{"GET /admin/stats", store.Timeouts{}, store.DefaultAggregateTimeout},
		{"GET /admin/scores", store.Timeouts{}, store.DefaultAggregateTimeout},
		{"PUT /admin/config", store.Timeouts{}, 0},
		{"POST /admin/config/rollback", store.Timeouts{}, 0},
		{"GET /admin/requests", set, 3 * time.Second},
		{"POST /admin/keys", set, 3 * time.Second},
		{"GET /admin/report", set, 40 * time.Second},
		{"PUT /admin/config", set, 0},
	}
	for _, tt := range tests {
		mux := http.NewServeMux()
		var got time.Duration
		storeBounds{Mux: mux, t: tt.t}.HandleFunc(tt.pattern, func(w http.ResponseWriter, r *http.Request) {
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
