package sim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A held batch book keeps every batch running, whatever its delay, until
// a control without Hold ends it.
func TestBatchBookHold(t *testing.T) {
	var b BatchBook
	post := func(ctl string) {
		w := httptest.NewRecorder()
		b.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/_sim/batches", strings.NewReader(ctl)))
		if w.Code != http.StatusOK {
			t.Fatalf("POST %s: %d", ctl, w.Code)
		}
	}
	post(`{"hold":true}`)
	ready, ok := b.Create(2)
	if !ok {
		t.Fatal("Create refused")
	}
	later := ready.Add(time.Hour)
	if b.Ready(ready, later) {
		t.Error("a held batch ended")
	}
	b.Polled()
	if b.counts.Polls != 1 {
		t.Errorf("polls %d, want 1", b.counts.Polls)
	}
	post(`{}`)
	if !b.Ready(ready, later) || b.Ready(ready, ready.Add(-time.Second)) {
		t.Error("released, it did not end at its delay")
	}
}
