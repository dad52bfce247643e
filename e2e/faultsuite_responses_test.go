package e2e

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/config"
	"switchyard/record"
	"switchyard/server"
	"switchyard/sim"
)

// The fault suite of the Responses-API upstream: each fault the
// simulator injects into POST /v1/responses (sim/openai/responses.go),
// under every client API (Chat Completions, Responses and Anthropic
// Messages, each with its official SDK), complete and streamed, on two
// routes: "rfault" (the Responses deployment, then gpt-4o-mini on Chat
// Completions) and "ralone" (the Responses deployment only); "rcareful"
// is rfault with on_refusal fallback. Faults are
// sim rules on the primary's model only (gpt-4o); time is scaled as in
// the fault suite (faultsuite_test.go): first-token and stall timeouts
// of faultWait.

const (
	respPrimary  = "resp-gpt-4o" // gpt-4o on the simulator, api responses
	respModel    = "gpt-4o"
	respFallback = "gpt-4o-mini" // Chat Completions
)

// respFaultEnv starts a router with routes rfault, ralone and rcareful.
func respFaultEnv(t *testing.T) *env { return newEnvWith(t, respFaultConfig, server.RouterOptions{}) }

// respFaultConfig adds the routes and deployment of the suite to c, and
// scales its timeouts.
func respFaultConfig(c *config.Config) {
	c.Server.RequestTimeout = 4 * time.Second
	c.Resilience.StallTimeout = faultWait
	c.Resilience.Backoff, c.Resilience.BackoffMax = 5*time.Millisecond, 50*time.Millisecond
	d := *c.Deployments[respModel]
	d.Name, d.API = respPrimary, config.APIResponses
	c.Deployments[respPrimary] = &d
	ordered := config.Policy{Strategy: config.StrategyOrdered}
	c.Routes["rfault"] = &config.Route{Name: "rfault", Deployments: []string{respPrimary, respFallback}, Policy: ordered,
		Tiers: config.Tiers{Count: 2, TTFTTimeout: []time.Duration{faultWait, 4 * faultWait}}}
	c.Routes["ralone"] = &config.Route{Name: "ralone", Deployments: []string{respPrimary}, Policy: ordered,
		Tiers: config.Tiers{Count: 1, TTFTTimeout: []time.Duration{faultWait}}}
	c.Routes["rcareful"] = &config.Route{Name: "rcareful", Deployments: []string{respPrimary, respFallback}, Policy: ordered,
		OnRefusal: config.RefusalFallback}
}

// When a Responses fault strikes.
const (
	strikesEarly = "early" // before any content: the fallback answers, or alone an error
	strikesLate  = "late"  // after content: a complete answer fails over afresh, a stream ends with the API's error event
	strikesNever = "never" // the primary's whole answer arrives despite it
)

type respFaultCase struct {
	name    string
	rule    func(n int) sim.Fault // n: the pieces of the primary's answer
	strikes string
	status  int // the status of route ralone's error (early, or late and complete)
}

func respRule(kind sim.FaultKind) func(int) sim.Fault {
	return func(int) sim.Fault { return sim.Fault{Kind: kind, Model: respModel} }
}

