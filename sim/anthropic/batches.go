package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file serves Anthropic's Message Batches API: POST
// /v1/messages/batches, GET /v1/messages/batches (the list,
// batches_list.go), GET /v1/messages/batches/{id}, its results (JSON
// Lines) and its cancel. Each request is answered at once by the
// server's own Messages handler (so faults and directives apply per
// request); the batch is in_progress until sim.BatchControl.Delay has
// passed since its creation, then ended with its results. A cancel makes
// it canceling (while sim.BatchControl.Hold holds it), then ended with
// the results of the requests it had processed
// (sim.BatchControl.Processed), the others canceled. /_sim/batches reads
// the counters and sets the control (sim.BatchBook).

// customIDPattern is what a custom_id must match.
var customIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// messageBatch is the Message Batch object.
type messageBatch struct {
	ID                string        `json:"id"`
	Type              string        `json:"type"`
	ProcessingStatus  string        `json:"processing_status"`
	RequestCounts     requestCounts `json:"request_counts"`
	EndedAt           *string       `json:"ended_at"`
	CreatedAt         string        `json:"created_at"`
	ExpiresAt         string        `json:"expires_at"`
	ArchivedAt        *string       `json:"archived_at"`
	CancelInitiatedAt *string       `json:"cancel_initiated_at"`
	ResultsURL        *string       `json:"results_url"`
}

type requestCounts struct {
	Processing int `json:"processing"`
	Succeeded  int `json:"succeeded"`
	Errored    int `json:"errored"`
	Canceled   int `json:"canceled"`
	Expired    int `json:"expired"`
}

// simBatch is one batch: its object, its answers, when they are ready;
// canceled, how many of its requests it had processed then.
type simBatch struct {
	obj       messageBatch
	ready     time.Time
	results   []batchResult
	canceled  bool
	processed int
}

// batchResult is one line of the results.
type batchResult struct {
	CustomID string `json:"custom_id"`
	Result   struct {
		Type    string          `json:"type"`
		Message json.RawMessage `json:"message,omitempty"`
		Error   json.RawMessage `json:"error,omitempty"`
	} `json:"result"`
}

// batches holds the Message Batches and the book of their counts.
type batches struct {
	mu  sync.Mutex
	all map[string]*simBatch
	// order is their ids in the order they were created.
	order []string
	book  sim.BatchBook
}

