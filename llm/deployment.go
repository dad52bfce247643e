package llm

import "math"

// Capability is something a deployment can do beyond plain chat.
type Capability string

// Known capabilities.
const (
	CapTools      Capability = "tools"
	CapJSONMode   Capability = "json_mode"
	CapJSONSchema Capability = "json_schema"
	CapVision     Capability = "vision"
	CapStreaming  Capability = "streaming"
	CapEmbeddings Capability = "embeddings"
	// CapModeration is serving the moderations endpoint (POST
	// /v1/moderations).
	CapModeration   Capability = "moderation"
	CapReasoning    Capability = "reasoning"
	CapMultilingual Capability = "multilingual"
	CapCode         Capability = "code"
	CapMath         Capability = "math"
	// CapLogprobs is returning token log probabilities. A deployment need
	// not declare it: it follows from the provider's wire format (see
	// package route: OpenAI, Azure and Gemini have it, except for models
	// declared reasoning; Anthropic never does). Declaring it asserts it
	// for a model of a kind that can.
	CapLogprobs Capability = "logprobs"
	// CapBatch is taking the provider's own batch API (OpenAI's Batch
	// API, Anthropic's Message Batches), where a batch's lines are sent
	// for half the price. It says nothing of what a request may carry: a
	// deployment declaring it alone still has the capabilities of one
	// declaring none.
	CapBatch Capability = "batch"
)

// ServesChat reports whether a deployment declaring caps serves chat: it
// does unless it is a moderation, media or completions-only model (it
// declares moderation, images, speech, transcription, completions or
// realtime) or
// an embeddings model (embeddings is all it declares). A deployment that
// declares nothing serves chat.
func ServesChat(caps []Capability) bool {
	for _, c := range caps {
		switch c {
		case CapModeration, CapImages, CapSpeech, CapTranscription, CapCompletions, CapRealtime:
			return false
		}
	}
	return !(len(caps) == 1 && caps[0] == CapEmbeddings)
}