func respFaultCases() []respFaultCase {
	return []respFaultCase{
		{name: "429 with Retry-After", strikes: strikesEarly, status: http.StatusTooManyRequests,
			rule: func(int) sim.Fault {
				return sim.Fault{Kind: sim.FaultRateLimit, Model: respModel, RetryAfter: time.Second}
			}},
		{name: "persistent 503", strikes: strikesEarly, status: http.StatusServiceUnavailable, rule: respRule(sim.FaultUnavailable)},
		{name: "one 500 then healthy", strikes: strikesNever,
			rule: func(int) sim.Fault { return sim.Fault{Kind: sim.FaultServerError, Model: respModel, Count: 1} }},
		{name: "reset before headers", strikes: strikesEarly, status: http.StatusBadGateway, rule: respRule(sim.FaultReset)},
		{name: "no response at all", strikes: strikesEarly, status: http.StatusGatewayTimeout, rule: respRule(sim.FaultHang)},
		{name: "first token after 20s", strikes: strikesEarly, status: http.StatusGatewayTimeout,
			rule: func(int) sim.Fault { return sim.Fault{Kind: sim.FaultSlow, Model: respModel, Delay: 20 * time.Second} }},
		{name: "response.failed mid-stream", strikes: strikesLate, status: http.StatusBadGateway,
			rule: func(n int) sim.Fault { return sim.Fault{Kind: sim.FaultServerError, Model: respModel, After: n / 2} }},
		{name: "error event mid-stream", strikes: strikesLate, status: http.StatusBadGateway,
			rule: func(n int) sim.Fault { return sim.Fault{Kind: sim.FaultErrorEvent, Model: respModel, After: n / 2} }},
		{name: "200 with an HTML page", strikes: strikesEarly, status: http.StatusBadGateway, rule: respRule(sim.FaultHTML)},
		{name: "cut between events", strikes: strikesLate, status: http.StatusBadGateway,
			rule: func(n int) sim.Fault { return sim.Fault{Kind: sim.FaultCut, Model: respModel, After: n / 2} }},
		{name: "cut mid-event", strikes: strikesLate, status: http.StatusBadGateway, rule: respRule(sim.FaultMalformed)},
		{name: "stalled past the idle timeout", strikes: strikesLate, status: http.StatusGatewayTimeout,
			rule: func(n int) sim.Fault {
				return sim.Fault{Kind: sim.FaultStall, Model: respModel, After: n / 3, Delay: 30 * time.Second}
			}},
		{name: "no response.completed", strikes: strikesLate, status: http.StatusBadGateway, rule: respRule(sim.FaultNoDone)},
		{name: "one garbage data line", strikes: strikesNever,
			rule: func(n int) sim.Fault { return sim.Fault{Kind: sim.FaultBadEvent, Model: respModel, After: n / 2} }},
	}
}

// TestFaultSuiteResponsesUpstream runs every case under every client API,
// complete and streamed, on both routes, each with a router of its own;
// once all are closed, no goroutine is left.
func TestFaultSuiteResponsesUpstream(t *testing.T) {
	// One leak check once every case is done: the cases run side by side
	// (each waits out its own timeouts), and this test alone.
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { checkNoLeak(t, before) })
	n := len(sim.Split(answerOf(respModel)))
	for _, fc := range respFaultCases() {
		for _, cl := range faultClients {
			for _, stream := range []bool{false, true} {
				t.Run(fc.name+"/"+cl.name+"/"+mode(stream), func(t *testing.T) {
					t.Parallel()
					e := respFaultEnv(t)
					e.Sim.Faults.Add(fc.rule(n))
					for _, route := range []string{"rfault", "ralone"} {
						start := time.Now()
						o := cl.run(t, e, route, stream)
						if el := time.Since(start); el > faultBound {
							t.Errorf("%s: took %s, over the %s bound", route, el, faultBound)
						}
						fc.expect(t, cl.name, route, stream, o)
						fc.checkRecord(t, route, stream, o, recordOf(t, e, o.requestID))
					}
				})
			}
		}
	}
}

// outcome is what the case calls for on route.
func (fc *respFaultCase) outcome(route string, stream bool) (served string, fails bool) {
	switch {
	case fc.strikes == strikesNever:
		return respPrimary, false
	case fc.strikes == strikesLate && stream:
		return "", true // content, then the API's error event
	case route == "rfault":
		return respFallback, false
	}
	return "", true
}

