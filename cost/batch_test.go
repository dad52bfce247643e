package cost

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// BatchPriced: the catalog's batch prices for a model priced by the
// catalog that lists them; the discount on a configured price, and on a
// model the catalog lists no batch price for.
func TestBatchPriced(t *testing.T) {
	openai := &config.Provider{Kind: config.KindOpenAI}
	priced := func(cd *config.Deployment) llm.Deployment {
		var d llm.Deployment
		Resolve(openai, cd).Apply(&d)
		return BatchPriced(openai, cd, d, 0.4)
	}
	if d := priced(&config.Deployment{Name: "m", Model: "gpt-4o-mini"}); d.InputPricePerM != 0.075 || d.OutputPricePerM != 0.3 || d.CachedInputPricePerM != 0.075*0.4 {
		t.Errorf("catalog's batch prices: %+v", d)
	}
	configured := &config.Deployment{Name: "m", Model: "gpt-4o-mini", Price: config.Price{Input: 1, Output: 2, Set: config.PriceInput | config.PriceOutput}}
	if d := priced(configured); d.InputPricePerM != 0.4 || d.OutputPricePerM != 0.8 {
		t.Errorf("configured price, discounted: %+v", d)
	}
	unlisted := &config.Deployment{Name: "m", Model: "my-model", Price: config.Price{Input: 10, Output: 20, Set: config.PriceInput | config.PriceOutput}}
	if d := priced(unlisted); d.InputPricePerM != 4 || d.OutputPricePerM != 8 {
		t.Errorf("unlisted model, discounted: %+v", d)
	}
}
