package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/sim"
)

// findFixture is a client of the simulated Message Batches API with its
// batch control.
type findFixture struct {
	*fixture
	t *testing.T
}

// control sets the simulator's batch control.
func (f findFixture) control(ctl sim.BatchControl) {
	f.t.Helper()
	body, _ := json.Marshal(ctl)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Post(f.srv.URL+"/_sim/batches", "application/json", bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
}

// submit sends a batch of a request per custom id and returns its id.
func (f findFixture) submit(ids ...string) string {
	f.t.Helper()
	n := 20
	var reqs []provider.BatchRequest
	for _, id := range ids {
		reqs = append(reqs, provider.BatchRequest{CustomID: id, Request: &llm.Request{Model: testModel, MaxTokens: &n,
			Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "Hi"}}}}}})
	}
	id, err := f.c.SubmitBatch(context.Background(), "", reqs)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// find calls FindBatch with the custom ids key-0…key-(n-1).
func (f findFixture) find(key string, since time.Time, n int) provider.FoundBatch {
	f.t.Helper()
	got, err := f.c.FindBatch(context.Background(), key, since, keyed(key, n))
	if err != nil {
		f.t.Fatal(err)
	}
	return got
}

// keyed returns the custom ids key-0…key-(n-1).
func keyed(key string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("%s-%d", key, i))
	}
	return out
}

// FindBatch against the simulator: an ended batch whose results carry
// the custom ids is found, proven, past a foreign ended batch of the
// same size and a page of other batches; a foreign ended batch of the
// same size alone is not; the single candidate in progress is found
// unproven; several are not taken but listed; batches older than since
// (less the skew) are not looked at; no custom ids, nothing looked for.
func TestFindBatch(t *testing.T) {
	f := findFixture{newFixture(t, testKey), t}
	since := time.Now()
	ours := f.submit(keyed("k1", 3)...)
	foreign := f.submit("line-0", "line-1", "line-2")
	for i := range findPage + 5 { // another page of others, of other sizes
		f.submit(fmt.Sprint("x", i), "y")
	}
	if got := f.find("k1", since, 3); got.ID != ours || !got.Proven {
		t.Fatalf("found %+v, want %s proven (foreign %s)", got, ours, foreign)
	}
	if got := f.find("k2", since, 3); got.ID != "" || got.Proven || len(got.Candidates) != 0 {
		t.Errorf("a key no batch carries: found %+v", got)
	}
	if got := f.find("k1", since.Add(time.Hour), 3); got.ID != "" {
		t.Errorf("since later: found %+v", got)
	}
	if got, err := f.c.FindBatch(context.Background(), "k1", since, nil); err != nil || got.ID != "" {
		t.Errorf("without custom ids: found %+v, %v", got, err)
	}
	f.control(sim.BatchControl{Hold: true})
	open := f.submit(keyed("k3", 2)...)
	if got := f.find("k3", since, 2); got.ID != open || got.Proven {
		t.Errorf("the single candidate in progress: found %+v, want %s unproven", got, open)
	}
	other := f.submit("a", "b")
	if got := f.find("k3", since, 2); got.ID != "" || !slices.Equal(got.Candidates, []string{other, open}) {
		t.Errorf("two candidates in progress: found %+v, want none taken, %s and %s listed", got, other, open)
	}
	if got := f.find("k1", since, 3); got.ID != ours || !got.Proven {
		t.Errorf("an ended batch proven among batches in progress: found %+v", got)
	}
	f.control(sim.BatchControl{})
	if got := f.find("k3", since, 2); got.ID != open || !got.Proven {
		t.Errorf("ended: found %+v, want %s proven", got, open)
	}
}

// FindBatch carries a listing's error (a retryable 5xx) rather than
// saying no batch is there.
func TestFindBatchError(t *testing.T) {
	f := newFixture(t, testKey, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == "/v1/messages/batches" {
				w.Header().Set("content-type", "application/json")
				w.WriteHeader(529)
				w.Write([]byte(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	got, err := f.c.FindBatch(context.Background(), "k", time.Now(), keyed("k", 1))
	var le *llm.Error
	if err == nil || !errors.As(err, &le) || !le.Retryable {
		t.Fatalf("FindBatch = %+v, %v; want a retryable error", got, err)
	}
}

// FuzzDecodeBatchList: any bytes give a page whose batches each have an
// id, a processing status and a creation time, or an error.
func FuzzDecodeBatchList(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"msgbatch_013Zva2CMHLNnXjNJJKqJ2EF","type":"message_batch","processing_status":"in_progress","request_counts":{"processing":100,"succeeded":50,"errored":30,"canceled":10,"expired":10},"ended_at":null,"created_at":"2024-08-20T18:37:24.100435Z","expires_at":"2024-08-21T18:37:24.100435Z","archived_at":null,"cancel_initiated_at":null,"results_url":null}],"has_more":true,"first_id":"msgbatch_013Zva2CMHLNnXjNJJKqJ2EF","last_id":"msgbatch_013Zva2CMHLNnXjNJJKqJ2EF"}`))
	f.Add([]byte(`{"data":[],"has_more":false,"first_id":null,"last_id":null}`))
	f.Add([]byte(`{"data":[{"id":"msgbatch_1","processing_status":"ended","created_at":"not a time"}]}`))
	f.Add([]byte(`{"data":[{"id":"","processing_status":"ended","created_at":"2024-08-20T18:37:24Z"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := decodeBatchList(data)
		if err != nil {
			return
		}
		for _, b := range l.Data {
			if b.ID == "" || b.ProcessingStatus == "" || b.CreatedAt.IsZero() {
				t.Fatalf("decoded %+v", b)
			}
		}
	})
}

// FuzzResultIDs: any bytes give a custom id per non-blank line, or an
// error.
func FuzzResultIDs(f *testing.F) {
	f.Add([]byte("{\"custom_id\":\"k-0\",\"result\":{\"type\":\"expired\"}}\n{\"custom_id\":\"k-1\",\"result\":{\"type\":\"canceled\"}}\n"))
	f.Add([]byte("{\"custom_id\":\"\"}"))
	f.Add([]byte("\n \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ids, err := resultIDs(data)
		if err != nil {
			return
		}
		if slices.Contains(ids, "") || len(ids) > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("ids %q of %q", ids, data)
		}
	})
}
