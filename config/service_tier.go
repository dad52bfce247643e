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
}

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

func (d *decoder) cost(e entry, c *Cost) {
	d.object(e.node, e.path, []field{
		{"priority_multiplier", func(e entry) {
			var f float64
			d.number(e, &f, "the priority price over the standard one, e.g. 2")
			c.Priority = &f
		}},
	})
}

func (v *validator) cost() {
	if m := v.c.Cost.Priority; m != nil && *m < 1 {
		v.add("cost.priority_multiplier", fmt.Sprintf("must be at least 1, got %g", *m),
			"priority processing costs more than standard: OpenAI's list has 1.7x to 2x")
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
		v.add(path+"_input", "priority_input and priority_output go together",
			"set both (OpenAI's priority list gives both), or neither to price priority at cost.priority_multiplier times the standard price")
	}
}
