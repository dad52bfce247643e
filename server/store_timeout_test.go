package server

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// The store package's defaults are the configuration's (config imports
// no store).
func TestStoreTimeoutDefaultsAgree(t *testing.T) {
	if config.DefaultStoreTimeout != store.DefaultTimeout || config.DefaultStoreAggregateTimeout != store.DefaultAggregateTimeout {
		t.Errorf("config's store timeouts %v, %v; store's %v, %v", config.DefaultStoreTimeout, config.DefaultStoreAggregateTimeout,
			store.DefaultTimeout, store.DefaultAggregateTimeout)
	}
}

// stallingLog is a request store whose database stops answering while
// stalled is set: a call waits for its context's end, and the time its
// context had left when it came is kept, by method.
type stallingLog struct {
	store.Store
	stalled atomic.Bool
	mu      sync.Mutex
	left    map[string]time.Duration // the longest seen; -1: no deadline
}

func (s *stallingLog) wait(ctx context.Context, method string) error {
	if !s.stalled.Load() {
		return nil
	}
	left := time.Duration(-1)
	if d, ok := ctx.Deadline(); ok {
		left = time.Until(d)
	}
	s.mu.Lock()
	if old, ok := s.left[method]; !ok || left < 0 || old >= 0 && left > old {
		s.left[method] = left
	}
	s.mu.Unlock()
	<-ctx.Done()
	return ctx.Err()
}

func (s *stallingLog) List(ctx context.Context, sc store.Scope, f store.Filter) (store.Page, error) {
	if err := s.wait(ctx, "List"); err != nil {
		return store.Page{}, err
	}
	return s.Store.List(ctx, sc, f)
}

func (s *stallingLog) Stats(ctx context.Context, sc store.Scope, q store.StatsQuery) ([]store.Stats, error) {
	if err := s.wait(ctx, "Stats"); err != nil {
		return nil, err
	}
	return s.Store.Stats(ctx, sc, q)
}

func (s *stallingLog) AppendConfigVersion(ctx context.Context, v store.ConfigVersion) (int64, error) {
	if err := s.wait(ctx, "AppendConfigVersion"); err != nil {
		return 0, err
	}
	return s.Store.AppendConfigVersion(ctx, v)
}

func (s *stallingLog) Get(ctx context.Context, sc store.Scope, id string) (*store.Request, error) {
	if err := s.wait(ctx, "Get"); err != nil {
		return nil, err
	}
	return s.Store.Get(ctx, sc, id)
}

func (s *stallingLog) WriteFeedback(ctx context.Context, rows []*store.Feedback) error {
	if err := s.wait(ctx, "WriteFeedback"); err != nil {
		return err
	}
	return s.Store.WriteFeedback(ctx, rows)
}

func (s *stallingLog) AppendAudit(ctx context.Context, e store.AuditEvent) error {
	if err := s.wait(ctx, "AppendAudit"); err != nil {
		return err
	}
	return s.Store.AppendAudit(ctx, e)
}

// store.timeout and store.aggregate_timeout, as configured, bound what a
// request waits for a stalled store: the admin API's reads and its
// aggregates, a rating (the learner's reads and writes), and a
// configuration's change (its version, its audit),
// which waited without a bound of its own until server.request_timeout
// (60 s here: a 504 then).
// Each answers 503 with its code, and each store call was given at most
// the configured bound, not the defaults.
func TestStoreTimeoutsAsConfigured(t *testing.T) {
	const timeout, aggregate = 300 * time.Millisecond, 600 * time.Millisecond
	var st *stallingLog
	a := startRig(t, rigOptions{text: adminConfig + "store: {timeout: 300ms, aggregate_timeout: 600ms}\nserver: {request_timeout: 60s}\n",
		open: func(t testing.TB, dir string) store.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(dir, "switchyard.db"))
			if err != nil {
				t.Fatal(err)
			}
			st = &stallingLog{Store: s, left: map[string]time.Duration{}}
			return st
		}})
	req, _ := http.NewRequest("POST", a.url+"/v1/chat/completions", strings.NewReader(`{"model":"chat","messages":[{"role":"user","content":"hi"}]}`))
	req.Header.Set("Authorization", "Bearer client-env-SECRET")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	rated := resp.Header.Get("x-switchyard-request-id")
	changed := strings.Replace(a.running().YAML, "routes:\n", "routes:\n  fast: {deployments: [gpt-4o]}\n", 1)
	st.stalled.Store(true)
	for _, tc := range []struct{ method, path, body, code string }{
		{"GET", "/admin/requests", "", "request_log_unavailable"},
		{"GET", "/admin/stats?since=1h", "", "request_log_unavailable"},
		{"PUT", "/admin/config", changed, "config_store_unavailable"},
		{"POST", "/v1/feedback", `{"request_id":"` + rated + `","thumbs":"up"}`, "feedback_unavailable"},
	} {
		who, typ := "adm", "application/yaml"
		if strings.HasPrefix(tc.path, "/v1/") {
			who, typ = "client:client-env-SECRET", "application/json"
		}
		status, body := a.call(who, tc.method, tc.path, typ, tc.body)
		if status != 503 || !strings.Contains(body, `"`+tc.code+`"`) {
			t.Errorf("%s %s with the store stalled: %d %s; want 503 %s", tc.method, tc.path, status, body, tc.code)
		}
	}
	st.stalled.Store(false)
	st.mu.Lock()
	defer st.mu.Unlock()
	for method, bound := range map[string]time.Duration{"List": timeout, "Stats": aggregate, "AppendConfigVersion": timeout, "AppendAudit": timeout} {
		if left, ok := st.left[method]; !ok || left < 0 || left > bound {
			t.Errorf("%s was given %v (seen %v); want at most %v", method, left, ok, bound)
		}
	}
	// The rating waits for its request's row (Get) or writes (WriteFeedback).
	_, get := st.left["Get"]
	_, write := st.left["WriteFeedback"]
	for _, method := range []string{"Get", "WriteFeedback"} {
		if left, ok := st.left[method]; ok && (left < 0 || left > timeout) {
			t.Errorf("%s was given %v; want at most %v", method, left, timeout)
		}
	}
	if !get && !write {
		t.Error("the rating did not reach the store")
	}
	if v := a.running(); v.Version != 1 {
		t.Errorf("version %d runs after a change the store did not take; want 1", v.Version)
	}
}
