package responses

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// callsThenOutputs returns a request whose input holds n function_call
// items (one assistant turn) and then their n outputs.
func callsThenOutputs(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"model":"m","tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],"input":[{"role":"user","content":"hi"}`)
	for i := range n {
		fmt.Fprintf(&b, `,{"type":"function_call","call_id":"c%d","name":"f","arguments":"{}"}`, i)
	}
	for i := range n {
		fmt.Fprintf(&b, `,{"type":"function_call_output","call_id":"c%d","output":"r"}`, i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// Decoding a turn of many function_call items takes time linear in their
// number: each call copied the turn's calls before it, and a 10 MiB input
// of ~75,000 calls and outputs took minutes of CPU.
// Thirty-two times the calls may take thirty-two times as long, with
// room for a loaded machine; the copies took some thousand times.
func TestManyFunctionCallsDecodeInLinearTime(t *testing.T) {
	timeOf := func(n int) time.Duration {
		body := callsThenOutputs(n)
		best := time.Duration(1<<63 - 1)
		for range 5 {
			start := time.Now()
			r, err := DecodeRequest(body)
			best = min(best, time.Since(start))
			if err != nil {
				t.Fatal(err)
			}
			if calls := r.Chat.Messages[1].ToolCalls(); len(calls) != n || calls[n-1].ID != fmt.Sprintf("c%d", n-1) || cap(calls) != n {
				t.Fatalf("%d calls (cap %d), the last %+v", len(calls), cap(calls), calls[len(calls)-1])
			}
		}
		return best
	}
	small, large := timeOf(500), timeOf(16000)
	t.Logf("500 calls: %v, 16000: %v", small, large)
	if ratio := float64(large) / float64(max(small, time.Microsecond)); ratio > 250 {
		t.Errorf("500 calls: %v, 16000: %v (%.0f times)", small, large, ratio)
	}
}

// hostedRun returns a request whose input holds n web_search_call items
// sent back (one assistant turn of hosted items).
func hostedRun(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"model":"m","tools":[{"type":"web_search"}],"input":[{"role":"user","content":"hi"}`)
	for i := range n {
		fmt.Fprintf(&b, `,{"type":"web_search_call","id":"ws_%d","status":"completed","action":{"type":"search","query":"q"}}`, i)
	}
	b.WriteString(`,{"role":"user","content":"and?"}]}`)
	return []byte(b.String())
}

// A run of hosted tool items sent back decodes in linear time too: each
// copied the run's items before it.
func TestManyHostedItemsDecodeInLinearTime(t *testing.T) {
	timeOf := func(n int) time.Duration {
		body := hostedRun(n)
		best := time.Duration(1<<63 - 1)
		for range 5 {
			start := time.Now()
			r, err := DecodeRequest(body)
			best = min(best, time.Since(start))
			if err != nil {
				t.Fatal(err)
			}
			if h := r.Chat.Messages[1].Hosted(); len(h) != n || cap(h) != n {
				t.Fatalf("%d hosted items (cap %d)", len(h), cap(h))
			}
		}
		return best
	}
	small, large := timeOf(500), timeOf(16000)
	t.Logf("500 items: %v, 16000: %v", small, large)
	if ratio := float64(large) / float64(max(small, time.Microsecond)); ratio > 250 {
		t.Errorf("500 items: %v, 16000: %v (%.0f times)", small, large, ratio)
	}
}
