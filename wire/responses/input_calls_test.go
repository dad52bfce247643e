package responses

import (
	"fmt"
	"strings"
	"testing"

	"switchyard/internal/alloctest"
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

// linearAllocs fails t unless decoding 16,000 items allocates at most 100
// times what 500 do (32 times the items: linear is some 32-40 times; the
// quadratic copies were some thousand times, and took time to match: a
// 10 MiB input minutes of CPU). Bytes, unlike time, do not vary with the
// machine's load.
func linearAllocs(t *testing.T, what string, decode func(n int)) {
	t.Helper()
	small, large := alloctest.Bytes(3, func() { decode(500) }), alloctest.Bytes(3, func() { decode(16000) })
	t.Logf("500 %s: %d bytes, 16000: %d", what, small, large)
	if ratio := float64(large) / float64(max(small, 1)); ratio > 100 {
		t.Errorf("500 %s: %d bytes allocated, 16000: %d (%.0f times)", what, small, large, ratio)
	}
}

// Decoding a turn of many function_call items is linear in their number:
// each call copied the turn's calls before it.
func TestManyFunctionCallsDecodeInLinearTime(t *testing.T) {
	linearAllocs(t, "calls", func(n int) {
		body := callsThenOutputs(n)
		{
			r, err := DecodeRequest(body)
			if err != nil {
				t.Fatal(err)
			}
			if calls := r.Chat.Messages[1].ToolCalls(); len(calls) != n || calls[n-1].ID != fmt.Sprintf("c%d", n-1) || cap(calls) != n {
				t.Fatalf("%d calls (cap %d), the last %+v", len(calls), cap(calls), calls[len(calls)-1])
			}
		}
	})
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
	linearAllocs(t, "hosted items", func(n int) {
		body := hostedRun(n)
		{
			r, err := DecodeRequest(body)
			if err != nil {
				t.Fatal(err)
			}
			if h := r.Chat.Messages[1].Hosted(); len(h) != n || cap(h) != n {
				t.Fatalf("%d hosted items (cap %d)", len(h), cap(h))
			}
		}
	})
}