// rfc3339 is t as the API writes its times.
func rfc3339(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z07:00") }

// createBatch serves POST /v1/messages/batches.
func (s *server) createBatch(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Requests []struct {
			CustomID string          `json:"custom_id"`
			Params   json.RawMessage `json:"params"`
		} `json:"requests"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in); err != nil {
		writeError(w, wire.InvalidRequestError, "requests: Field required")
		return
	}
	if len(in.Requests) == 0 || len(in.Requests) > 100000 {
		writeError(w, wire.InvalidRequestError, "requests: List should have at least 1 item after validation, not 0")
		return
	}
	seen := map[string]bool{}
	for i, q := range in.Requests {
		if !customIDPattern.MatchString(q.CustomID) {
			writeError(w, wire.InvalidRequestError, fmt.Sprintf("requests.%d.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'", i))
			return
		}
		if seen[q.CustomID] {
			writeError(w, wire.InvalidRequestError, "Duplicate custom_id values are not allowed: "+q.CustomID)
			return
		}
		seen[q.CustomID] = true
	}
	if s.batches.book.Refused() {
		// The 413 of Anthropic's errors page ("Request exceeds the
		// maximum allowed number of bytes."; Message Batches take up to
		// 256 MB); what makes a real one is not simulated.
		writeError(w, wire.RequestTooLarge, "Request exceeds the maximum allowed number of bytes.")
		return
	}
	ready, ok := s.batches.book.Create(len(in.Requests))
	if !ok {
		writeError(w, wire.APIError, "Internal server error")
		return
	}
	now := time.Now()
	b := &simBatch{ready: ready, obj: messageBatch{ID: newID("msgbatch_"), Type: "message_batch", ProcessingStatus: "in_progress",
		CreatedAt: rfc3339(now), ExpiresAt: rfc3339(now.Add(24 * time.Hour)), RequestCounts: requestCounts{Processing: len(in.Requests)}}}
	for _, q := range in.Requests {
		b.results = append(b.results, s.answerRequest(q.CustomID, q.Params))
	}
	s.batches.mu.Lock()
	if s.batches.all == nil {
		s.batches.all = map[string]*simBatch{}
	}
	s.batches.all[b.obj.ID] = b
	s.batches.order = append(s.batches.order, b.obj.ID)
	obj := b.obj
	s.batches.mu.Unlock()
	writeBatch(w, &obj)
}

// batchLine is the context key that marks a request of a batch, which
// the Batch tier serves (usage.service_tier "batch").
type batchLine struct{}

// answerRequest answers one request of a batch through the Messages
// handler.
func (s *server) answerRequest(customID string, params json.RawMessage) batchResult {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/v1/messages", bytes.NewReader(params))
	req = req.WithContext(context.WithValue(req.Context(), batchLine{}, true))
	req.Header.Set("content-type", "application/json")
	s.messages(rec, req)
	out := batchResult{CustomID: customID}
	body := bytes.TrimSpace(rec.Body.Bytes())
	if rec.Code/100 == 2 {
		out.Result.Type, out.Result.Message = "succeeded", body
	} else {
		out.Result.Type, out.Result.Error = "errored", body
	}
	return out
}

// lookup returns the batch of the path's id, or answers 404.
func (s *server) lookup(w http.ResponseWriter, r *http.Request) *simBatch {
	id := r.PathValue("id")
	s.batches.mu.Lock()
	b := s.batches.all[id]
	s.batches.mu.Unlock()
	if b == nil {
		writeError(w, wire.NotFoundError, "No batch found with id "+id)
	}
	return b
}

// advance ends b once it is ready, or cancelled and not held, and
// returns a copy of its object; the caller holds s.batches.mu.
func (s *server) advance(b *simBatch) messageBatch {
	now := time.Now()
	if b.obj.ProcessingStatus != "ended" && (b.canceled && !s.batches.book.Holding() || !b.canceled && s.batches.book.Ready(b.ready, now)) {
		c := requestCounts{}
		for i := range b.results {
			r := &b.results[i]
			if b.canceled && i >= b.processed {
				r.Result.Type, r.Result.Message, r.Result.Error = "canceled", nil, nil
			}
			switch r.Result.Type {
			case "succeeded":
				c.Succeeded++
			case "errored":
				c.Errored++
			default:
				c.Canceled++
			}
		}
		ended := rfc3339(now)
		url := "https://api.anthropic.com/v1/messages/batches/" + b.obj.ID + "/results"
		b.obj.ProcessingStatus, b.obj.RequestCounts, b.obj.EndedAt, b.obj.ResultsURL = "ended", c, &ended, &url
	}
	return b.obj
}

// getBatch serves GET /v1/messages/batches/{id}.
func (s *server) getBatch(w http.ResponseWriter, r *http.Request) {
	if b := s.lookup(w, r); b != nil {
		s.batches.book.Polled()
		s.batches.mu.Lock()
		obj := s.advance(b)
		s.batches.mu.Unlock()
		writeBatch(w, &obj)
	}
}

// batchResults serves GET /v1/messages/batches/{id}/results: JSON
// Lines, once the batch ended.
func (s *server) batchResults(w http.ResponseWriter, r *http.Request) {
	b := s.lookup(w, r)
	if b == nil {
		return
	}
	s.batches.mu.Lock()
	obj := s.advance(b)
	var out bytes.Buffer
	for _, res := range b.results {
		line, _ := json.Marshal(res)
		out.Write(line)
		out.WriteByte('\n')
	}
	s.batches.mu.Unlock()
	if obj.ProcessingStatus != "ended" {
		writeError(w, wire.InvalidRequestError, "Batch "+obj.ID+" is still in progress; its results are not available yet.")
		return
	}
	w.Header().Set("Content-Type", "application/x-jsonl")
	w.Header().Set("request-id", newID("req_"))
	w.Write(out.Bytes())
}

// cancelBatch serves POST /v1/messages/batches/{id}/cancel: a batch in
// progress is canceling, and ended from the next read on that the
// control does not hold, with the requests it had not processed
// canceled.
func (s *server) cancelBatch(w http.ResponseWriter, r *http.Request) {
	b := s.lookup(w, r)
	if b == nil {
		return
	}
	s.batches.book.Cancelled()
	s.batches.mu.Lock()
	obj := s.advance(b)
	if obj.ProcessingStatus == "in_progress" {
		at := rfc3339(time.Now())
		b.canceled, b.obj.ProcessingStatus, b.obj.CancelInitiatedAt = true, "canceling", &at
		b.processed = s.batches.book.Processed(len(b.results))
		obj = b.obj
	}
	s.batches.mu.Unlock()
	writeBatch(w, &obj)
}

// writeBatch answers 200 with the Message Batch o.
func writeBatch(w http.ResponseWriter, o *messageBatch) {
	b, _ := json.Marshal(o)
	writeJSON(w, b)
}