// expect asserts what the client got.
func (fc *respFaultCase) expect(t *testing.T, client, route string, stream bool, o clientOutcome) {
	t.Helper()
	served, fails := fc.outcome(route, stream)
	if o.requestID == "" {
		t.Fatalf("%s: no x-switchyard-request-id (err %v)", route, o.err)
	}
	if !fails {
		if o.err != nil || o.deployment != served {
			t.Fatalf("%s: %q from %q, err %v; want the answer of %s", route, o.text, o.deployment, o.err, served)
		}
		if want := answerOf(map[string]string{respPrimary: respModel}[served]); served == respPrimary && o.text != want {
			t.Errorf("%s: text %q, want the primary's whole answer %q", route, o.text, want)
		}
		if o.text == "" {
			t.Errorf("%s: an empty answer", route)
		}
		return
	}
	if fc.strikes == strikesLate && stream {
		if !o.inStream || o.text == "" || !strings.HasPrefix(answerOf(respModel), o.text) {
			t.Fatalf("%s: text %q, in-stream error %v (%v); want the start of the primary's answer, then an error event", route, o.text, o.inStream, o.err)
		}
		if want := errorTypeOf(client, fc.status, true); o.errType != want {
			t.Errorf("%s: the stream's error %q is of type %q, want %q", route, o.errMsg, o.errType, want)
		}
		return
	}
	want, typ := fc.clientStatus(client), errorTypeOf(client, fc.status, false)
	if o.status != want || o.errType != typ || o.errMsg == "" || o.inStream {
		t.Fatalf("%s: status %d type %q message %q (in stream %v), want a %d %s (err %v)",
			route, o.status, o.errType, o.errMsg, o.inStream, want, typ, o.err)
	}
}

// errorTypeOf is the error type a client API gives a failure of status:
// OpenAI's and Anthropic's error types; for an error inside a Responses
// stream, the failed response's error code (server_error, the one of
// OpenAI's codes that fits every upstream failure).
func errorTypeOf(client string, status int, inStream bool) string {
	if client == "responses" && inStream {
		return "server_error"
	}
	types := map[int]string{http.StatusTooManyRequests: "rate_limit_error", http.StatusBadGateway: "server_error",
		http.StatusServiceUnavailable: "service_unavailable_error", http.StatusGatewayTimeout: "timeout_error"}
	if client == "messages" {
		types[http.StatusBadGateway], types[http.StatusServiceUnavailable] = "api_error", "overloaded_error"
	}
	return types[status]
}

// clientStatus is the status of the case's error to a client: Anthropic's
// own 529 (overloaded_error) where OpenAI's is 503.
func (fc *respFaultCase) clientStatus(client string) int {
	if client == "messages" && fc.status == http.StatusServiceUnavailable {
		return 529
	}
	return fc.status
}

// checkRecord asserts the request log row: its status, deployment, and
// that what was consumed is billed (an abandoned attempt estimated), the
// record's cost the billed sum.
func (fc *respFaultCase) checkRecord(t *testing.T, route string, stream bool, o clientOutcome, rec record.Record) {
	t.Helper()
	served, fails := fc.outcome(route, stream)
	wantStatus := http.StatusOK // the log keeps a failure's status, even one a stream's 200 preceded
	if fails {
		wantStatus = fc.status
	}
	if rec.Status != wantStatus {
		t.Errorf("%s: record status %d, want %d", route, rec.Status, wantStatus)
	}
	if !fails && rec.Deployment != served {
		t.Errorf("%s: record deployment %q, want %q", route, rec.Deployment, served)
	}
	sum := 0.0
	var primaryBilled bool
	for _, b := range rec.Billed {
		sum += b.CostUSD
		if b.CostUSD <= 0 || b.Usage.PromptTokens == 0 {
			t.Errorf("%s: billed %+v has no usage or cost", route, b)
		}
		if b.Deployment == respPrimary {
			primaryBilled = true
		}
	}
	if math.Abs(rec.CostUSD-sum) > 1e-12 {
		t.Errorf("%s: record cost %v, billed sum %v", route, rec.CostUSD, sum)
	}
	consumed := fc.strikes == strikesLate || fc.strikes == strikesNever
	if consumed != primaryBilled {
		t.Errorf("%s: the primary billed %v, want %v: %+v", route, primaryBilled, consumed, rec.Billed)
	}
	if !fails && rec.CostUSD <= 0 {
		t.Errorf("%s: an answer served at no cost: %+v", route, rec.Billed)
	}
}
