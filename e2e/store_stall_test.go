package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/store"
)

// TestDatabaseStallHoldsNoRequest: PostgreSQL, behind a proxy the test
// stalls mid-run, stops answering without closing a connection (a
// network that drops every packet). Chat requests still answer at once:
// the request log is written off their path. A rating, written before its
// 204, fails within the store's bound with a 503 feedback_unavailable, not
// at the request's deadline (server.request_timeout, 10 minutes by
// default) with a 504; so do a continuation of a stored response and its
// retrieval, which must read it (they answered 503 too, but only at the
// request's deadline). When the database answers again, a rating is
// stored and every request has its row.
func TestDatabaseStallHoldsNoRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	routerStore, direct, proxy := proxiedPostgres(t)
	const deadline = 90 * time.Second
	e := storeEnv(t, routerStore, func(c *config.Config) { c.Server.RequestTimeout = deadline })
	w := e.Router.Writer

	first := sendAs(t, e, "complete", "/v1/chat/completions", chatBody("plain", "hello", false), nil)
	for limit := time.Now().Add(30 * time.Second); w.Written() < 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(limit) {
			t.Fatal("the first row was not written")
		}
	}
	stored := sendAs(t, e, "responses", "/v1/responses", []byte(`{"model":"plain","input":"hello"}`), nil)
	if stored.status != 200 {
		t.Fatalf("a stored response: %d", stored.status)
	}
	respID := "resp_" + strings.TrimPrefix(stored.id, "req_")
	proxy.Stall()
	ids := []string{first.id, stored.id}
	for i := range 6 {
		s := sendAs(t, e, "complete", "/v1/chat/completions", chatBody("plain", "hello", i%2 == 1), nil)
		if s.status != 200 {
			t.Fatalf("a request failed while the database stalled: %d", s.status)
		}
		if took := s.end.Sub(s.start); took >= store.DefaultWriteTimeout/2 {
			t.Errorf("a request took %v while the database stalled", took)
		}
		ids = append(ids, s.id)
	}

	status, body := rateWaiting(t, e.URL, first.id, deadline+30*time.Second)
	if status != http.StatusServiceUnavailable || !bytes.Contains(body, []byte(`"code":"feedback_unavailable"`)) {
		t.Errorf("a rating while the database stalled: %d %s; want 503 feedback_unavailable", status, body)
	}

	// The stored responses are read before the request is routed (a
	// continuation) or answered (a retrieval): a 503 within the store's
	// bound too, not a 504 at the request's deadline.
	for _, call := range []struct{ method, path, body string }{
		{http.MethodPost, "/v1/responses", `{"model":"plain","input":"and then?","previous_response_id":"` + respID + `"}`},
		{http.MethodGet, "/v1/responses/" + respID, ""},
	} {
		start := time.Now()
		status, body := callWaiting(t, call.method, e.URL+call.path, call.body, deadline+30*time.Second)
		if took := time.Since(start); status != http.StatusServiceUnavailable || took > deadline/2 {
			t.Errorf("%s %s while the database stalled: %d %s after %v; want a 503 within seconds", call.method, call.path, status, body, took)
		}
	}

	proxy.Restore()
	if status, body := rateWaiting(t, e.URL, first.id, deadline+30*time.Second); status != http.StatusNoContent {
		t.Fatalf("a rating once the database answers: %d %s", status, body)
	}
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := e.Router.Close(cctx); err != nil {
		t.Fatalf("Router.Close: %v", err)
	}
	for _, id := range ids {
		if _, err := direct.Get(ctx, store.AllTenants(), id); err != nil {
			t.Errorf("request %s has no row: %v", id, err)
		}
	}
	fb, err := direct.ListFeedback(ctx, store.AllTenants(), store.FeedbackFilter{RequestID: first.id, Limit: 10})
	if err != nil || len(fb.Feedback) != 1 {
		t.Errorf("the rating stored once the database answered: %+v, %v", fb, err)
	}
}

// rateWaiting posts a thumbs up for request id and returns the answer's status
// and body; the client waits up to wait.
func rateWaiting(t *testing.T, base, id string, wait time.Duration) (int, []byte) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"request_id": id, "thumbs": "up"})
	return callWaiting(t, http.MethodPost, base+"/v1/feedback", string(b), wait)
}

// callWaiting sends body (none if empty) to url with the client key and
// returns the answer's status and body; the client waits up to wait.
func callWaiting(t *testing.T, method, url, body string, wait time.Duration) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+clientKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}
