package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// agentTurn is one turn of an agent loop as the router keeps it: the
// tool's output (20 KB) the client sends, and the model's next function
// call with a line of text (about 1 KB).
func agentTurn(run string, k int) (input, output string) {
	input = fmt.Sprintf(`{"id":"fco_%s_%d_i0","type":"function_call_output","status":"completed","call_id":"call_%d","output":"%s"}`,
		run, k, k, strings.Repeat("tool output ", 20_000/12))
	output = fmt.Sprintf(`{"id":"msg_%s_%d","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"%s"}]},`+
		`{"id":"fc_%s_%d","type":"function_call","status":"completed","call_id":"call_%d","name":"run_shell","arguments":"{\"cmd\":\"%s\"}"}`,
		run, k, strings.Repeat("word ", 100), run, k, k+1, strings.Repeat("x", 400))
	return input, output
}

// conversation is the items of an agent loop's turns so far.
type conversation struct{ items []string }

// turnResponse is the stored response of turn k (from 1) of an agent
// loop, continuing the response prev, as the router saves it: the whole
// conversation before it, then its own input.
func turnResponse(run string, k int, prev string, conv *conversation) *store.Response {
	in, out := agentTurn(run, k)
	id := fmt.Sprintf("resp_%s_%d", run, k)
	all := append(append([]string(nil), conv.items...), in)
	return &store.Response{ID: id, Tenant: "acme", KeyName: "agent", Created: time.Now(), Expires: time.Now().Add(time.Hour),
		Model: "gpt-4o-mini", Status: "completed",
		Object: []byte(`{"id":"` + id + `","previous_response_id":"` + prev + `","output":[` + out + `],"pad":"` + strings.Repeat("x", 2000) + `"}`),
		Input:  []byte("[" + strings.Join(all, ",") + "]"), Output: []byte("[" + out + "]")}
}

// BenchmarkSaveResponseTurn measures saving turn n of an agent loop
// continued by previous_response_id, each turn adding 20 KB of tool
// output and 1 KB of answer: the n-1 turns before are saved first, then
// each iteration saves one more turn n continuing turn n-1 (siblings, so
// every save is the same size). It reports the p50 and p99 of one save,
// the bytes a save writes (input, output and object), and the p50 of
// reading a turn n's conversation back (a continuation's read).
func BenchmarkSaveResponseTurn(b *testing.B, s store.Store, n int) {
	rl, ok := s.(store.ResponseLog)
	if !ok {
		b.Fatalf("%T keeps no responses", s)
	}
	ctx, run := context.Background(), fmt.Sprint(time.Now().UnixNano())
	conv, prev := &conversation{}, ""
	for k := 1; k < n; k++ {
		r := turnResponse(run, k, prev, conv)
		if err := rl.SaveResponse(ctx, r); err != nil {
			b.Fatal(err)
		}
		in, out := agentTurn(run, k)
		conv.items, prev = append(conv.items, in, out), r.ID
	}
	saves, bytes := make([]time.Duration, 0, b.N), 0
	b.ResetTimer()
	for i := range b.N {
		r := turnResponse(run, n, prev, conv)
		r.ID += fmt.Sprintf("_%d", i)
		bytes = len(r.Input) + len(r.Output) + len(r.Object)
		start := time.Now()
		if err := rl.SaveResponse(ctx, r); err != nil {
			b.Fatal(err)
		}
		saves = append(saves, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, "save", saves)
	b.ReportMetric(float64(bytes), "bytes/save")
	reads := make([]time.Duration, 0, b.N)
	for i := range b.N {
		start := time.Now()
		if _, err := rl.GetResponse(ctx, store.TenantScope("acme"), fmt.Sprintf("resp_%s_%d_%d", run, n, i), time.Now()); err != nil {
			b.Fatal(err)
		}
		reads = append(reads, time.Since(start))
	}
	reportPercentiles(b, "read", reads)
}
