package e2e

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/sim"
)

// billingRoutes adds route "solo" of deployment dep alone (a model named
// by its deployment would fail over to another), and route "pair" of dep
// then gpt-4o-mini.
func billingRoutes(dep string) func(*config.Config) {
	return func(c *config.Config) {
		c.Routes["solo"] = &config.Route{Name: "solo", Deployments: []string{dep}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
		c.Routes["pair"] = &config.Route{Name: "pair", Deployments: []string{dep, "gpt-4o-mini"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	}
}

// askCut asks params.Model through the Anthropic SDK, complete or
// streamed, and returns the request id and, for a complete answer, the
// x-switchyard-cost-usd header (a stream's is a trailer).
func askCut(t *testing.T, e *env, params sdk.MessageNewParams, stream bool) (id, costHeader string) {
	t.Helper()
	c := anthropicClient(e, "demo-key")
	var resp *http.Response
	if !stream {
		_, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		var apiErr *sdk.Error
		if errors.As(err, &apiErr) {
			resp = apiErr.Response
		} else if err != nil {
			t.Fatal(err)
		}
		return resp.Header.Get("x-switchyard-request-id"), resp.Header.Get("x-switchyard-cost-usd")
	}
	s := c.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	for s.Next() {
	}
	err := s.Err()
	s.Close()
	if err == nil {
		t.Fatal("the stream ended cleanly, want the cut's error")
	}
	return resp.Header.Get("x-switchyard-request-id"), ""
}

// checkCutBilled checks the log row of a request whose first attempt was
// cut: that attempt billed want, the provider's own usage (its estimate
// only for the output no report counted), priced at its deployment; the
// request's total the sum of its rows; the header (when there is one)
// the served attempt's cost.
func checkCutBilled(t *testing.T, e *env, rec record.Record, dep string, want llm.Usage, costHeader string) {
	t.Helper()
	if len(rec.Billed) == 0 || rec.Billed[0].Deployment != dep {
		t.Fatalf("billed %+v", rec.Billed)
	}
	b := rec.Billed[0]
	// The labels that price the tokens are the upstream's too (its
	// service tier, geography, speed); the counts are what is compared.
	want.ServiceTier, want.InferenceGeo, want.Speed = b.Usage.ServiceTier, b.Usage.InferenceGeo, b.Usage.Speed
	if b.Usage != want {
		t.Errorf("the cut attempt's usage\n %+v, want the provider's\n %+v", b.Usage, want)
	}
	if price := e.Router.Gateway.Target(dep).Deployment.Cost(want); math.Abs(b.CostUSD-price) > 1e-12 || price <= 0 {
		t.Errorf("the cut attempt cost %v, want %v", b.CostUSD, price)
	}
	if rec.Trail[0].CostUSD != b.CostUSD || rec.Trail[0].Usage != want {
		t.Errorf("the cut attempt's trail %+v", rec.Trail[0])
	}
	sum, served := 0.0, 0.0
	for _, b := range rec.Billed {
		sum += b.CostUSD
		if b.Served {
			served += b.CostUSD
		}
	}
	if rec.CostUSD != llm.RoundUSD(sum) {
		t.Errorf("total %v, rows sum %v", rec.CostUSD, sum)
	}
	if costHeader != "" {
		if h, err := strconv.ParseFloat(costHeader, 64); err != nil || math.Abs(h-rec.ServedCostUSD) > 1e-9 || math.Abs(rec.ServedCostUSD-served) > 1e-12 {
			t.Errorf("x-switchyard-cost-usd %q, served cost %v, served rows %v", costHeader, rec.ServedCostUSD, served)
		}
	}
}

// TestCutAttemptBilledProviderUsage: a Claude or Gemini deployment's
// stream cut after two pieces of its answer, under the Anthropic SDK,
// complete (the attempt abandoned for the route's next deployment, which
// answers) and streamed (the client gets the cut). The cut attempt's log row bills what
// the provider itself reported before the cut — Claude's message_start
// (input, cache reads and writes; its output, which Anthropic reports only
// at the end, estimated from the text it sent), Gemini's last
// usageMetadata (the output counted too) — priced at the deployment; the
// request's total is the sum of its rows and the header the answer's.
// Before, the prompt was the classifier's count and the output always an
// estimate.
func TestCutAttemptBilledProviderUsage(t *testing.T) {
	t.Parallel()
	for _, dep := range []string{"claude-haiku-4-5", "gemini-2.5-flash"} {
		for _, stream := range []bool{false, true} {
			t.Run(dep+"/"+mode(stream), func(t *testing.T) {
				e, tp := newUpstreamTapEnv(t, billingRoutes(dep))
				e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: dep, After: 2, Count: 1})
				route := map[bool]string{false: "pair", true: "solo"}[stream]
				id, header := askCut(t, e, userMessage(route, "Tell me about the rivers of France, at some length.", 512), stream)
				rec := recordOf(t, e, id)
				var want llm.Usage
				if dep == "gemini-2.5-flash" {
					want = geminiCutUsage(t, tp.body(t, 0))
				} else {
					want = anthropicCutUsage(t, tp.body(t, 0))
				}
				if want.PromptTokens == 0 || want.CompletionTokens == 0 {
					t.Fatalf("the provider reported %+v", want)
				}
				checkCutBilled(t, e, rec, dep, want, header)
				if !stream && (rec.Status != http.StatusOK || len(rec.Billed) != 2 || rec.Billed[0].Served || !rec.Billed[1].Served || rec.Billed[1].Deployment != "gpt-4o-mini") {
					t.Errorf("status %d, billed %+v: want the next deployment's answer billed too", rec.Status, rec.Billed)
				}
				if stream && (rec.Status == http.StatusOK || len(rec.Billed) != 1) {
					t.Errorf("status %d, billed %+v: want the cut alone", rec.Status, rec.Billed)
				}
			})
		}
	}
}

// TestCutAttemptBilledServerTools: a Claude stream cut after its web
// search's result came and some of its answer: Anthropic bills the search
// ($10 per 1,000) and the input it reported, whatever the cut; the cut
// attempt's row has both, with the output estimated, complete and
// streamed.
func TestCutAttemptBilledServerTools(t *testing.T) {
	t.Parallel()
	const dep = "claude-haiku-4-5"
	for _, stream := range []bool{false, true} {
		t.Run(mode(stream), func(t *testing.T) {
			e, tp := newUpstreamTapEnv(t, billingRoutes(dep))
			// The search's input streams in pieces too: the cut comes
			// after them and two pieces of the text.
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: dep, After: 5, Count: 1})
			params := userMessage("solo", "latest Go release notes", 512)
			params.Tools = []sdk.ToolUnionParam{{OfWebSearchTool20250305: &sdk.WebSearchTool20250305Param{MaxUses: sdk.Int(3)}}}
			id, header := askCut(t, e, params, stream)
			want := anthropicCutUsage(t, tp.body(t, 0))
			if want.WebSearchRequests != 1 || want.CompletionTokens == 0 {
				t.Fatalf("the upstream's stream was not cut after the search and some text: %+v", want)
			}
			rec := recordOf(t, e, id)
			checkCutBilled(t, e, rec, dep, want, header)
			if rec.Status == http.StatusOK || len(rec.Billed) != 1 {
				t.Errorf("status %d, billed %+v: want the cut alone", rec.Status, rec.Billed)
			}
		})
	}
}

