package cost

import (
	"switchyard/config"
	"switchyard/llm"
)

// Where a service tier's price comes from (llm.TierPrice.Source).
const (
	// TierSourceConfig: the deployment's price.priority_* fields.
	TierSourceConfig = "config"
	// TierSourceCatalog: the catalog's batch prices (flex is billed at
	// Batch API prices).
	TierSourceCatalog = "catalog"
	// TierSourceDiscount: the standard price times batches.discount.
	TierSourceDiscount = "batch discount"
	// TierSourceMultiplier: the standard price times
	// cost.priority_multiplier, an estimate (no listed price).
	TierSourceMultiplier = "multiplier"
)

// ApplyTiers prices the service tiers of d, the deployment cd of cfg
// already priced at its standard price (Pricing.Apply): flex (and
// Anthropic's batch tier) at its batch price, as BatchPriced prices a
// provider batch's line (OpenAI bills flex processing at Batch API
// rates); priority at cd's price.priority_* when set, else at the
// standard prices times cost.priority_multiplier (the catalog lists no
// priority prices). A d whose price is unknown gets none.
func ApplyTiers(cfg *config.Config, cd *config.Deployment, d *llm.Deployment) {
	d.FlexPrice, d.PriorityPrice = nil, nil
	if d.PriceUnknown {
		return
	}
	p := cfg.Providers[cd.Provider]
	batch := BatchPriced(p, cd, *d, cfg.Batches.BatchDiscount())
	source := TierSourceDiscount
	if _, ok := catalogBatch(p, cd); ok {
		source = TierSourceCatalog
	}
	d.FlexPrice = &llm.TierPrice{Input: batch.InputPricePerM, Output: batch.OutputPricePerM, CachedInput: batch.CachedInputPricePerM, Source: source}
	if pp := cd.Price.Priority; pp.Set() {
		d.PriorityPrice = &llm.TierPrice{Input: pp.Input, Output: pp.Output, CachedInput: pp.CachedInput, Source: TierSourceConfig}
		return
	}
	m := cfg.Cost.PriorityMultiplier()
	d.PriorityPrice = &llm.TierPrice{Input: d.InputPricePerM * m, Output: d.OutputPricePerM * m,
		CachedInput: orPrice(d.CachedInputPricePerM, d.InputPricePerM) * m, Source: TierSourceMultiplier}
}

// orPrice returns p, or fallback when p is zero.
func orPrice(p, fallback float64) float64 {
	if p == 0 {
		return fallback
	}
	return p
}
