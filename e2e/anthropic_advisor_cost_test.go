package e2e

import (
	"net/http"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
)

// TestAdvisorConsultationIsBilled: a consultation of Claude's advisor
// tool is billed at the advisor model's rates, apart from the answer's own
// usage, as Anthropic bills it: x-switchyard-cost-usd is Claude Sonnet
// 4.5's tokens at its price ($3/$15) plus the advisor_message iteration's
// at Claude Opus 4.8's ($5/$25), and the Anthropic client reads the
// iteration in usage.iterations, complete and streamed.
func TestAdvisorConsultationIsBilled(t *testing.T) {
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
