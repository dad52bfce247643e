package llm

import (
	"math"
	"testing"
)

// TestCostFastMode: an answer the upstream says ran in fast mode costs
// FastFactor times every token category (cache reads and writes too: the
// caching multipliers apply on top), not the web searches; at the
// standard speed, or on a deployment without a factor, the standard
// price. US-only inference's premium stacks with it.
func TestCostFastMode(t *testing.T) {
	d := Deployment{InputPricePerM: 4, OutputPricePerM: 20, CachedInputPricePerM: 0.2, CacheWritePricePerM: 5, CacheWrite1hPricePerM: 8}
	u := Usage{PromptTokens: 4000, CachedPromptTokens: 1000, CacheWriteTokens: 1000, CacheWrite1hTokens: 500, CompletionTokens: 2000}
	base := d.Cost(u)
	if base == 0 {
		t.Fatal("zero base cost")
	}
	fast := d
	fast.FastFactor, fast.USInferenceFactor = 2, USInferenceMultiplier
	for _, tc := range []struct {
		name, speed, geo string
		d                Deployment
		want             float64
	}{
		{"fast", "fast", "", fast, base * 2},
		{"fast in the us", "fast", "us", fast, base * 2 * 1.1},
		{"standard", "standard", "", fast, base},
		{"unsaid", "", "", fast, base},
		{"fast without factor", "fast", "", d, base},
	} {
		u := u
		u.Speed, u.InferenceGeo = tc.speed, tc.geo
		if got := tc.d.Cost(u); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: cost %v, want %v", tc.name, got, tc.want)
		}
	}
	u.Speed, u.WebSearchRequests = "fast", 2
	if got, want := fast.Cost(u), base*2+2*WebSearchUSD; math.Abs(got-want) > 1e-12 {
		t.Errorf("web searches: cost %v, want %v (searches at their own price)", got, want)
	}
	if n := testing.AllocsPerRun(100, func() { _ = fast.Cost(u) }); n != 0 {
		t.Errorf("Cost allocates %v times", n)
	}
}

func TestWantsFast(t *testing.T) {
	for _, tc := range []struct {
		r    Request
		want bool
	}{
		{Request{Speed: SpeedFast}, true},
		{Request{ServiceTier: TierFast}, true},
		{Request{Speed: SpeedStandard}, false},
		{Request{ServiceTier: TierPriority}, false},
		{Request{}, false},
	} {
		if got := tc.r.WantsFast(); got != tc.want {
			t.Errorf("%+v: WantsFast %v, want %v", tc.r, got, tc.want)
		}
	}
}

func TestUsageAddKeepsSpeed(t *testing.T) {
	u := Usage{}
	u.Add(Usage{Speed: "fast"})
	u.Add(Usage{Speed: "standard"})
	if u.Speed != "fast" {
		t.Errorf("Speed %q, want the first said", u.Speed)
	}
}
