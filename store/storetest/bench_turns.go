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
// tool's output (toolBytes) the client sends, and the model's next
// function call with a line of text (about 1 KB).
func agentTurn(run string, k, toolBytes int) (input, output string) {
	input = fmt.Sprintf(`{"id":"fco_%s_%d_i0","type":"function_call_output","status":"completed","call_id":"call_%d","output":"%s"}`,
		run, k, k, strings.Repeat("tool output ", toolBytes/12))
	output = fmt.Sprintf(`{"id":"msg_%s_%d","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"%s"}]},`+
		`{"id":"fc_%s_%d","type":"function_call","status":"completed","call_id":"call_%d","name":"run_shell","arguments":"{\"cmd\":\"%s\"}"}`,
		run, k, strings.Repeat("word ", 100), run, k, k+1, strings.Repeat("x", 400))
	return input, output
}

// turnResponse is the stored response of turn k (from 1) of an agent
// loop, continuing the response prev ("" for none), as the router saves
// it: its parent and its own input.
func turnResponse(run string, k, toolBytes int, prev string) *store.Response {
	in, out := agentTurn(run, k, toolBytes)
	id := fmt.Sprintf("resp_%s_%d", run, k)
	return &store.Response{ID: id, Parent: prev, Tenant: "acme", KeyName: "agent", Created: time.Now(), Expires: time.Now().Add(time.Hour),
		Model: "gpt-4o-mini", Status: "completed",
		Object: []byte(`{"id":"` + id + `","previous_response_id":"` + prev + `","output":[` + out + `],"pad":"` + strings.Repeat("x", 2000) + `"}`),
		Input:  []byte("[" + in + "]"), Output: []byte("[" + out + "]")}
}

// saveTurns saves turns 1 to n of an agent loop as a chain and returns
// the last one's id.
func saveTurns(b *testing.B, rl store.ResponseLog, run string, n, toolBytes int) string {
	prev := ""
	for k := 1; k <= n; k++ {
		r := turnResponse(run, k, toolBytes, prev)
		if err := rl.SaveResponse(context.Background(), r); err != nil {
			b.Fatal(err)
		}
		prev = r.ID
	}
	return prev
}

// BenchmarkSaveResponseTurn measures saving turn n of an agent loop
// continued by previous_response_id, clear and sealed
// (responses.encryption), each turn adding 20 KB of tool output and 1 KB
// of answer: the n-1 turns before are saved first, then
// each iteration saves one more turn n continuing turn n-1 (siblings, so
// every save is the same size). It reports the p50 and p99 of one save,
// the bytes a save writes (input, output and object), and the p50 and
// p99 of reading a turn n's conversation back (a continuation's read):
// through its chain (read), and from one row holding it whole, as every
// response was stored before chains (read-one-row).
func BenchmarkSaveResponseTurn(b *testing.B, s store.Store, n int) {
	for _, sealed := range []bool{false, true} {
		name := "clear"
		if sealed {
			name = "sealed"
		}
		b.Run(name, func(b *testing.B) {
			defer sealBench(b, s, sealed)()
			benchmarkSaveResponseTurn(b, s, n)
		})
	}
}

// benchmarkSaveResponseTurn is BenchmarkSaveResponseTurn with s's keys
// as they are.
func benchmarkSaveResponseTurn(b *testing.B, s store.Store, n int) {
	rl := logOf[store.ResponseLog](b, s, "responses")
	ctx, run := context.Background(), fmt.Sprint(time.Now().UnixNano())
	prev := saveTurns(b, rl, run, n-1, 20_000)
	saves, bytes := make([]time.Duration, 0, b.N), 0
	b.ResetTimer()
	for i := range b.N {
		r := turnResponse(run, n, 20_000, prev)
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
		if _, err := rl.ResponseChain(ctx, store.TenantScope("acme"), fmt.Sprintf("resp_%s_%d_%d", run, n, i), time.Now()); err != nil {
			b.Fatal(err)
		}
		reads = append(reads, time.Since(start))
	}
	reportPercentiles(b, "read", reads)
	whole := wholeConversation(b, rl, fmt.Sprintf("resp_%s_%d_0", run, n))
	reportPercentiles(b, "read-one-row", timeChains(b, rl, whole))
}

// wholeConversation saves, as a root, a response holding the whole
// conversation of the response id (what every stored response held
// before chains), and returns its id.
func wholeConversation(b *testing.B, rl store.ResponseLog, id string) string {
	chain, err := rl.ResponseChain(context.Background(), store.TenantScope("acme"), id, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	last := chain[len(chain)-1]
	whole := &store.Response{ID: id + "_whole", Tenant: "acme", Created: time.Now(), Expires: time.Now().Add(time.Hour),
		Object: last.Object, Input: []byte(joinedItems(chain)), Output: last.Output}
	if err := rl.SaveResponse(context.Background(), whole); err != nil {
		b.Fatal(err)
	}
	return whole.ID
}

// BenchmarkResponseChainDepth measures what reading a conversation as a
// chain costs against reading it from one row: for chains of 50, 200 and
// 1000 turns of 1 KB of tool output each, the p50 of ResponseChain of the
// last turn (chain) and of a root holding the same conversation in one
// row (one-row), read b.N times each.
func BenchmarkResponseChainDepth(b *testing.B, s store.Store) {
	rl := logOf[store.ResponseLog](b, s, "responses")
	for _, depth := range []int{50, 200, 1000} {
		b.Run(fmt.Sprint(depth), func(b *testing.B) {
			run := fmt.Sprintf("%d_%d", time.Now().UnixNano(), depth)
			last := saveTurns(b, rl, run, depth, 1000)
			whole := wholeConversation(b, rl, last)
			b.ResetTimer()
			reportPercentiles(b, "chain", timeChains(b, rl, last))
			reportPercentiles(b, "one-row", timeChains(b, rl, whole))
		})
	}
}

// timeChains times b.N ResponseChain of id.
func timeChains(b *testing.B, rl store.ResponseLog, id string) []time.Duration {
	out := make([]time.Duration, 0, b.N)
	for range b.N {
		start := time.Now()
		if _, err := rl.ResponseChain(context.Background(), store.TenantScope("acme"), id, time.Now()); err != nil {
			b.Fatal(err)
		}
		out = append(out, time.Since(start))
	}
	return out
}
