package anthropic

import "switchyard/llm"

// The Messages API's service tiers: what a request may ask for
// (service_tier) and what usage.service_tier says served it.
const (
	TierAuto         = "auto"
	TierStandardOnly = "standard_only"
	TierStandard     = "standard"
	TierPriority     = "priority"
	TierBatch        = "batch"
)

// RequestTierToLLM maps a request's service_tier onto the canonical
// tiers: auto is TierAuto (priority capacity when the organization has
// it), standard_only TierDefault; "" is unset. Any other value is refused
// as the API refuses it.
func RequestTierToLLM(tier string) (llm.ServiceTier, error) {
	switch tier {
	case "":
		return "", nil
	case TierAuto:
		return llm.TierAuto, nil
	case TierStandardOnly:
		return llm.TierDefault, nil
	}
	e := rejectf("service_tier: Input should be 'auto' or 'standard_only'")
	e.Param = "service_tier"
	return "", e
}

// RequestTierFromLLM is the service_tier sent to Claude for a canonical
// tier: auto for auto, priority, fast, ultrafast and scale (the ones that
// may use priority capacity), standard_only for default and flex (Claude has no flex: the
// standard tier is the cheapest synchronous one); "" sends none.
func RequestTierFromLLM(t llm.ServiceTier) string {
	switch t {
	case "":
		return ""
	case llm.TierDefault, llm.TierFlex:
		return TierStandardOnly
	}
	return TierAuto
}

// TierToLLM maps usage.service_tier onto the canonical tiers: standard
// is TierDefault, priority TierPriority, batch TierBatch; "" (not said)
// stays "", and an unknown value is kept as sent.
func TierToLLM(tier string) llm.ServiceTier {
	switch tier {
	case TierStandard:
		return llm.TierDefault
	case TierPriority:
		return llm.TierPriority
	case TierBatch:
		return llm.TierBatch
	}
	return llm.ServiceTier(tier)
}

// TierFromLLM is usage.service_tier for a canonical served tier: priority
// and batch as they are, standard for every other tier and for none (the
// API always writes one; an answer another kind of upstream served
// synchronously is the standard tier's nearest word).
func TierFromLLM(t llm.ServiceTier) string {
	switch t {
	case llm.TierPriority:
		return TierPriority
	case llm.TierBatch:
		return TierBatch
	}
	return TierStandard
}
