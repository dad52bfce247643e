package cost

import (
	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
)

// Where a service tier's price comes from (llm.TierPrice.Source).
const (
	// TierSourceConfig: the deployment's price.priority_* fields.
	TierSourceConfig = "config"
	// TierSourceCatalog: the catalog's batch prices (flex is billed at
	// Batch API prices), or OpenAI's priority price list (priority.tsv).
	TierSourceCatalog = "catalog"
	// TierSourceDiscount: the standard price times batches.discount.
	TierSourceDiscount = "batch discount"
	// TierSourceCatalogRatio: OpenAI's listed priority price's ratios to
	// its standard price, applied to a deployment's configured standard
	// price; or, for the ultrafast tier, the multiplier a model's page
	// lists (cost/ultrafast.go) applied to its standard price.
	TierSourceCatalogRatio = "catalog ratio"
	// TierSourceMultiplier: the standard price times
	// cost.priority_multiplier, an estimate (no listed price), or, for the
	// ultrafast tier, times cost.ultrafast_multiplier (OpenAI's 6x).
	TierSourceMultiplier = "multiplier"
	// TierSourceCommitment: the standard price, for Anthropic's Priority
	// Tier, capacity a contract paid for and drawn down at the standard
	// prices' ratios.
	TierSourceCommitment = "commitment"
)

// ApplyTiers prices the service tiers of d, the deployment cd of cfg
// already priced at its standard price (Pricing.Apply): flex (and
// Anthropic's batch tier) at its batch price, as BatchPriced prices a
// provider batch's line (OpenAI bills flex processing at Batch API
// rates); priority at cd's price.priority_* when set; else, for a model
// on OpenAI's priority list (priority.tsv), at the listed price, or at
// its ratios to the standard price when the configuration sets the
// standard price (listedPriority); else, for an Anthropic deployment,
// at the standard prices (its Priority Tier is committed capacity, drawn
// down at the standard prices' ratios); else at the standard prices
// times cost.priority_multiplier. A d whose price is unknown gets none.
// Over a long-prompt band, every tier price but a configured one (Fixed)
// is a ratio of the standard prices, applied to the band's. An Anthropic
// deployment (the Claude API) gets the data-residency premium of US-only
// inference (llm.USInferenceMultiplier, Usage.InferenceGeo "us"), and,
// when its model has fast mode, the fast-mode multiplier
// (anthropic.FastFactor, Usage.Speed "fast"); any other, the ultrafast
// price (ultrafastPrice). Its web searches are priced by webSearchPrice.
func ApplyTiers(cfg *config.Config, cd *config.Deployment, d *llm.Deployment) {
	d.FlexPrice, d.PriorityPrice, d.UltrafastPrice = nil, nil, nil
	d.USInferenceFactor, d.FastFactor, d.AdvisorPrices = 0, 0, nil
	p := cfg.Providers[cd.Provider]
	d.WebSearchPrice = webSearchPrice(p, cd, d)
	if d.PriceUnknown {
		return
	}
	if p.Kind == config.KindAnthropic {
		d.USInferenceFactor = llm.USInferenceMultiplier
		d.FastFactor = anthropic.FastFactor(d.ModelID())
		d.AdvisorPrices = anthropicPrices{}
	} else {
		d.UltrafastPrice = ultrafastPrice(cfg, p, cd, d)
	}
	batch := BatchPriced(p, cd, *d, cfg.Batches.BatchDiscount())
	source := TierSourceDiscount
	if _, ok := catalogBatch(p, cd); ok {
		source = TierSourceCatalog
	}
	d.FlexPrice = &llm.TierPrice{Input: batch.InputPricePerM, Output: batch.OutputPricePerM, CachedInput: batch.CachedInputPricePerM, Source: source}
	if pp := cd.Price.Priority; pp.Set() {
		d.PriorityPrice = &llm.TierPrice{Input: pp.Input, Output: pp.Output, CachedInput: pp.CachedInput, Source: TierSourceConfig, Fixed: true}
		return
	}
	if tp, ok := listedPriority(p, cd, d); ok {
		d.PriorityPrice = tp
		return
	}
	if p.Kind == config.KindAnthropic {
		d.PriorityPrice = &llm.TierPrice{Input: d.InputPricePerM, Output: d.OutputPricePerM,
			CachedInput: orPrice(d.CachedInputPricePerM, d.InputPricePerM), Source: TierSourceCommitment}
		return
	}
	m := cfg.Cost.PriorityMultiplier()
	d.PriorityPrice = &llm.TierPrice{Input: d.InputPricePerM * m, Output: d.OutputPricePerM * m,
		CachedInput: orPrice(d.CachedInputPricePerM, d.InputPricePerM) * m, Source: TierSourceMultiplier}
}

// anthropicPrices are the catalog's standard prices of Anthropic's models,
// which price the consultations of the advisor tool.
type anthropicPrices struct{}

// ModelPrice returns model's standard price, false when the catalog does
// not list it as a chat model.
func (anthropicPrices) ModelPrice(model string) (llm.ModelPrice, bool) {
	e, ok := Lookup("anthropic", model)
	if !ok || e.Embedding || e.Moderation {
		return llm.ModelPrice{}, false
	}
	p := e.Price
	return llm.ModelPrice{Input: p.Input, CachedInput: orPrice(p.CachedInput, p.Input),
		CacheWrite: orPrice(p.CacheWrite, p.Input), Output: p.Output}, true
}

// orPrice returns p, or fallback when p is zero.
func orPrice(p, fallback float64) float64 {
	if p == 0 {
		return fallback
	}
	return p
}

// webSearchPrice is the price of one web search of d (cd on p): the
// configured price.web_search; else, for a Gemini deployment, Google's
// list price of Grounding with Google Search for its model
// (gemini.GroundingUSD: the free allowance is per project and not
// visible to the router); else nil, llm.WebSearchUSD.
func webSearchPrice(p *config.Provider, cd *config.Deployment, d *llm.Deployment) *float64 {
	switch {
	case cd.Price.WebSearch != nil:
		v := *cd.Price.WebSearch
		return &v
	case p != nil && p.Kind == config.KindGemini:
		v := gemini.GroundingUSD(d.ModelID())
		return &v
	}
	return nil
}
