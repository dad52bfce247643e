package e2e

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/provider/providertest"
)

// TestFaultCampaignValues: answers whose numbers no upstream can mean,
// and answers too large to hold.
func TestFaultCampaignValues(t *testing.T) {
	usage := func(prompt, completion string) upstreamFault {
		return events(func(f providertest.Format) string {
			return f.Start + f.Text("Hel") + f.Text("lo") + f.FinishUsage(prompt, completion) + f.End
		})
	}
	// 64 KiB events past the 32 MiB a complete answer may hold.
	piece := strings.Repeat("x", 64<<10)
	const pieces = 32<<4 + 16 // 33 MiB
	// Written event by event, the first flushed at once: built whole
	// first, 33 MiB could take past the tier's first-token timeout on a
	// loaded machine.
	huge := upstreamFault(func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
		w.Header().Set("Content-Type", "text/event-stream")
		text := f.Text(piece)
		io.WriteString(w, f.Start+text)
		w.(http.Flusher).Flush()
		for range pieces - 1 {
			io.WriteString(w, text)
		}
		io.WriteString(w, f.Finish+f.End)
	})
	runCampaign(t, []faultCase{
		{name: "negative usage", whole: true, fault: usage("-3", "5"), check: estimatedUsage},
		{name: "usage of 1e30", whole: true, fault: usage("3", "1e30"), check: estimatedUsage},
		{name: "usage past int64", whole: true, fault: usage("99999999999999999999999999999", "5"), check: estimatedUsage},
		// Held whole in memory, a complete answer is bounded (a fallback
		// may still answer: route "campaign" shows that for every other
		// failure); a stream is relayed chunk by chunk, unbounded. 33 MiB
		// take seconds under the race detector: the deadline is longer.
		{name: "a complete answer past 32 MiB", slow: true, heavy: true, plainOnly: true, aloneOnly: true, deadline: hugeDeadline,
			says: "larger than the router's limit", fault: huge},
		{name: "a stream past 32 MiB", slow: true, heavy: true, streamOnly: true, aloneOnly: true, deadline: hugeDeadline,
			whole: true, answer: strings.Repeat(piece, pieces), fault: huge},
	})
}

// hugeDeadline is the request deadline of the 33 MiB answers.
const hugeDeadline = 20 * time.Second

// estimatedUsage checks that the usage the client and the request record
// see is not the upstream's nonsense: plausible counts, marked estimated
// in the record, and a finite, small cost.
func estimatedUsage(t *testing.T, ce *campaignEnv, route string, _ bool, rp reply) {
	t.Helper()
	if u := rp.usage; u != nil && (u.PromptTokens < 0 || u.CompletionTokens < 0 || u.TotalTokens < 0 || u.TotalTokens > 1e6) {
		t.Errorf("%s: the client was told usage %+v", route, *u)
	}
	n := 1
	if route == "alone" {
		n = 2
	}
	rec := ce.recorded(t, n)[n-1]
	if !rec.Usage.Estimated || rec.Usage.PromptTokens <= 0 || rec.Usage.CompletionTokens <= 0 || rec.Usage.TotalTokens > 1e6 {
		t.Errorf("%s: recorded usage %+v, want the router's estimate", route, rec.Usage)
	}
	if math.IsNaN(rec.CostUSD) || math.IsInf(rec.CostUSD, 0) || rec.CostUSD < 0 || rec.CostUSD > 0.01 {
		t.Errorf("%s: recorded cost %v", route, rec.CostUSD)
	}
}

// TestFaultCampaignLongNumbersInRequests: a client's malformed number, 100
// KB of digits, is quoted in the 400 at most 40 digits long, on every
// inbound API.
func TestFaultCampaignLongNumbersInRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	big := strings.Repeat("9", 100_000)
	for _, tc := range []struct{ path, body string }{
		{"/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":` + big + `}`},
		{"/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"temperature":` + big + `}`},
		{"/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":` + big + `,"messages":[{"role":"user","content":"hi"}]}`},
		{"/v1/embeddings", `{"model":"text-embedding-3-small","input":"hi","dimensions":` + big + `}`},
		{"/v1/moderations", `{"model":` + big + `,"input":"hi"}`},
		{"/v1/responses", `{"model":"gpt-4o-mini","input":"hi","max_output_tokens":` + big + `}`},
	} {
		resp, body := post(t, e.URL+tc.path, "k", []byte(tc.body))
		if resp.StatusCode != http.StatusBadRequest || len(body) > 1<<10 || bytes.Contains(body, []byte(big[:41])) {
			t.Errorf("%s: %d, %d bytes: %.200s", tc.path, resp.StatusCode, len(body), body)
		}
	}
}
