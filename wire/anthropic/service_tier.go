package anthropic

import (
	"strings"
	"switchyard/llm"
)

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
	return enumToLLM("service_tier", tier, enumValue[llm.ServiceTier]{TierAuto, llm.TierAuto},
		enumValue[llm.ServiceTier]{TierStandardOnly, llm.TierDefault})
}

// enumValue is one value a request field of a few values takes: as the
// API spells it, and the canonical value it stands for.
type enumValue[T ~string] struct {
	wire  string
	canon T
}

// enumToLLM is the canonical value of field's value v: "" for none (null
// or absent), else the one of values spelled v. Another v is an
// *llm.Error of kind invalid_request naming field, worded as the API
// words it ("speed: Input should be 'standard' or 'fast'").
func enumToLLM[T ~string](field, v string, values ...enumValue[T]) (T, error) {
	if v == "" {
		return "", nil
	}
	for _, e := range values {
		if v == e.wire {
			return e.canon, nil
		}
	}
	names := make([]string, len(values))
	for i, e := range values {
		names[i] = "'" + e.wire + "'"
	}
	e := rejectf("%s: Input should be %s", field, strings.Join(names, " or "))
	e.Param = field
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
