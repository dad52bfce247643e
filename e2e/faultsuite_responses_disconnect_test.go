package e2e

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/sim"
)

// TestFaultSuiteResponsesUpstreamDisconnect: a client that goes away in
// the middle of a stream served by the Responses-API deployment, under
// each client API: the upstream call ends (the simulator sees its request
// end long before its one-hour stall would), the request log keeps the
// row with the client's 499, and what the upstream generated before is
// billed (estimated: no usage came); no goroutine outlives the router.
func TestFaultSuiteResponsesUpstreamDisconnect(t *testing.T) {
	for _, api := range []struct{ name, path, body string }{
		{"chat", "/v1/chat/completions", `{"model":"ralone","stream":true,"messages":[{"role":"user","content":"` + faultPrompt + `"}]}`},
		{"responses", "/v1/responses", `{"model":"ralone","stream":true,"input":"` + faultPrompt + `"}`},
		{"messages", "/v1/messages", `{"model":"ralone","stream":true,"max_tokens":1024,"messages":[{"role":"user","content":"` + faultPrompt + `"}]}`},
	} {
		t.Run(api.name, func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			t.Cleanup(func() { checkNoLeak(t, before) })
			e := respFaultEnv(t)
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Model: respModel, After: 3, Delay: time.Hour})
			id := readThenLeave(t, e.URL+api.path, api.body)
			rec := recordOf(t, e, id)
			if rec.Status != 499 || rec.Deployment != respPrimary {
				t.Errorf("record status %d deployment %q, want 499 from %s", rec.Status, rec.Deployment, respPrimary)
			}
			if len(rec.Billed) != 1 || !rec.Billed[0].Usage.Estimated || rec.Billed[0].Usage.CompletionTokens == 0 || rec.CostUSD <= 0 {
				t.Errorf("billed %+v cost %v; want the primary's tokens so far, estimated", rec.Billed, rec.CostUSD)
			}
		})
	}
}

// readThenLeave opens a stream at url, reads until its first text, then
// closes the connection; it returns the request id.
func readThenLeave(t *testing.T, url, body string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer demo-key")
	req.Header.Set("Content-Type", "application/json")
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the stream ended before any text: %v", err)
		}
		if strings.Contains(line, `"content":"`) && !strings.Contains(line, `"content":""`) ||
			strings.Contains(line, `"delta":"`) || strings.Contains(line, `"text_delta","text":"`) {
			break
		}
	}
	return resp.Header.Get("x-switchyard-request-id")
}

// TestFaultSuiteResponsesUpstreamIncomplete: a Responses deployment that
// ends its answer response.incomplete (content_filter), refusing it, under
// each client API, complete and streamed: on route ralone the client
// gets the refusal in its API's words (chat finish_reason content_filter,
// a response incomplete for content_filter, a message stop_reason
// refusal) and the log row its 200 and cost; on a route with on_refusal
// fallback the Chat Completions deployment answers instead.
func TestFaultSuiteResponsesUpstreamIncomplete(t *testing.T) {
	t.Parallel()
	refusal := map[string]string{"chat": "content_filter", "responses": "incomplete:content_filter", "messages": "refusal"}
	for _, cl := range faultClients {
		for _, stream := range []bool{false, true} {
			t.Run(cl.name+"/"+mode(stream), func(t *testing.T) {
				e := respFaultEnv(t)
				e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: respModel})
				o := cl.run(t, e, "ralone", stream)
				if o.err != nil || o.deployment != respPrimary || o.finish != refusal[cl.name] {
					t.Errorf("ralone: %q ending %q from %s, err %v; want the refusal (%s)", o.text, o.finish, o.deployment, o.err, refusal[cl.name])
				}
				if rec := recordOf(t, e, o.requestID); rec.Status != http.StatusOK || rec.CostUSD <= 0 {
					t.Errorf("ralone: record status %d cost %v", rec.Status, rec.CostUSD)
				}
				o = cl.run(t, e, "rcareful", stream)
				if o.err != nil || o.deployment != respFallback || o.text == "" {
					t.Errorf("rcareful: %q ending %q from %s, err %v; want the fallback's answer", o.text, o.finish, o.deployment, o.err)
				}
			})
		}
	}
}