// Deployment is one upstream model on one provider, with its price, limits
// and capabilities.
type Deployment struct {
	// Name is what clients and routes call it; unique in a config.
	Name string
	// Provider is the name of the configured provider that serves it.
	Provider string
	// Model is the upstream model name sent to the provider.
	Model string
	// BaseModel is the model the deployment runs when Model is an alias
	// (an Azure deployment's name); empty means Model. See ModelID.
	BaseModel string
	// InputPricePerM and OutputPricePerM are USD per 1M tokens.
	InputPricePerM  float64
	OutputPricePerM float64
	// CachedInputPricePerM is USD per 1M cached prompt tokens; zero means
	// the input price applies.
	CachedInputPricePerM float64
	// CacheWritePricePerM is USD per 1M prompt tokens written to a cache
	// (Anthropic's 5-minute cache writes); zero means the input price
	// applies.
	CacheWritePricePerM float64
	// CacheWrite1hPricePerM is USD per 1M prompt tokens written to a cache
	// with the one-hour lifetime (Usage.CacheWrite1hTokens); zero means
	// CacheWritePricePerM applies. Package cost sets it to twice the input
	// price, Anthropic's rate.
	CacheWrite1hPricePerM float64
	// ReasoningPricePerM is USD per 1M reasoning tokens; zero means the
	// output price applies.
	ReasoningPricePerM float64
	// AudioInputPricePerM and AudioOutputPricePerM are USD per 1M audio
	// tokens of a chat (Usage.AudioPromptTokens, AudioCompletionTokens:
	// audio input parts, spoken answers); zero means the input or output
	// price applies. Package cost sets them from the catalog.
	AudioInputPricePerM, AudioOutputPricePerM float64
	// CachedAudioInputPricePerM is USD per 1M cached audio input tokens
	// (Usage.CachedAudioPromptTokens: the Realtime API's); zero means the
	// cached input price applies. Package cost sets it from the catalog.
	CachedAudioInputPricePerM float64
	// PriceUnknown reports a deployment whose price neither the
	// configuration nor the built-in catalog knows: its costs are unknown,
	// not zero, and Cost's zero must not be read as free.
	PriceUnknown bool
	// FlexPrice prices the tokens an upstream says it served on TierFlex
	// (OpenAI's flex processing, billed at Batch API prices) or TierBatch;
	// nil means the standard prices. Package cost sets it.
	FlexPrice *TierPrice
	// PriorityPrice prices the tokens served on TierPriority; nil means
	// the standard prices. Package cost sets it (a configured price, else
	// the standard one times cost.priority_multiplier).
	PriorityPrice *TierPrice
	// UltrafastPrice prices the tokens served on TierUltrafast (OpenAI's
	// fastest tier); nil means PriorityPrice's. Package cost sets it (a
	// configured price, else the standard one times
	// cost.ultrafast_multiplier).
	UltrafastPrice *TierPrice
	// LongPrompt is the price of a request whose prompt is long (the
	// vendors' "long context pricing"): a usage whose PromptTokens exceed
	// LongPrompt.AboveTokens pays its prices on every token. Nil means
	// every request pays the standard prices.
	LongPrompt *PriceBand
	// ContextWindow is the model's maximum tokens; zero means unknown.
	ContextWindow int
	// MaxOutputTokens is the model's output limit; zero means unknown.
	MaxOutputTokens int
	Capabilities    []Capability
	// Continuation is how the deployment continues a partial answer (an
	// assistant prefill); ContinueNone means it cannot, so a broken
	// stream is never resumed on it by prefill.
	Continuation Continuation
	// StructuredOutput is how the deployment answers a request for JSON
	// output when its API has a native JSON-schema mode (Anthropic's
	// output_config.format); StructuredAuto decides by the model id.
	StructuredOutput StructuredOutput
	// API is the upstream API an OpenAI-wire deployment is called on
	// (its config api); APIAuto decides by the model id.
	API UpstreamAPI
	// ReasoningContent says whether an OpenAI-wire deployment is sent its
	// assistant turns' reasoning text back (its config
	// reasoning_content); ReasoningContentAuto decides by the model id.
	ReasoningContent ReasoningContent
	// ThoughtSignatures says whether an OpenAI-wire deployment is sent
	// its conversation's tool call thought signatures as Google's OpenAI
	// compatibility endpoint takes them (its config thought_signatures);
	// PassBackAuto decides by the provider's host.
	ThoughtSignatures PassBack
	// ReasoningDetails says whether an OpenAI-wire deployment is sent its
	// assistant turns' reasoning_details back as OpenRouter takes them
	// (its config reasoning_details); PassBackAuto decides by the
	// provider's host.
	ReasoningDetails PassBack
	// APIByModel reports that API was resolved from APIAuto by the model
	// id (route.UpstreamAPI) rather than configured: the request is then
	// sent with Request.API APIAuto, and the adapter chooses by the model
	// and the request, so that one only the Responses API serves
	// (service_tier ultrafast, hosted tools, function tools at a reasoning
	// effort Chat Completions refuses for the model) goes there even when
	// API says Chat Completions.
	APIByModel bool
	// InferenceGeo is the geography the configuration says the
	// deployment's inference runs in (its inference_geo): GeoUS for a
	// US-resident one, which serves requests requiring GeoUS (a Claude
	// API deployment whose model takes inference_geo is sent it on every
	// request); "" when it says none.
	InferenceGeo InferenceGeo
	// USInferenceFactor is what every token price is multiplied by when
	// the upstream says it ran the request in the US (Usage.InferenceGeo
	// "us"): USInferenceMultiplier on a Claude API deployment; zero means
	// none (GeoFactor). Package cost sets it.
	USInferenceFactor float64
	// FastFactor is what every token price is multiplied by when the
	// upstream says it served the request in fast mode (Usage.Speed
	// "fast"): the model's fast-mode multiplier on a Claude API
	// deployment whose model has fast mode; zero means none (SpeedFactor).
	// Package cost sets it.
	FastFactor float64
	// AdvisorPrices price the other models a consultation of Claude's
	// advisor tool ran on (Usage.Advisor); nil, or one that does not know
	// the model, prices it at the deployment's own. Set by
	// cost.ApplyTiers for Anthropic deployments, from the catalog.
	AdvisorPrices ModelPrices
}

// StructuredOutput is how an adapter answers a request for a JSON Schema
// (response_format json_schema) on an API that has both a native
// schema-constrained mode and the router's prompt instruction.
type StructuredOutput string

// The structured-output settings.
const (
	// StructuredAuto uses the native mode on the models documented to
	// support it, the prompt instruction on the others.
	StructuredAuto StructuredOutput = ""
	// StructuredNative always uses the native mode (for a model the
	// router does not know, an alias without base_model, say).
	StructuredNative StructuredOutput = "native"
	// StructuredPrompt never does: the schema is quoted in an instruction.
	StructuredPrompt StructuredOutput = "prompt"
)

// UpstreamAPI is which of OpenAI's chat APIs an OpenAI-wire deployment
// is called on.
type UpstreamAPI string

// The upstream APIs.
const (
	// APIAuto calls the Responses API for the models OpenAI serves only
	// there (the *-pro, codex, computer-use and deep-research models),
	// Chat Completions for every other.
	APIAuto UpstreamAPI = ""
	// APIChatCompletions always calls POST /chat/completions.
	APIChatCompletions UpstreamAPI = "chat_completions"
	// APIResponses always calls POST /responses.
	APIResponses UpstreamAPI = "responses"
)

