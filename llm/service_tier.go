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
	// TierFast asks OpenAI for fast mode, which is priority processing
	// (renamed on 2026-07-30): the answer of a model up to GPT-5.6 says
	// TierPriority, a GPT-6 model's TierFast; priced as priority.
	TierFast ServiceTier = "fast"
	// TierUltrafast is OpenAI's fastest tier (GPT-6 Astra, GPT-6.1 Sol,
	// GPT-6.2 Astra and Sol), at 6x the standard prices
	// (Deployment.UltrafastPrice).
	TierUltrafast ServiceTier = "ultrafast"
	// TierBatch is what Anthropic's usage says of a Message Batches
	// line: served at the batch price. No request asks for it.
	TierBatch ServiceTier = "batch"
)

// ChatTiers are the tiers a Chat Completions client may ask for, in the
// order OpenAI's SDKs list them; ResponsesTiers those of a Responses
// client.
var (
	ChatTiers      = []ServiceTier{TierAuto, TierDefault, TierFlex, TierScale, TierPriority, TierFast}
	ResponsesTiers = []ServiceTier{TierAuto, TierDefault, TierFlex, TierScale, TierPriority, TierFast, TierUltrafast}
)
