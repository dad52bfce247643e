package e2e

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
	"switchyard/record"
	"switchyard/sim"
)

// TestAnthropicCompactEditByRouterSummaryFails: when the summary call of
// the router's compaction (a compact_20260112 edit past its trigger on a
// deployment that cannot compact) fails or times out, the client gets
// that call's error, in Anthropic's shape with its status, before any
// byte of a stream: the answer is not generated from the whole
// conversation instead (it is past the trigger the client set), nor from
// no summary. Nothing was generated, so nothing is billed; the summary
// call's log row holds the failure; the answer's call is never made.
func TestAnthropicCompactEditByRouterSummaryFails(t *testing.T) {
	t.Parallel() // its calls mostly wait: on a hang, or a retry's backoff
	// The subtests mostly wait (a deadline, a backoff), each on its own
	// router: they run side by side in this test's one -parallel slot
	// (one after the other, the four 8 s deadlines alone held it 32 s).
	var wg sync.WaitGroup
	for _, tt := range []summaryFault{
		// Retried once on the deployment, then given up: well within
		// its deadline however loaded the machine (a retry's backoff and
		// two calls on a busy machine once passed 2 s, a 504).
		{"summary call overloaded", func(m string) sim.Fault { return sim.Fault{Kind: sim.FaultUnavailable, Model: m, Count: 2} },
			15 * time.Second, 529, "overloaded_error"},
		// Past the request's deadline (the summary call's first-token
		// timeout grows with its long prompt). The deadline leaves a
		// loaded machine time to send the summary call first (at 2 s, a
		// CI run under -race reached the deadline before it: 0 calls).
		{"summary call times out", func(m string) sim.Fault { return sim.Fault{Kind: sim.FaultHang, Model: m, Count: 1} },
			8 * time.Second, http.StatusGatewayTimeout, "timeout_error"},
	} {
		for _, dep := range compactEditDeployments {
			for _, stream := range []bool{false, true} {
				wg.Go(func() {
					t.Run(tt.name+"/"+dep.name+"/"+mode(stream), func(t *testing.T) { tt.check(t, dep.name, stream) })
				})
			}
		}
	}
	wg.Wait()
}

// summaryFault is a fault of the router's compaction summary call and
// what the client gets for it.
type summaryFault struct {
	name    string
	fault   func(model string) sim.Fault
	timeout time.Duration // the request's deadline
	status  int
	errType string
}

// check sends a compact edit past its trigger to a route of dep alone,
// its summary call failing with tt's fault, and checks the answer, the
// log row and the calls the upstream got.
func (tt summaryFault) check(t *testing.T, dep string, stream bool) {
	// A route of the deployment alone: a model named by its deployment
	// would fail over to another.
	e, _, _ := compactionEnv(t, func(c *config.Config) {
		c.Server.RequestTimeout = tt.timeout
		c.Routes["solo"] = &config.Route{Name: "solo", Deployments: []string{dep}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	})
	e.Sim.Faults.Add(tt.fault(dep)) // each deployment's upstream model is its name
	params := compactEditParams(false)
	params.Model = "solo"
	c := anthropicClient(e, "demo-key")
	var err error
	var resp *http.Response
	if stream {
		s := c.Beta.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		for s.Next() {
			t.Errorf("an event: %s", s.Current().RawJSON())
		}
		err = s.Err()
		s.Close()
	} else {
		_, err = c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	}
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || !strings.Contains(apiErr.RawJSON(), `"type":"`+tt.errType+`"`) {
		t.Fatalf("err %v, want a %d %s", err, tt.status, tt.errType)
	}
	id := apiErr.Response.Header.Get("x-switchyard-request-id")
	rows := recordsOf(t, e, id)
	if len(rows) != 1 || rows[0].Status == http.StatusOK || rows[0].CostUSD != 0 || len(rows[0].Billed) != 0 {
		t.Errorf("log rows %+v, want the summary call's failure alone, billed nothing", rows)
	}
	if calls, want := e.Sim.Faults.Seen(dep), tt.fault("").Count; calls != want {
		t.Errorf("the upstream got %d calls, want the summary's %d (no answer's call)", calls, want)
	}
}

// recordsOf returns the log rows of request id, once the recorder has
// handed its queue to the sinks.
func recordsOf(t *testing.T, e *env, id string) []record.Record {
	t.Helper()
	recordOf(t, e, id)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.Router.Recorder.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var out []record.Record
	for _, r := range e.recorded(t, 1) {
		if r.RequestID == id {
			out = append(out, r)
		}
	}
	return out
}

// TestAnthropicCompactEditByRouterSummaryFailsOver: a summary call whose
// deployment is overloaded fails over as any call does (a model named by
// its deployment falls back to the smallest route holding it, or auto);
// the answer then begins with the compaction block, its cost header the
// sum of both calls' log rows, each priced at the deployment that served
// it.
func TestAnthropicCompactEditByRouterSummaryFailsOver(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(mode(stream), func(t *testing.T) {
			// gpt-4o-mini is down for the whole test, not for its next
			// two calls: the summary call's attempt and its retry spend
			// two faults (one failure does not hold a deployment), and
			// whether the answer's call is then held off gpt-4o-mini
			// (its failures within the same second: health.Tracker.Held)
			// or reaches it healthy depends on the clock (in CI, twice,
			// it reached it). What is tested is the
			// failover on a 503, not how many calls reach the deployment;
			// nor first-token timing (patientDeployments).
			e, _, _ := compactionEnv(t, patientDeployments)
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "gpt-4o-mini"})
			params := compactEditParams(false)
			params.Model = "gpt-4o-mini"
			c := anthropicClient(e, "demo-key")
			var resp *http.Response
			var msg *sdk.BetaMessage
			if stream {
				msg, _ = accumulateBeta(t, "streamed", c.Beta.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp)))
			} else {
				var err error
				if msg, err = c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp)); err != nil {
					t.Fatal(err)
				}
			}
			routerCompacted(t, mode(stream), msg, false)
			rows := recordsOf(t, e, resp.Header.Get("x-switchyard-request-id"))
			sum := 0.0
			for _, r := range rows {
				if r.Status != http.StatusOK || r.CostUSD <= 0 || r.Deployment == "gpt-4o-mini" {
					t.Errorf("log row %s: status %d cost %v", r.Deployment, r.Status, r.CostUSD)
				}
				sum += r.CostUSD
			}
			if len(rows) != 2 {
				t.Fatalf("%d log rows, want the summary's and the answer's", len(rows))
			}
			if !stream { // a stream's headers go out before its cost is known
				wantCost(t, resp, sum)
			}
		})
	}
}

