package llm

import "testing"

// The tier an upstream says served the tokens picks their price: flex
// (and Anthropic's batch) at FlexPrice, priority at PriorityPrice, cached
// reads at the tier's cached price or the standard one scaled as the
// input is; any other tier, or a tier price not set, at the standard
// prices.
func TestCostByServedTier(t *testing.T) {
	d := Deployment{InputPricePerM: 2, OutputPricePerM: 8, CachedInputPricePerM: 0.5,
		FlexPrice:     &TierPrice{Input: 1, Output: 4},
		PriorityPrice: &TierPrice{Input: 3.5, Output: 14, CachedInput: 0.875}}
	u := Usage{PromptTokens: 1_000_000, CachedPromptTokens: 200_000, CompletionTokens: 1_000_000, ReasoningTokens: 500_000}
	for _, tt := range []struct {
		tier ServiceTier
		want float64
	}{
		{"", 0.8*2 + 0.2*0.5 + 8},
		{TierDefault, 0.8*2 + 0.2*0.5 + 8},
		{TierScale, 0.8*2 + 0.2*0.5 + 8},
		{TierFlex, 0.8*1 + 0.2*0.25 + 4},
		{TierBatch, 0.8*1 + 0.2*0.25 + 4},
		{TierPriority, 0.8*3.5 + 0.2*0.875 + 14},
		{TierFast, 0.8*3.5 + 0.2*0.875 + 14},
		{TierUltrafast, 0.8*3.5 + 0.2*0.875 + 14},
	} {
		u.ServiceTier = tt.tier
		if got := d.Cost(u); got != RoundUSD(tt.want) {
			t.Errorf("tier %q: cost %v, want %v", tt.tier, got, RoundUSD(tt.want))
		}
	}
	d.UltrafastPrice = &TierPrice{Input: 12, Output: 48}
	u.ServiceTier = TierUltrafast
	if got, want := d.Cost(u), RoundUSD(0.8*12+0.2*0.5*6+48); got != want {
		t.Errorf("ultrafast at its own price: %v, want %v", got, want)
	}
	d.PriorityPrice = nil
	u.ServiceTier = TierPriority
	if got := d.Cost(u); got != RoundUSD(0.8*2+0.2*0.5+8) {
		t.Errorf("priority without a priority price: %v, want the standard price", got)
	}
}

// Usage.Add keeps the first tier it was told.
func TestUsageAddKeepsTier(t *testing.T) {
	u := Usage{PromptTokens: 1}
	u.Add(Usage{PromptTokens: 2, ServiceTier: TierFlex})
	u.Add(Usage{ServiceTier: TierDefault})
	if u.ServiceTier != TierFlex || u.PromptTokens != 3 {
		t.Errorf("%+v", u)
	}
}

// The accumulator keeps the tier the chunks name.
func TestAccumulatorKeepsServiceTier(t *testing.T) {
	var a Accumulator
	a.Add(&Chunk{ID: "c", ServiceTier: TierPriority, Choices: []ChunkChoice{{Delta: Delta{Content: "Hi"}}}})
	a.Add(&Chunk{ID: "c", Choices: []ChunkChoice{{FinishReason: FinishStop}}})
	if r := a.Response(); r.ServiceTier != TierPriority {
		t.Errorf("service tier %q", r.ServiceTier)
	}
}
