package llm

import (
	"math"
	"testing"
)

// TestAdvisorCost: an advisor consultation costs its own model's tokens
// at that model's price (cache reads and writes at its cache prices), or
// at the deployment's own when the model's is unknown; the US-inference
// premium applies to it as to the answer; Add keeps every consultation of
// both usages without touching either.
func TestAdvisorCost(t *testing.T) {
	d := &Deployment{InputPricePerM: 3, OutputPricePerM: 15, CachedInputPricePerM: 0.3, CacheWritePricePerM: 3.75, USInferenceFactor: 1.1,
		AdvisorPrices: opusOnly{}}
	own := Usage{PromptTokens: 1000, CompletionTokens: 100}
	base := d.Cost(own)
	a := &Advisor{Calls: []ModelUsage{{Model: "opus", PromptTokens: 2000, CachedPromptTokens: 1000, CacheWriteTokens: 500, CompletionTokens: 400}}}
	b := &Advisor{Calls: []ModelUsage{{Model: "unlisted", PromptTokens: 1000, CompletionTokens: 10}}}
	cases := []struct {
		name string
		u    Usage
		want float64
	}{
		{"opus", Usage{PromptTokens: 1000, CompletionTokens: 100, Advisor: a}, base + (500*5+1000*0.5+500*6.25+400*25)/1e6},
		{"unknown model: the deployment's price", Usage{PromptTokens: 1000, CompletionTokens: 100, Advisor: b}, base + (1000*3+10*15)/1e6},
		{"US inference", Usage{PromptTokens: 1000, CompletionTokens: 100, InferenceGeo: "us", Advisor: a},
			1.1 * (base + (500*5+1000*0.5+500*6.25+400*25)/1e6)},
	}
	for _, c := range cases {
		if got := d.Cost(c.u); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	u := Usage{Advisor: a}
	u.Add(Usage{Advisor: b})
	if u.Advisor == a || len(u.Advisor.Calls) != 2 || len(a.Calls) != 1 || len(b.Calls) != 1 || u.Advisor.Calls[1].Model != "unlisted" {
		t.Errorf("Add: %+v (a %+v, b %+v)", u.Advisor, a, b)
	}
	v := Usage{}
	v.Add(Usage{Advisor: a})
	if v.Advisor != a {
		t.Error("Add into no consultations did not keep the other's")
	}
}

// opusOnly knows the price of model "opus" alone.
type opusOnly struct{}

func (opusOnly) ModelPrice(model string) (ModelPrice, bool) {
	if model == "opus" {
		return ModelPrice{Input: 5, CachedInput: 0.5, CacheWrite: 6.25, Output: 25}, true
	}
	return ModelPrice{}, false
}
