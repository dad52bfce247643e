package e2e

import (
	"net/http"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/llm"
	"switchyard/sim"
)

// claudeHaikuCost is what usage u costs on the demo's claude-haiku-4-5
// (1.00 / 5.00 / 0.10 cached / 1.25 cache write per 1M tokens) with
// every price times m.
func claudeHaikuCost(u llm.Usage, m float64) float64 {
	d := llm.Deployment{InputPricePerM: 1 * m, OutputPricePerM: 5 * m, CachedInputPricePerM: 0.10 * m, CacheWritePricePerM: 1.25 * m}
	u.ServiceTier = ""
	return d.Cost(u)
}

// With a Priority Tier commitment for claude-haiku-4-5 on the simulated
// organization, anthropic-sdk-go through the router reads
// usage.service_tier "priority" (complete and streamed) for a request
// that may use it (auto, or none), and the router prices the answer at
// Claude's priority price: the standard one, the committed capacity being
// drawn down at the standard ratios ("commitment" in the record), as
// docs/cost.md says. standard_only,
// and a request past the minute's capacity (Anthropic falls back to
// standard), are served and priced at standard. openai-go asking a Claude
// deployment for priority reads "priority" too.
func TestServiceTierClaudePriority(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	if err := e.Sim.Behavior.Priority.Set(sim.PriorityCapacity{Model: "claude-haiku-4-5", InputTokensPerMinute: 1_000_000, OutputTokensPerMinute: 1_000_000}); err != nil {
		t.Fatal(err)
	}
	c := anthropicClient(e, "demo-key")
	check := func(name string, hr *http.Response, served sdk.UsageServiceTier, got sdk.UsageServiceTier) {
		t.Helper()
		if got != served {
			t.Errorf("%s: usage.service_tier %q, want %q", name, got, served)
		}
		r := recordOf(t, e, hr.Header.Get("x-switchyard-request-id"))
		factor, price, tier := 1.0, "", llm.TierDefault
		if served == sdk.UsageServiceTierPriority {
			factor, price, tier = 1, "commitment", llm.TierPriority
		}
		if want := claudeHaikuCost(r.Usage, factor); r.Deployment != "claude-haiku-4-5" || r.CostUSD != want || r.CostUSD == 0 || r.TierPrice != price || r.Usage.ServiceTier != tier {
			t.Errorf("%s: %s cost %v (priced by %q, tier %q), want %v by %q", name, r.Deployment, r.CostUSD, r.TierPrice, r.Usage.ServiceTier, want, price)
		}
	}
	for _, tc := range []struct {
		asked  sdk.MessageNewParamsServiceTier
		served sdk.UsageServiceTier
	}{
		{sdk.MessageNewParamsServiceTierAuto, sdk.UsageServiceTierPriority},
		{"", sdk.UsageServiceTierPriority},
		{sdk.MessageNewParamsServiceTierStandardOnly, sdk.UsageServiceTierStandard},
	} {
		params := userMessage("claude-haiku-4-5", "Hi there", 100)
		params.ServiceTier = tc.asked
		var hr *http.Response
		msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&hr))
		if err != nil {
			t.Fatalf("%q: %v", tc.asked, err)
		}
		check(string(tc.asked), hr, tc.served, msg.Usage.ServiceTier)

		stream := c.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&hr))
		acc := accumulateMessage(t, stream)
		check(string(tc.asked)+" streamed", hr, tc.served, acc.Usage.ServiceTier)
	}

	var hr *http.Response
	resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", ServiceTier: openai.ChatCompletionNewParamsServiceTierPriority,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}, option.WithResponseInto(&hr))
	if err != nil || resp.ServiceTier != openai.ChatCompletionServiceTierPriority {
		t.Fatalf("openai-go priority on Claude: %v, tier %q", err, resp.ServiceTier)
	}
	check("openai-go", hr, sdk.UsageServiceTierPriority, sdk.UsageServiceTierPriority)

	// Capacity for less than one more request: Anthropic serves it at
	// standard, and the router prices it so.
	if err := e.Sim.Behavior.Priority.Set(sim.PriorityCapacity{Model: "claude-haiku-4-5", InputTokensPerMinute: 5, OutputTokensPerMinute: 5}); err != nil {
		t.Fatal(err)
	}
	msg, err := c.Messages.New(ctxT(t), userMessage("claude-haiku-4-5", "Hi there", 100), sdkoption.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	check("over capacity", hr, sdk.UsageServiceTierStandard, msg.Usage.ServiceTier)
}