// TestAnthropicCompactionRelayCut: Claude's own compaction (Opus 4.7,
// compact_20260112 past its trigger) relayed to a Messages client, its
// stream cut in the middle of the compaction block (after its
// compaction_delta, before its content_block_stop), on a route of that
// deployment alone. Nothing but the block reached the client — a
// stream's provider blocks are held until its first content — so the
// client gets the failure in Anthropic's shape (502 api_error) before
// any byte, complete and streamed, never a half block; the log row has
// the 502. (It bills nothing: the attempts failed before their first
// chunk, as the router counts chunks — the report names this.)
func TestAnthropicCompactionRelayCut(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(mode(stream), func(t *testing.T) {
			e, _, _ := compactionEnv(t, func(c *config.Config) {
				c.Routes["solo"] = &config.Route{Name: "solo", Deployments: []string{"claude-opus-4-7"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
			})
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: "claude-opus-4-7", After: 1})
			params := compactEditParams(false)
			params.Model = "solo"
			c := anthropicClient(e, "demo-key")
			var err error
			var resp *http.Response
			events := 0
			if stream {
				s := c.Beta.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp))
				for s.Next() {
					events++
				}
				err = s.Err()
				s.Close()
			} else {
				_, err = c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
			}
			var apiErr *sdk.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadGateway || !strings.Contains(apiErr.RawJSON(), `"type":"api_error"`) || events != 0 {
				t.Fatalf("err %v after %d events, want a 502 api_error before any", err, events)
			}
			rows := recordsOf(t, e, apiErr.Response.Header.Get("x-switchyard-request-id"))
			if len(rows) != 1 || rows[0].Status != http.StatusBadGateway {
				t.Fatalf("log rows %+v", rows)
			}
		})
	}
}

// TestAnthropicCompactEditByRouterAnswerFails: the router's compaction
// wrote its summary, then the answer's call failed (its deployment
// overloaded, alone on its route): the client gets that call's error in
// Anthropic's shape, before any byte of a stream; the summary's call,
// which the upstream generated and bills, stays billed in its own log
// row, beside the answer's failure.
func TestAnthropicCompactEditByRouterAnswerFails(t *testing.T) {
	for _, dep := range compactEditDeployments {
		for _, stream := range []bool{false, true} {
			t.Run(dep.name+"/"+mode(stream), func(t *testing.T) {
				e, _, _ := compactionEnv(t, func(c *config.Config) {
					c.Routes["solo"] = &config.Route{Name: "solo", Deployments: []string{dep.name}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
				})
				e.Sim.Faults.Add(sim.Fault{Model: dep.name, Count: 1}) // the summary's call goes through
				e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: dep.name})
				params := compactEditParams(false)
				params.Model = "solo"
				c := anthropicClient(e, "demo-key")
				var err error
				if stream {
					s := c.Beta.Messages.NewStreaming(ctxT(t), params)
					for s.Next() {
						t.Errorf("an event: %.200s", s.Current().RawJSON())
					}
					err = s.Err()
					s.Close()
				} else {
					_, err = c.Beta.Messages.New(ctxT(t), params)
				}
				var apiErr *sdk.Error
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 529 || !strings.Contains(apiErr.RawJSON(), `"type":"overloaded_error"`) {
					t.Fatalf("err %v, want a 529 overloaded_error", err)
				}
				rows := recordsOf(t, e, apiErr.Response.Header.Get("x-switchyard-request-id"))
				if len(rows) != 2 {
					t.Fatalf("%d log rows, want the summary's and the answer's", len(rows))
				}
				summary, answer := rows[0], rows[1]
				if summary.Status != http.StatusOK || summary.CostUSD <= 0 || answer.Status == http.StatusOK || answer.CostUSD != 0 {
					t.Errorf("summary row %d $%v, answer row %d $%v", summary.Status, summary.CostUSD, answer.Status, answer.CostUSD)
				}
			})
		}
	}
}

// patientDeployments gives every deployment a 30 s time-to-first-token
// timeout, for tests of other things than timeouts on a loaded machine.
func patientDeployments(c *config.Config) {
	for _, d := range c.Deployments {
		d.TTFTTimeout = 30 * time.Second
	}
}
