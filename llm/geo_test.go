package llm

import (
	"math"
	"testing"
)

// TestCostUSInference: an answer the upstream says ran in the US costs
// USInferenceFactor times every token category (input, cache reads and
// writes, output), not the web searches; elsewhere, or on a deployment
// without a factor, the standard price.
func TestCostUSInference(t *testing.T) {
	d := Deployment{InputPricePerM: 5, OutputPricePerM: 25, CachedInputPricePerM: 0.5, CacheWritePricePerM: 6.25, CacheWrite1hPricePerM: 10}
	u := Usage{PromptTokens: 4000, CachedPromptTokens: 1000, CacheWriteTokens: 1000, CacheWrite1hTokens: 500, CompletionTokens: 2000}
	base := d.Cost(u)
	if base == 0 {
		t.Fatal("zero base cost")
	}
	claude := d
	claude.USInferenceFactor = USInferenceMultiplier
	for _, tc := range []struct {
		name string
		d    Deployment
		geo  string
		want float64
	}{
		{"us on claude", claude, "us", base * 1.1},
		{"global on claude", claude, "global", base},
		{"unsaid on claude", claude, "", base},
		{"us without factor", d, "us", base},
	} {
		u := u
		u.InferenceGeo = tc.geo
		if got := tc.d.Cost(u); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: cost %v, want %v", tc.name, got, tc.want)
		}
	}
	u.InferenceGeo, u.WebSearchRequests = "us", 2
	if got, want := claude.Cost(u), base*1.1+2*WebSearchUSD; math.Abs(got-want) > 1e-12 {
		t.Errorf("web searches: cost %v, want %v (searches at their own price)", got, want)
	}
	if n := testing.AllocsPerRun(100, func() { _ = claude.Cost(u) }); n != 0 {
		t.Errorf("Cost allocates %v times", n)
	}
}
