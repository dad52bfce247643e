package cost

import (
	"strings"

	"switchyard/config"
	"switchyard/llm"
)

// ultrafastListing is a model's ultrafast multiplier as its model page
// lists it, in force from From through Until (UTC days, "" open), where
// it differs from cost.ultrafast_multiplier's default.
type ultrafastListing struct {
	model       string
	multiplier  float64
	from, until string
	source      string
}

// ultrafastListed are OpenAI's per-model ultrafast multipliers. OpenAI's
// ultrafast guide and pricing page bill the tier at 6x the standard rates
// (GPT-6 Astra, GPT-6.1 Sol: config.DefaultUltrafastMultiplier); a model
// listed here is priced at its own multiplier instead.
var ultrafastListed = []ultrafastListing{
	{model: "gpt-6.2-sol", multiplier: 3, until: "2027-02-28", source: gpt62SolPage},
	{model: "gpt-6.2-sol", multiplier: 6, from: "2027-03-01", source: gpt62SolPage},
}

const gpt62SolPage = `https://developers.openai.com/api/docs/models/gpt-6.2-sol ("Ultrafast costs 3 times the Standard rate through February 28, 2027, and 6 times the Standard rate starting March 1, 2027")`

// listedUltrafast returns the ultrafast multiplier OpenAI lists for model
// on day, matching names as Lookup does (a dated snapshot takes its
// model's listing). Only OpenAI's own API lists one.
func listedUltrafast(vendor, model, day string) (float64, bool) {
	if vendor != "openai" {
		return 0, false
	}
	name := strings.ToLower(strings.TrimSpace(model))
	for _, k := range candidates(vendor, name) {
		for _, n := range []string{k[1], undated(k[1])} {
			for _, l := range ultrafastListed {
				if l.model == n && (l.from == "" || l.from <= day) && (l.until == "" || day <= l.until) {
					return l.multiplier, true
				}
			}
		}
	}
	return 0, false
}

// undated is name without its snapshot's date, or name itself.
func undated(name string) string {
	if u, ok := stripSnapshot(name); ok {
		return u
	}
	return name
}

// ultrafastPrice is the price of d, the deployment cd of p, on OpenAI's
// ultrafast tier: cd's price.ultrafast_* when set; else d's standard
// prices times the model's listed multiplier (listedUltrafast, by the
// day); else times cost.ultrafast_multiplier (OpenAI bills the tier at 6x
// the standard rates). Cache writes follow the input's ratio.
func ultrafastPrice(cfg *config.Config, p *config.Provider, cd *config.Deployment, d *llm.Deployment) *llm.TierPrice {
	if up := cd.Price.Ultrafast; up.Set() {
		return &llm.TierPrice{Input: up.Input, Output: up.Output, CachedInput: up.CachedInput, Source: TierSourceConfig, Fixed: true}
	}
	m, source := cfg.Cost.UltrafastMultiplier(), TierSourceMultiplier
	if listed, ok := listedUltrafast(VendorOf(p), cd.ModelID(), today()); ok {
		m, source = listed, TierSourceCatalogRatio
	}
	return &llm.TierPrice{Input: d.InputPricePerM * m, Output: d.OutputPricePerM * m,
		CachedInput: orPrice(d.CachedInputPricePerM, d.InputPricePerM) * m, Source: source}
}