// ModelID is the id that model-dependent rules read (which models reason,
// which refuse sampling hints): BaseModel if set, else Model.
func (d *Deployment) ModelID() string {
	if d.BaseModel != "" {
		return d.BaseModel
	}
	return d.Model
}

// Has reports whether the deployment declares capability c.
func (d *Deployment) Has(c Capability) bool {
	for _, x := range d.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}

// Cost returns the USD cost of u on this deployment, by the meaning of
// Usage's counts: PromptTokens includes the cached reads and the cache
// writes (5-minute and one-hour), each priced at its own rate, the rest
// at the input price, its audio tokens (AudioPromptTokens, uncached) at
// the audio input price, its cached audio tokens (CachedAudioPromptTokens,
// among the cached) at the cached audio price; CompletionTokens includes
// ReasoningTokens,
// priced at the reasoning rate (the output price when it has none), and
// AudioCompletionTokens, at the audio output price, the rest at the
// output price. A
// prompt over the long-prompt band's threshold (LongPrompt) prices every
// token of u at the band. The
// tier that served u (u.ServiceTier) picks the prices (TierAt), the
// standard ones (or the band's) when it names none. Web searches (WebSearchRequests,
// which only Claude deployments report) cost WebSearchUSD each, whatever
// the tier; web fetches cost only their tokens. Inference the upstream
// says ran in the US (u.InferenceGeo "us") multiplies the tokens' cost by
// GeoFactor (Anthropic's 1.1x on a Claude API deployment), and an answer
// served in fast mode (u.Speed "fast") by SpeedFactor. Claude's
// compaction of the conversation within the answer (u.Compaction) costs
// its tokens at these same prices. A cost the upstream stated
// (u.CostReported) is the cost, whatever d's price. It returns 0 when
// the cost is unknown (CostUnknown): check it before reading the result
// as a price.
func (d *Deployment) Cost(u Usage) float64 {
	if u.CostReported {
		return RoundUSD(max(u.ReportedCostUSD, 0))
	}
	if d.PriceUnknown {
		return 0
	}
	if c := u.Compaction; c != nil {
		// Claude's compaction of the conversation: its tokens at d's own
		// prices, on the tier, in the place and at the speed of the answer.
		u.Compaction = nil
		return RoundUSD(d.Cost(u) + d.Cost(Usage{PromptTokens: c.PromptTokens, CompletionTokens: c.CompletionTokens,
			TotalTokens: c.PromptTokens + c.CompletionTokens, CachedPromptTokens: c.CachedPromptTokens, CacheWriteTokens: c.CacheWriteTokens,
			ServiceTier: u.ServiceTier, InferenceGeo: u.InferenceGeo, Speed: u.Speed}))
	}
	p := d.pricesAt(u.ServiceTier, u.PromptTokens)
	cached, written := max(u.CachedPromptTokens, 0), max(u.CacheWriteTokens, 0)
	hour := min(max(u.CacheWrite1hTokens, 0), written)
	uncached := max(u.PromptTokens-cached-written, 0)
	cachedAudio := min(max(u.CachedAudioPromptTokens, 0), cached)
	cached -= cachedAudio
	audioIn := min(max(u.AudioPromptTokens, 0), uncached)
	uncached -= audioIn
	reasoning := min(max(u.ReasoningTokens, 0), max(u.CompletionTokens, 0))
	visible := max(u.CompletionTokens-reasoning, 0)
	audioOut := min(max(u.AudioCompletionTokens, 0), visible)
	visible -= audioOut
	geo := d.GeoFactor(InferenceGeo(u.InferenceGeo))
	return RoundUSD(geo*d.SpeedFactor(u.Speed)*(float64(uncached)*p.input+
		float64(audioIn)*orPrice(d.AudioInputPricePerM, p.input)+
		float64(audioOut)*orPrice(d.AudioOutputPricePerM, p.output)+
		float64(cached)*p.cached+
		float64(cachedAudio)*orPrice(d.CachedAudioInputPricePerM, p.cached)+
		float64(written-hour)*p.write+
		float64(hour)*p.write1h+
		float64(visible)*p.output+
		float64(reasoning)*p.reasoning)/1e6 +
		float64(max(u.WebSearchRequests, 0))*WebSearchUSD + d.advisorCost(u.Advisor, geo) + hostedToolsCost(u))
}

// CostUnknown reports whether the cost of u on d is unknown: d's price
// is not known and the upstream stated no cost of its own.
func (d *Deployment) CostUnknown(u Usage) bool { return d.PriceUnknown && !u.CostReported }

