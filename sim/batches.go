package sim

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// BatchCounts are what a simulated batch API (OpenAI's Batch API,
// Anthropic's Message Batches) saw.
type BatchCounts struct {
	// Created counts the batches created; Lines the requests they held;
	// Cancelled the cancels received; Failed the creations refused by
	// BatchControl.FailCreate and RefuseCreate; Polls the reads of one batch (GET of the
	// batch by its id).
	Created   int `json:"created"`
	Lines     int `json:"lines"`
	Cancelled int `json:"cancelled"`
	Failed    int `json:"failed"`
	Polls     int `json:"polls"`
}

// BatchControl steers a simulated batch API (POST /_sim/batches).
type BatchControl struct {
	// Delay is how long a batch stays in progress after its creation.
	Delay time.Duration `json:"delay"`
	// FailCreate refuses the next FailCreate creations with a 500.
	FailCreate int `json:"fail_create"`
	// RefuseCreate refuses the next RefuseCreate creations as the
	// provider refuses a batch it will not make (Refused): OpenAI with a
	// 400 invalid_request_error, Anthropic with a 413 request_too_large.
	RefuseCreate int `json:"refuse_create"`
	// Hold keeps every batch in progress, whatever its Delay, and every
	// cancelled one cancelling (as a provider finishes the requests it
	// runs), until a control without it: a test ends them when it
	// chooses.
	Hold bool `json:"hold"`
	// Processed is how many requests of a batch in progress (its first,
	// in its order) the provider has processed: a batch cancelled ends
	// with their answers, the others not run. Zero: none.
	Processed int `json:"processed"`
	// FailResponses answers the next FailResponses lines of batches of
	// /v1/responses as a response that failed on the way: status failed,
	// error server_error, the usage it reports kept (OpenAI bills what a
	// failed response used). Zero: none.
	FailResponses int `json:"fail_responses"`
}

// BatchBook holds a simulated batch API's counts and control, and serves
// them at /_sim/batches: GET the counts, POST a BatchControl (answered
// with the counts). Its zero value is ready; it is safe for concurrent
// use.
type BatchBook struct {
	mu      sync.Mutex
	counts  BatchCounts
	control BatchControl
}

// ServeHTTP implements http.Handler.
func (b *BatchBook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r.Method == http.MethodPost {
		var c BatchControl
		if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		b.control = c
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(b.counts)
}

// Refused reports whether the next creation is refused as one the
// provider will not make (BatchControl.RefuseCreate), counting it as
// failed. A simulator asks it before Create.
func (b *BatchBook) Refused() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.control.RefuseCreate <= 0 {
		return false
	}
	b.control.RefuseCreate--
	b.counts.Failed++
	return true
}

// Create reports whether a creation of a batch of lines is accepted (a
// refused one is counted as failed) and, when it is, counts it and
// returns when it is ready.
func (b *BatchBook) Create(lines int) (ready time.Time, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.control.FailCreate > 0 {
		b.control.FailCreate--
		b.counts.Failed++
		return time.Time{}, false
	}
	b.counts.Created++
	b.counts.Lines += lines
	return time.Now().Add(b.control.Delay), true
}

// FailResponse reports whether the next line of a batch of /v1/responses
// is answered as a failed response (BatchControl.FailResponses), counting
// it down.
func (b *BatchBook) FailResponse() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.control.FailResponses <= 0 {
		return false
	}
	b.control.FailResponses--
	return true
}

// Ready reports whether a batch ready at ready (Create's) has ended its
// run at now: past it, and not held (BatchControl.Hold).
func (b *BatchBook) Ready(ready, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !now.Before(ready) && !b.control.Hold
}

// Processed returns how many of a batch's n requests were processed
// when it was cancelled (BatchControl.Processed).
func (b *BatchBook) Processed(n int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return min(max(b.control.Processed, 0), n)
}

// Holding reports whether a cancelled batch stays cancelling
// (BatchControl.Hold).
func (b *BatchBook) Holding() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.control.Hold
}

// Polled counts a read of one batch.
func (b *BatchBook) Polled() {
	b.mu.Lock()
	b.counts.Polls++
	b.mu.Unlock()
}

// Cancelled counts a cancel.
func (b *BatchBook) Cancelled() {
	b.mu.Lock()
	b.counts.Cancelled++
	b.mu.Unlock()
}
