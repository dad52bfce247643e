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
	// BatchControl.FailCreate; Polls the reads of one batch (GET of the
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
	// Hold keeps every batch in progress, whatever its Delay, until a
	// control without it: a test ends them when it chooses.
	Hold bool `json:"hold"`
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

// Ready reports whether a batch ready at ready (Create's) has ended its
// run at now: past it, and not held (BatchControl.Hold).
func (b *BatchBook) Ready(ready, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !now.Before(ready) && !b.control.Hold
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