// WebSearchUSD is the price of one web search of Anthropic's web search
// server tool, and of OpenAI's web search tool (web_search, and
// web_search_preview on reasoning models): $10 per 1,000 searches.
const WebSearchUSD = 0.01

// The prices of OpenAI's hosted tools beyond web search, on top of the
// tokens (docs/cost.md "Hosted tools" gives the sources): a file search
// call is $2.50 per 1,000 calls; a code interpreter container session
// (1 GB, the default) $0.03.
const (
	FileSearchCallUSD   = 0.0025
	ContainerSessionUSD = 0.03
)

// hostedToolsCost is the cost of the OpenAI hosted tool calls u counts
// beyond web searches.
func hostedToolsCost(u Usage) float64 {
	return float64(max(u.FileSearchCalls, 0))*FileSearchCallUSD + float64(max(u.ContainerSessions, 0))*ContainerSessionUSD
}

// TierPrice is a deployment's price on a service tier other than the
// standard one, in USD per 1M tokens. Its cache writes and reasoning
// tokens are priced at the standard rates scaled as its input and output
// prices are.
type TierPrice struct {
	Input, Output float64
	// CachedInput is the price of cached prompt tokens; zero means the
	// standard cached price scaled as Input is.
	CachedInput float64
	// Source says where the prices come from, for the explanation and the
	// docs: "config", "catalog" (a listed batch or priority price),
	// "catalog ratio" (a listed priority price's ratios to the standard
	// one), "batch discount", "commitment" or "multiplier" (the standard
	// price times cost.priority_multiplier: an estimate, no listed price).
	Source string
	// Fixed reports prices charged as they are whatever the prompt's
	// length (a configured price.priority_*). Otherwise the tier's prices
	// are ratios of the standard ones, which a request over the long-prompt
	// band's threshold applies to the band's prices.
	Fixed bool
}

// TierAt returns the prices of tokens served on tier t: FlexPrice for
// TierFlex and TierBatch, PriorityPrice for TierPriority and TierFast
// (fast mode is priority processing; a GPT-6 model's answer names it),
// UltrafastPrice (else PriorityPrice) for TierUltrafast; nil for the
// standard prices (every other tier, or a price not set).
func (d *Deployment) TierAt(t ServiceTier) *TierPrice {
	switch t {
	case TierFlex, TierBatch:
		return d.FlexPrice
	case TierPriority, TierFast:
		return d.PriorityPrice
	case TierUltrafast:
		if d.UltrafastPrice != nil {
			return d.UltrafastPrice
		}
		return d.PriorityPrice
	}
	return nil
}

// prices are the per-token rates Cost applies, USD per 1M tokens.
type prices struct{ input, cached, write, write1h, output, reasoning float64 }

// pricesAt returns the rates of tokens served on tier t in a request of
// promptTokens prompt tokens.
func (d *Deployment) pricesAt(t ServiceTier, promptTokens int) prices {
	write := orPrice(d.CacheWritePricePerM, d.InputPricePerM)
	p := prices{
		input: d.InputPricePerM, cached: orPrice(d.CachedInputPricePerM, d.InputPricePerM),
		write: write, write1h: orPrice(d.CacheWrite1hPricePerM, write),
		output: d.OutputPricePerM, reasoning: orPrice(d.ReasoningPricePerM, d.OutputPricePerM),
	}
	tp := d.TierAt(t)
	if b := d.LongPrompt; b != nil && promptTokens > b.AboveTokens && (tp == nil || !tp.Fixed) {
		return d.bandAt(b, tp, p)
	}
	if tp == nil {
		return p
	}
	in, out := ratio(tp.Input, d.InputPricePerM), ratio(tp.Output, d.OutputPricePerM)
	cached := p.cached * in
	if tp.CachedInput > 0 {
		cached = tp.CachedInput
	}
	return prices{input: tp.Input, cached: cached, write: p.write * in, write1h: p.write1h * in,
		output: tp.Output, reasoning: p.reasoning * out}
}

// ratio is tier over standard, 1 when the standard price is 0.
func ratio(tier, standard float64) float64 {
	if standard == 0 {
		return 1
	}
	return tier / standard
}

// RoundUSD rounds a cost in dollars to 1e-12 $, far below any per-token
// price, so that float noise (0.0012012000000000001) does not reach the
// record, the admin API or a header: it reads 0.0012012.
func RoundUSD(v float64) float64 { return math.Round(v*1e12) / 1e12 }

// orPrice returns p, or fallback when p is zero.
func orPrice(p, fallback float64) float64 {
	if p == 0 {
		return fallback
	}
	return p
}
