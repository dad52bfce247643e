package gemini

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/sim"
	simgemini "switchyard/sim/gemini"
)

// TestEmbedPastTheBatchLimit checks that more inputs than one
// batchEmbedContents call takes are embedded in calls of at most 100, in
// order, with the usage of them all.
func TestEmbedPastTheBatchLimit(t *testing.T) {
	c := newSim(t, testKey)
	texts := make([]string, 250)
	for i := range texts {
		texts[i] = fmt.Sprintf("text %d", i)
	}
	resp, err := c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004", Input: texts})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != len(texts) {
		t.Fatalf("%d vectors for %d inputs", len(resp.Data), len(texts))
	}
	if want := provider.EstimateEmbeddingUsage(texts); resp.Usage != want {
		t.Errorf("usage %+v, want %+v", resp.Usage, want)
	}
	for _, i := range []int{0, 99, 100, 199, 200, 249} {
		one, err := c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004", Input: texts[i : i+1]})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Data[i].Index != i || !slices.Equal(resp.Data[i].Vector, one.Data[0].Vector) {
			t.Errorf("vector %d (index %d) is not that of its text", i, resp.Data[i].Index)
		}
	}
}

// TestEmbedBatchesRunAtOnce checks that the calls of a large input run up
// to embedConcurrency at a time, not one after another, and that a failed
// call fails the request with its error, the others cancelled.
func TestEmbedBatchesRunAtOnce(t *testing.T) {
	upstream := simgemini.New(sim.NewCatalog(sim.Profile{Model: "text-embedding-004", Embedding: true, Dimensions: 8}), nil)
	var inFlight, most atomic.Int32
	var calls atomic.Int32
	fail := make(chan struct{}) // closed: the next call answers 400
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		calls.Add(1)
		select {
		case <-fail:
			http.Error(w, `{"error":{"code":400,"message":"bad batch","status":"INVALID_ARGUMENT"}}`, 400)
			return
		default:
		}
		time.Sleep(20 * time.Millisecond) // long enough for the others to start
		upstream.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv, testKey)
	texts := make([]string, 10*maxEmbedBatch)
	for i := range texts {
		texts[i] = fmt.Sprintf("text %d", i)
	}
	resp, err := c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004", Input: texts})
	if err != nil || len(resp.Data) != len(texts) {
		t.Fatalf("%v, %d vectors", err, len(resp.Data))
	}
	for i, e := range resp.Data {
		if e.Index != i {
			t.Fatalf("vector %d has index %d", i, e.Index)
		}
	}
	if m := most.Load(); m < 2 || m > embedConcurrency {
		t.Errorf("at most %d calls at once, want 2 to %d", m, embedConcurrency)
	}
	close(fail)
	_, err = c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004", Input: texts})
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, "bad batch") {
		t.Errorf("a failed batch: %v", err)
	}
}