// TestCutAttemptBilledCompaction: a Claude stream that compacted the
// conversation (a compact_20260112 edit past its trigger) cut just after
// the compaction block and a piece of the answer, complete and streamed
// under the Anthropic SDK. Anthropic reports the compaction's counts only
// at the end (usage.iterations), and message_start's input is the
// compacted prompt's: the cut attempt's row bills that input as reported,
// and the compaction estimated — its input the whole conversation, its
// output the summary — near what the same request's compaction costs when
// it is not cut (its iterations' counts).
func TestCutAttemptBilledCompaction(t *testing.T) {
	t.Parallel()
	const dep = "claude-opus-4-7"
	for _, stream := range []bool{false, true} {
		t.Run(mode(stream), func(t *testing.T) {
			e, _, _ := compactionEnv(t, billingRoutes(dep))
			c := anthropicClient(e, "demo-key")
			params := compactEditParams(false)
			params.Model = "solo"
			whole, err := c.Beta.Messages.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			it := compactionIteration(t, "whole", whole, false)
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: dep, After: 2, Count: 1})
			resp, err := askBetaCut(t, c, params, stream)
			if err == nil {
				t.Fatal("no error: the stream was not cut")
			}
			rec := recordOf(t, e, resp.Header.Get("x-switchyard-request-id"))
			if len(rec.Billed) != 1 || rec.Billed[0].Deployment != dep {
				t.Fatalf("billed %+v", rec.Billed)
			}
			u := rec.Billed[0].Usage
			cu := u.Compaction
			if wantIn := int(whole.Usage.InputTokens); cu == nil || u.PromptTokens != wantIn || !u.Estimated {
				t.Fatalf("usage %+v, compaction %+v: want the reported %d input tokens and a compaction", u, cu, wantIn)
			}
			near := func(got int, want int64) bool {
				return float64(got) >= 0.5*float64(want) && float64(got) <= 1.5*float64(want)
			}
			if !near(cu.PromptTokens, it.InputTokens+it.CacheReadInputTokens+it.CacheCreationInputTokens) || !near(cu.CompletionTokens, it.OutputTokens) {
				t.Errorf("compaction estimated %+v, want near the provider's %d in, %d out", cu, it.InputTokens, it.OutputTokens)
			}
			if price := e.Router.Gateway.Target(dep).Deployment.Cost(u); math.Abs(rec.Billed[0].CostUSD-price) > 1e-12 || rec.CostUSD != rec.Billed[0].CostUSD {
				t.Errorf("cost %v, total %v, want %v", rec.Billed[0].CostUSD, rec.CostUSD, price)
			}
		})
	}
}

// askBetaCut sends params on the beta Messages API, streamed or not, to
// a deployment set to cut it, and returns the HTTP response (the error's
// for a complete answer) and the error the SDK saw.
func askBetaCut(t *testing.T, c sdk.Client, params sdk.BetaMessageNewParams, stream bool) (*http.Response, error) {
	t.Helper()
	var resp *http.Response
	if stream {
		s := c.Beta.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		for s.Next() {
		}
		err := s.Err()
		s.Close()
		return resp, err
	}
	_, err := c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	var apiErr *sdk.Error
	if errors.As(err, &apiErr) {
		resp = apiErr.Response
	}
	return resp, err
}
