package llm

import "testing"

// haiku55 is a deployment priced as Anthropic's Claude Haiku 5.5: a
// prompt (input, cache reads and cache writes) over 100,000 tokens pays
// the long-prompt band on every token of the request, output included.
func haiku55() Deployment {
	return Deployment{InputPricePerM: 0.10, OutputPricePerM: 0.50, CachedInputPricePerM: 0.01,
		CacheWritePricePerM: 0.125, CacheWrite1hPricePerM: 0.20,
		LongPrompt: &PriceBand{AboveTokens: 100_000, Input: 0.50, Output: 2.50, CachedInput: 0.05,
			CacheWrite: 0.625, CacheWrite1h: 1.00}}
}

// The band applies strictly above its threshold, counting cache reads
// and writes as prompt tokens: 100,000 prompt tokens pay the standard
// prices, 100,001 the band's, on every token.
func TestCostLongPromptBand(t *testing.T) {
	d := haiku55()
	u := Usage{PromptTokens: 100_000, CachedPromptTokens: 30_000, CacheWriteTokens: 12_000, CacheWrite1hTokens: 2_000,
		CompletionTokens: 2_000}
	// 58,000 uncached × $0.10 + 30,000 read × $0.01 + 10,000 5m write ×
	// $0.125 + 2,000 1h write × $0.20 + 2,000 out × $0.50 = $0.00875.
	if got, want := d.Cost(u), RoundUSD((58_000*0.10+30_000*0.01+10_000*0.125+2_000*0.20+2_000*0.50)/1e6); got != want || want != 0.00875 {
		t.Errorf("100,000 prompt tokens: %v, want %v ($0.00875)", got, want)
	}
	u.PromptTokens++
	// 58,001 × $0.50 + 30,000 × $0.05 + 10,000 × $0.625 + 2,000 × $1.00
	// + 2,000 × $2.50 = $0.0437505.
	if got, want := d.Cost(u), RoundUSD((58_001*0.50+30_000*0.05+10_000*0.625+2_000*1.00+2_000*2.50)/1e6); got != want || want != 0.0437505 {
		t.Errorf("100,001 prompt tokens: %v, want %v ($0.0437505)", got, want)
	}
	// The estimate before dispatch takes the same band.
	if got := d.EstimateUSD(100_000, 1_000, ""); got != (100_000*0.10+1_000*0.50)/1e6 {
		t.Errorf("estimate at 100,000: %v", got)
	}
	if got := d.EstimateUSD(150_000, 1_000, ""); got != (150_000*0.50+1_000*2.50)/1e6 {
		t.Errorf("estimate at 150,000: %v", got)
	}
	if in, out := d.ListPrices(150_000); in != 0.50 || out != 2.50 {
		t.Errorf("list prices at 150,000: %v, %v", in, out)
	}
	if in, out := d.ListPrices(100_000); in != 0.10 || out != 0.50 {
		t.Errorf("list prices at 100,000: %v, %v", in, out)
	}
}

// A band's rates left at zero take the band's input price (cached reads,
// cache writes) or output price (reasoning), as the standard ones do.
func TestCostLongPromptBandZeroRates(t *testing.T) {
	d := Deployment{InputPricePerM: 1, OutputPricePerM: 4, CachedInputPricePerM: 0.1, ReasoningPricePerM: 5,
		LongPrompt: &PriceBand{AboveTokens: 10, Input: 2, Output: 8}}
	u := Usage{PromptTokens: 100, CachedPromptTokens: 40, CacheWriteTokens: 10, CompletionTokens: 30, ReasoningTokens: 20}
	if got, want := d.Cost(u), RoundUSD((50*2+40*2+10*2+10*8+20*8)/1e6); got != want {
		t.Errorf("cost %v, want %v", got, want)
	}
}

// A service tier priced as a ratio of the standard prices (a multiplier,
// a batch discount, the catalog's batch price) applies that ratio to the
// band's prices; a tier price that is Fixed (configured) is charged as it
// is, whatever the prompt's length.
func TestCostLongPromptBandTiers(t *testing.T) {
	d := haiku55()
	d.FlexPrice = &TierPrice{Input: 0.05, Output: 0.25}
	d.PriorityPrice = &TierPrice{Input: 0.20, Output: 1.00, CachedInput: 0.03}
	u := Usage{PromptTokens: 200_000, CachedPromptTokens: 100_000, CompletionTokens: 1_000}
	for _, tt := range []struct {
		name  string
		tier  ServiceTier
		fixed bool
		want  float64
	}{
		{"flex at half", TierFlex, false, 100_000*0.25 + 100_000*0.025 + 1_000*1.25},
		{"priority by ratio", TierPriority, false, 100_000*1.00 + 100_000*0.15 + 1_000*5.00},
		{"priority fixed", TierPriority, true, 100_000*0.20 + 100_000*0.03 + 1_000*1.00},
	} {
		d.PriorityPrice.Fixed = tt.fixed
		u.ServiceTier = tt.tier
		if got := d.Cost(u); !near(got, tt.want/1e6) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want/1e6)
		}
	}
	d.PriorityPrice.Fixed = false
	if got := d.EstimateUSD(200_000, 1_000, TierPriority); !near(got, (200_000*1.00+1_000*5.00)/1e6) {
		t.Errorf("priority estimate: %v", got)
	}
}

// Cost adds no allocation for a banded deployment.
func TestCostLongPromptBandAllocs(t *testing.T) {
	d := haiku55()
	u := Usage{PromptTokens: 150_000, CompletionTokens: 10}
	if n := testing.AllocsPerRun(100, func() { _ = d.Cost(u) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
