package batch

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// failedCall is a provider batch's failed call of a line, priced.
var failedCall = &Earlier{
	Deployment: llm.Deployment{Name: "dep", InputPricePerM: 0.125, OutputPricePerM: 1, FlexPrice: &llm.TierPrice{Input: 0.1, Source: "catalog"}},
	Usage:      llm.Usage{PromptTokens: 7, CompletionTokens: 2, TotalTokens: 9},
	Err:        &llm.Error{Kind: llm.KindUpstream, Code: "server_error", Status: 500, Retryable: true, Message: "The model failed to generate a response."},
}

// The earlier call kept reads back as it was billed: the deployment as
// priced, the usage, the error's kind and code (not its message, which
// could quote the request).
func TestEarlierRoundTrip(t *testing.T) {
	got, err := decodeEarlier(encodeEarlier(failedCall))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Deployment, failedCall.Deployment) || got.Usage != failedCall.Usage ||
		got.Err.Kind != llm.KindUpstream || got.Err.Code != "server_error" || got.Err.Status != 500 || !got.Err.Retryable || got.Err.Message == failedCall.Err.Message {
		t.Errorf("read back %+v (error %+v)", got, got.Err)
	}
	if e, err := decodeEarlier(encodeEarlier(nil)); e != nil || err != nil {
		t.Errorf("none read back %+v, %v", e, err)
	}
}

func FuzzDecodeEarlier(f *testing.F) {
	f.Add(encodeEarlier(failedCall))
	f.Add([]byte(`{"deployment":{"Name":"x"},"usage":{},"error":null}`))
	f.Add([]byte(`{"error":{"kind":7}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := decodeEarlier(data)
		if err != nil || e == nil {
			return
		}
		if again, err := decodeEarlier(encodeEarlier(e)); err != nil || !reflect.DeepEqual(again.Usage, e.Usage) || again.Deployment.Name != e.Deployment.Name {
			t.Errorf("%q: read back %+v, %v; want %+v", data, again, err, e)
		}
	})
}

// The lines a provider batch left to the router are kept as its results
// are read, each with its failed call when it had one.
func TestForwardKeepsRetriedLines(t *testing.T) {
	f := &fakeForwarder{ends: 1, answer: map[int]bool{0: true}, earlier: map[int]*Earlier{2: failedCall}}
	e := newForwardEnv(t, f)
	e.submit(t, 6, time.Hour, nil)
	(&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCompleted)
	rs, err := e.st.BatchRetries(context.Background(), "acme", "batch_1")
	if err != nil || len(rs) != 2 || rs[0].Index != 2 || rs[1].Index != 4 || rs[1].Earlier != nil {
		t.Fatalf("kept retries %+v, %v; want lines 2 (its call) and 4", rs, err)
	}
	if got, err := decodeEarlier(rs[0].Earlier); err != nil || got.Deployment.Name != "dep" || got.Usage != failedCall.Usage {
		t.Errorf("line 2's call read back %+v, %v", got, err)
	}
}

// A batch resumed after its provider batch left line 2 to the router
// (the router stopped before it ran) runs it on the router carrying the
// provider's failed call, kept in the store: the provider batch is not
// polled again, nor the line held again.
func TestForwardResumesRetriedLine(t *testing.T) {
	f := &fakeForwarder{ends: 1, answer: map[int]bool{0: true, 2: true}}
	e := newForwardEnv(t, f)
	e.submitAs(t, store.BatchInProgress, 4, time.Hour, func() {
		ctx := context.Background()
		if err := e.st.SaveBatchForward(ctx, "acme", "batch_1", store.BatchForward{ID: "pb_old", Deployment: "dep", Lines: []int{0, 2}, Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := e.st.SaveBatchLine(ctx, "acme", "batch_1", store.BatchLine{Index: 0, Data: []byte(`{"custom_id":"c0","response":{"status_code":200,"cost_usd":0.5}}`)}); err != nil {
			t.Fatal(err)
		}
		if err := e.st.SaveBatchRetries(ctx, "acme", "batch_1", []store.BatchRetry{{Index: 2, Earlier: encodeEarlier(failedCall)}}); err != nil {
			t.Fatal(err)
		}
	})
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCompleted)
	// Line 0, kept before total_cost_usd was written, counts its cost_usd;
	// line 2's total has its earlier call.
	if o.CostUSD != 3.5 || o.TotalCostUSD != 3.75 {
		t.Errorf("cost_usd %v, total_cost_usd %v; want 3.5 served, 3.75 in all", o.CostUSD, o.TotalCostUSD)
	}
	if l := e.lines(t)[2]; !strings.Contains(l, `"cost_usd":1,"total_cost_usd":1.25`) {
		t.Errorf("line 2 = %s, want its served and total costs", l)
	}
	close(e.earlier)
	var carried []string
	for d := range e.earlier {
		carried = append(carried, d)
	}
	if !slices.Equal(carried, []string{"dep"}) {
		t.Errorf("the local requests carried earlier calls on %v, want line 2's on dep", carried)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.polls["pb_old"] != 0 || len(f.held) != 0 || len(f.submitted) != 0 {
		t.Errorf("polls %v, held again %v, submitted %v; want pb_old left alone (line 2 runs here)", f.polls, f.held, f.submitted)
	}
	if got := e.sent.Load(); got != 3 {
		t.Errorf("%d lines ran on the router, want 3 (1, 2, 3)", got)
	}
}
