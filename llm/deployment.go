package llm

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
	// EffortDial reports that the deployment's model has one dial for
	// how hard it thinks (OpenAI's reasoning_effort and reasoning.effort,
	// Gemini's thinkingLevel and thinkingBudget), which an Anthropic
	// client's effort sets (Request.DialReasoning): every kind but
	// Anthropic, whose Claude models take the effort itself. The gateway
	// sets it by the provider's kind.
	EffortDial bool
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
	// TextContent says how an OpenAI-wire deployment is sent a message
	// of text alone (its config text_content); TextContentAuto decides
	// by the provider's host.
	TextContent TextContent
	// StreamOptions says whether an OpenAI-wire deployment's streamed
	// requests ask for the usage chunk (stream_options.include_usage; its
	// config stream_options); PassBackAuto decides by the provider's
	// host.
	StreamOptions PassBack
	// ThinkTags says whether an OpenAI-wire deployment's answers are read
	// for reasoning between <think> tags in the content (its config
	// think_tags); ThinkTagsAuto decides by the model id.
	ThinkTags ThinkTags
	// ReasoningEfforts are the reasoning efforts an OpenAI-wire
	// deployment's model takes, weakest first (its config
	// reasoning_efforts), in place of those its model id gives; nil means
	// by the model id. The slice is shared: never modify it.
	ReasoningEfforts []Effort
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
	// WebSearchPrice is the USD price of one web search the answer counts
	// (Usage.WebSearchRequests); nil means WebSearchUSD, Claude's and
	// OpenAI's. Package cost sets a Gemini deployment's (Grounding with
	// Google Search: GeminiGroundedPromptUSD before Gemini 3,
	// GeminiSearchQueryUSD since) and a configured price.web_search.
	WebSearchPrice *float64
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
