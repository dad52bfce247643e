package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// A provider's service_tier: whether the requests' service_tier (OpenAI's
// flex, priority…) is sent to it.
const (
	// ServiceTierSend sends it: for an OpenAI-compatible host that takes
	// OpenAI's values.
	ServiceTierSend = "send"
	// ServiceTierDrop leaves it out (and x-switchyard-route names it
	// dropped).
	ServiceTierDrop = "drop"
)

// serviceTiers lists the service_tier values, in the order the docs give
// them.
var serviceTiers = []string{ServiceTierSend, ServiceTierDrop}

// AzureServiceTierVersion is the first Azure api-version whose requests
// take service_tier (priority processing); Azure's v1 routes take it too.
const AzureServiceTierVersion = "2025-10-01-preview"

// TakesServiceTier reports whether p's requests carry the client's
// service_tier: as p.ServiceTier says when set; otherwise for kind
// anthropic (Claude's own auto / standard_only), for kind openai on
// api.openai.com (the default base_url), and for kind azure on its v1
// routes (a base_url ending /openai/v1) or an api-version from
// AzureServiceTierVersion on; never for kind gemini. Other
// OpenAI-compatible hosts do not by default: many refuse unknown fields,
// and Groq's tiers are not OpenAI's.
func (p *Provider) TakesServiceTier() bool {
	switch {
	case p.Kind == KindGemini:
		return false
	case p.ServiceTier != "":
		return p.ServiceTier == ServiceTierSend
	case p.Kind == KindAnthropic:
		return true
	case p.Kind == KindAzure:
		return strings.HasSuffix(strings.TrimRight(p.BaseURL, "/"), "/openai/v1") || p.APIVersion >= AzureServiceTierVersion
	}
	base := p.BaseURL
	if base == "" && len(p.Endpoints) > 0 {
		base = p.Endpoints[0].BaseURL
	}
	if base == "" {
		return true
	}
	u, err := url.Parse(base)
	return err == nil && strings.EqualFold(u.Hostname(), "api.openai.com")
}

func (v *validator) serviceTier(path string, p *Provider) {
	path += ".service_tier"
	switch {
	case p.ServiceTier == "":
	case !slices.Contains(serviceTiers, p.ServiceTier):
		v.add(path, fmt.Sprintf("unknown service_tier %q", p.ServiceTier), choices(p.ServiceTier, "values", serviceTiers))
	case p.Kind != KindOpenAI && p.Kind != KindAzure && slices.Contains(kinds, p.Kind):
		v.add(path, fmt.Sprintf("service_tier is only for kind openai or azure, not %s", p.Kind),
			"remove it: Claude is always sent its own service_tier, Gemini never one")
	}
}

// Cost tunes how answers are priced (see docs/cost.md).
type Cost struct {
	// Priority is the price of an answer served on the priority tier
	// over the standard price, for a deployment whose priority price
	// neither the configuration nor the catalog lists; nil means
	// DefaultPriorityMultiplier.
	Priority *float64
	// Ultrafast is the price of an answer served on OpenAI's ultrafast
	// tier over the standard price, for a deployment whose configuration
	// sets no price.ultrafast_*; nil means DefaultUltrafastMultiplier.
	Ultrafast *float64
}

// DefaultUltrafastMultiplier is cost.ultrafast_multiplier's default:
// OpenAI bills an answer served on the ultrafast tier at 6x the standard
// per-token rates (GPT-6 Astra: $60/$6/$300 per 1M tokens input, cached
// input and output over $10/$1/$50; cache writes $75 over $12.50).
const DefaultUltrafastMultiplier = 6

// DefaultPriorityMultiplier is cost.priority_multiplier's default: the
// highest ratio of priority to standard prices OpenAI has published
// (GPT-5.5: 2.5x; GPT-5 to GPT-5.4: 2x; GPT-4.1 and o3 1.75x, GPT-4o
// 1.7x), so that an unlisted priority price is never under-counted
// against a budget.
const DefaultPriorityMultiplier = 2.5

// PriorityMultiplier returns cost.priority_multiplier.
func (c *Cost) PriorityMultiplier() float64 {
	if c.Priority == nil {
		return DefaultPriorityMultiplier
	}
	return *c.Priority
}

// UltrafastMultiplier returns cost.ultrafast_multiplier.
func (c *Cost) UltrafastMultiplier() float64 {
	if c.Ultrafast == nil {
		return DefaultUltrafastMultiplier
	}
	return *c.Ultrafast
}

func (d *decoder) cost(e entry, c *Cost) {
	d.object(e.node, e.path, []field{
		{"priority_multiplier", func(e entry) {
			var f float64
			d.number(e, &f, "the priority price over the standard one, e.g. 2")
			c.Priority = &f
		}},
		{"ultrafast_multiplier", func(e entry) {
			var f float64
			d.number(e, &f, "the ultrafast price over the standard one, e.g. 6")
			c.Ultrafast = &f
		}},
	})
}

func (v *validator) cost() {
	if m := v.c.Cost.Priority; m != nil && *m < 1 {
		v.add("cost.priority_multiplier", fmt.Sprintf("must be at least 1, got %g", *m),
			"priority processing costs more than standard: OpenAI's list has 1.7x to 2x")
	}
	if m := v.c.Cost.Ultrafast; m != nil && *m < 1 {
		v.add("cost.ultrafast_multiplier", fmt.Sprintf("must be at least 1, got %g", *m),
			"ultrafast processing costs more than standard: OpenAI bills it at 6x")
	}
}

// TierPrice is a deployment's price on a service tier, in USD per 1M
// tokens; a zero field is not set.
type TierPrice struct {
	Input, Output, CachedInput float64
}

// Set reports whether any field is set.
func (t *TierPrice) Set() bool { return t.Input != 0 || t.Output != 0 || t.CachedInput != 0 }

func (v *validator) tierPrice(path string, t *TierPrice) {
	v.price(path+"_input", t.Input)
	v.price(path+"_output", t.Output)
	v.price(path+"_cached_input", t.CachedInput)
	if t.Set() && (t.Input == 0) != (t.Output == 0) {
		tier := path[strings.LastIndexByte(path, '.')+1:]
		v.add(path+"_input", fmt.Sprintf("%s_input and %s_output go together", tier, tier),
			fmt.Sprintf("set both (OpenAI's price lists give both), or neither to price %s at cost.%s_multiplier times the standard price", tier, tier))
	}
}
