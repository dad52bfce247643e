package e2e

import (
	"math"
	"net/http"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/sim"
)

// TestAdvisorConsultationIsBilled: a consultation of Claude's advisor
// tool is billed at the advisor model's rates, apart from the answer's own
// usage, as Anthropic bills it: x-switchyard-cost-usd is Claude Sonnet
// 4.5's tokens at its price ($3/$15) plus the advisor_message iteration's
// at Claude Opus 4.8's ($5/$25), and the Anthropic client reads the
// iteration in usage.iterations, complete and streamed.
func TestAdvisorConsultationIsBilled(t *testing.T) {
	t.Parallel()
	e, _ := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	params := sdk.BetaMessageNewParams{Model: "claude-sonnet-4-5", MaxTokens: 256,
		Betas:    []sdk.AnthropicBeta{sdk.AnthropicBetaAdvisorTool2026_03_01},
		Tools:    []sdk.BetaToolUnionParam{{OfAdvisorTool20260301: &sdk.BetaAdvisorTool20260301Param{Model: "claude-opus-4-8"}}},
		Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Plan the migration of our billing database."))}}
	var resp *http.Response
	msg, err := c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	advice := advisorIteration(t, msg.Usage)
	u := msg.Usage
	own := (float64(u.InputTokens)*3 + float64(u.OutputTokens)*15) / 1e6
	consulted := (float64(advice.InputTokens)*5 + float64(advice.OutputTokens)*25) / 1e6
	wantCost(t, resp, own+consulted)

	stream := c.Beta.Messages.NewStreaming(ctxT(t), params)
	var acc sdk.BetaMessage
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	stream.Close()
	if got := advisorIteration(t, acc.Usage); got.OutputTokens != advice.OutputTokens {
		t.Errorf("streamed: advisor output %d tokens, complete %d", got.OutputTokens, advice.OutputTokens)
	}
}

// advisorIteration returns u's one advisor_message iteration, on Claude
// Opus 4.8, after the answer's own message entry.
func advisorIteration(t *testing.T, u sdk.BetaUsage) sdk.BetaIterationsUsageItemUnion {
	t.Helper()
	its := u.Iterations
	if len(its) != 2 || its[0].Type != "message" || its[1].Type != "advisor_message" || its[1].Model != "claude-opus-4-8" ||
		its[1].OutputTokens == 0 || its[0].OutputTokens != u.OutputTokens {
		t.Fatalf("usage.iterations %s", u.RawJSON())
	}
	return its[1]
}

// TestCutAttemptBilledAdvisor: a Claude stream cut after its advisor's
// consultation came (the advisor_tool_result block) and two pieces of the
// answer, complete and streamed under the Anthropic SDK. Anthropic reports
// the consultation's counts only at the end (message_delta's
// usage.iterations), and bills it: the cut attempt's row bills it
// estimated, on the advisor's model (Claude Opus 4.8, at its rates) —
// its input the prompt message_start reported (the conversation the
// advisor read: what the same request's advisor_message iteration counts
// uncut), its output the advice's tokens (the advisor's thinking, which
// no stream shows, is missing from it). Before, the consultation was not
// billed at all.
func TestCutAttemptBilledAdvisor(t *testing.T) {
	t.Parallel()
	const dep = "claude-sonnet-4-5"
	for _, stream := range []bool{false, true} {
		t.Run(mode(stream), func(t *testing.T) {
			e := newEnv(t, billingRoutes(dep))
			c := anthropicClient(e, "demo-key")
			params := sdk.BetaMessageNewParams{Model: "solo", MaxTokens: 256,
				Betas:    []sdk.AnthropicBeta{sdk.AnthropicBetaAdvisorTool2026_03_01},
				Tools:    []sdk.BetaToolUnionParam{{OfAdvisorTool20260301: &sdk.BetaAdvisorTool20260301Param{Model: "claude-opus-4-8"}}},
				Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Plan the migration of our billing database."))}}
			whole, err := c.Beta.Messages.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			advice := advisorIteration(t, whole.Usage)
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: dep, After: 2, Count: 1})
			resp, err := askBetaCut(t, c, params, stream)
			if err == nil || resp == nil {
				t.Fatalf("no cut: %v", err)
			}
			rec := recordOf(t, e, resp.Header.Get("x-switchyard-request-id"))
			if len(rec.Billed) != 1 || rec.Billed[0].Deployment != dep {
				t.Fatalf("billed %+v", rec.Billed)
			}
			u := rec.Billed[0].Usage
			if u.Advisor == nil || len(u.Advisor.Calls) != 1 || !u.Estimated {
				t.Fatalf("usage %+v: want the consultation estimated", u)
			}
			got := u.Advisor.Calls[0]
			if got.Model != "claude-opus-4-8" || got.PromptTokens != int(advice.InputTokens) || got.CompletionTokens <= 0 || got.CompletionTokens >= int(advice.OutputTokens) {
				t.Errorf("consultation estimated %+v, want Opus 4.8's, its input the provider's %d, part of its %d output", got, advice.InputTokens, advice.OutputTokens)
			}
			d := e.Router.Gateway.Target(dep).Deployment
			own := u
			own.Advisor = nil
			if price := d.Cost(u); math.Abs(rec.Billed[0].CostUSD-price) > 1e-12 || price <= d.Cost(own) {
				t.Errorf("cost %v, want %v, above the answer's own %v", rec.Billed[0].CostUSD, price, d.Cost(own))
			}
			want := float64(got.PromptTokens)*5 + float64(got.CompletionTokens)*25 // Opus 4.8's rates
			if math.Abs((d.Cost(u)-d.Cost(own))*1e6-want) > 1e-3 {
				t.Errorf("the consultation cost %v per 1M, want Opus 4.8's %v", (d.Cost(u)-d.Cost(own))*1e6, want)
			}
		})
	}
}
