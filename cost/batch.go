package cost

import (
	"switchyard/config"
	"switchyard/llm"
)

// BatchPriced returns d, the deployment cd of provider p priced as
// Resolve prices it, at its batch price (what a line sent through the
// provider's batch API costs): the catalog's batch input and output
// prices when the configuration sets neither an input nor an output
// price and the catalog lists them for the model, its other per-token
// prices times discount; otherwise every per-token price times discount
// (batches.discount: OpenAI's and Anthropic's batch APIs take half). Its
// service tiers' prices are removed: every tier a batch line's usage
// names is billed at that price.
func BatchPriced(p *config.Provider, cd *config.Deployment, d llm.Deployment, discount float64) llm.Deployment {
	in, out := d.InputPricePerM*discount, d.OutputPricePerM*discount
	rin, rout := discount, discount
	if e, ok := catalogBatch(p, cd); ok {
		in, out = e.BatchInput, e.BatchOutput
		rin, rout = ratioOf(in, d.InputPricePerM), ratioOf(out, d.OutputPricePerM)
	}
	d.LongPrompt = batchBand(d.LongPrompt, rin, rout, discount)
	for _, price := range []*float64{&d.CachedInputPricePerM, &d.CacheWritePricePerM, &d.CacheWrite1hPricePerM, &d.ReasoningPricePerM,
		&d.AudioInputPricePerM, &d.AudioOutputPricePerM} {
		*price *= discount
	}
	d.InputPricePerM, d.OutputPricePerM = in, out
	d.FlexPrice, d.PriorityPrice = nil, nil // a batch line is billed at the batch price whatever tier its usage names
	return d
}

// catalogBatch returns the catalog's entry for cd's model on p when its
// batch prices price cd: the configuration sets neither an input nor an
// output price, and the catalog lists batch prices for the model.
func catalogBatch(p *config.Provider, cd *config.Deployment) (Entry, bool) {
	if cd == nil || cd.Price.Has(config.PriceInput) || cd.Price.Has(config.PriceOutput) {
		return Entry{}, false
	}
	e, ok := Lookup(VendorOf(p), cd.ModelID())
	return e, ok && (e.BatchInput > 0 || e.BatchOutput > 0)
}

// ratioOf is batch over standard; 1 when the standard price is 0.
func ratioOf(batch, standard float64) float64 {
	if standard == 0 {
		return 1
	}
	return batch / standard
}
