package llm

// ServiceTier is a processing tier of an upstream, in OpenAI's words: what
// a request asks for (Request.ServiceTier) and what an upstream says
// served it (Usage.ServiceTier). Anthropic's words map onto these at its
// wire codec: its request's "standard_only" is TierDefault, its usage's
// "standard" TierDefault and "batch" TierBatch.
type ServiceTier string

// The service tiers. A tier an upstream names that is not listed here is
// kept as it said it and priced at the standard price.
const (
	// TierAuto lets the upstream choose (OpenAI: the project's setting;
	// Anthropic: priority capacity when the organization has it).
	TierAuto ServiceTier = "auto"
	// TierDefault is standard processing at the standard price.
	TierDefault ServiceTier = "default"
	// TierFlex is OpenAI's flex processing: slower, sometimes refused
	// with 429 resource_unavailable, billed at the Batch API's prices.
	TierFlex ServiceTier = "flex"
	// TierPriority is priority processing, billed at a premium.
	TierPriority ServiceTier = "priority"
	// TierScale is OpenAI's Scale Tier (prepaid capacity).
	TierScale ServiceTier = "scale"
	// TierBatch is what Anthropic's usage says of a Message Batches
	// line: served at the batch price. No request asks for it.
	TierBatch ServiceTier = "batch"
)

// RequestTiers are the tiers a client may ask for, in the order OpenAI's
// error message lists them.
var RequestTiers = []ServiceTier{TierAuto, TierDefault, TierFlex, TierScale, TierPriority}
