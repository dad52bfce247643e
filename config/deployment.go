package config

import (
	"cmp"
	"slices"
	"time"

	"switchyard/llm"
)

// Deployment is one upstream model on one provider.
type Deployment struct {
	// Name is the deployment's key in Config.Deployments; empty means the
	// key. Clients may ask for it as a model name, or for one of Aliases.
	Name    string
	Aliases []string
	// Provider names the provider in Config.Providers that serves it.
	Provider string
	// Model is the upstream model name; empty means Name.
	Model string
	// BaseModel is the model the deployment runs when Model does not say
	// it (an Azure deployment's name, a self-hosted server's alias): the
	// price catalog and the rules that depend on a model's id (reasoning,
	// OpenAI reasoning models' fixed sampling) read it. Empty means Model.
	BaseModel string
	Price     Price
	// MediaPrice is the price block's media prices (per image, per
	// character, per second); unset fields mean the built-in ones.
	MediaPrice MediaPrice
	// ContextWindow and MaxOutputTokens are in tokens; zero means unknown.
	ContextWindow, MaxOutputTokens int
	// Capabilities are what the model can do, each one of the llm.Cap* constants.
	Capabilities []llm.Capability
	// Quality is a prior of the model's answer quality, from 0 to 1, used
	// by the static routing scorer; zero means unknown (DefaultQuality).
	Quality float64
	// Latency is the model's typical speed; zero fields mean unknown.
	Latency Latency
	// Continuation is how the deployment continues a partial answer sent
	// as an assistant prefill, one of llm.Continuations ("anthropic",
	// "vllm", "deepseek", "none"); empty means "anthropic" for a provider
	// of kind anthropic and "none" otherwise. A stream that breaks is
	// resumed by prefill only on deployments that can continue.
	Continuation string
	// TTFTTimeout is this deployment's time-to-first-token timeout; zero
	// means derived from its declared and observed speed (see
	// docs/resilience.md). A route's explicit tiers.ttft_timeout and the
	// caller's x-switchyard-timeout-ms take precedence over it. It bounds
	// chat and embeddings; the other named endpoints have FirstByte.
	TTFTTimeout time.Duration
	// FirstByte holds this deployment's first-byte timeouts of moderations,
	// speech, images and transcriptions; a route's own take precedence.
	FirstByte FirstByteTimeouts
	// ReasoningContent is whether a deployment of kind openai or azure is
	// sent its assistant turns' reasoning text back as reasoning_content:
	// "send", "omit", or "tags" (in the content, between <think> and
	// </think>); empty means by the model id (DeepSeek's and Kimi's models
	// in thinking mode are sent it, MiniMax-M2 as tags).
	ReasoningContent string
	// ThoughtSignatures is whether a deployment of kind openai is sent
	// its conversation's tool call thought signatures as Google's OpenAI
	// compatibility endpoint takes them (extra_content): "send", "omit";
	// empty means by the provider's base_url (Google's endpoints).
	ThoughtSignatures string
	// ReasoningDetails is whether a deployment of kind openai is sent its
	// assistant turns' reasoning_details back as OpenRouter takes them:
	// "send", "omit"; empty means by the provider's base_url (OpenRouter).
	ReasoningDetails string
	// TextContent is how a deployment of kind openai is sent a message of
	// text alone: "string" (one string, the parts joined by a blank
	// line), "parts" (as the client sent it); empty means by the
	// provider's base_url (a string for DeepSeek's and Groq's APIs).
	TextContent string
	// StreamOptions is whether a deployment of kind openai's streamed
	// requests ask for the usage chunk (stream_options.include_usage):
	// "send", "omit"; empty means by the provider's base_url (every host
	// but Mistral's, which refuses the member and sends usage anyway).
	StreamOptions string
	// ThinkTags is whether a deployment of kind openai or azure has its
	// answers read for reasoning written between <think> and </think> at
	// the start of the content: "on", "off"; empty means by the model id
	// (wire/openai's ThinkTagsModel: DeepSeek-R1 and its distills, QwQ,
	// Qwen3, MiniMax-M2, GLM's reasoning models). See docs/providers.md.
	ThinkTags string
	// ReasoningEfforts are the reasoning efforts a deployment of kind
	// openai or azure's model takes (reasoning_effort's levels, each an
	// llm.Effort), in place of those the router knows by the model id: a
	// request's level is sent as the nearest of them. Nil means by the
	// model id; an empty, non-nil list is the configuration's mistake
	// (reasoning_efforts: []) that Validate reports.
	ReasoningEfforts []llm.Effort
	// StructuredOutput is how an anthropic deployment answers a request
	// for a JSON Schema: "native" (output_config.format), "prompt" (an
	// instruction quoting the schema); empty means native for the models
	// Anthropic documents as supporting it, prompt for the others.
	StructuredOutput string
	// API is the upstream API a deployment of kind openai or azure is
	// called on: APIChatCompletions, APIResponses (kind openai, or azure
	// on its /openai/v1 routes), or APIAuto (also empty): the Responses
	// API for the models OpenAI serves only there (gpt-5.5-pro, o3-pro,
	// the codex models…), Chat Completions for the others.
	API string
	// InferenceGeo is the geography the deployment's inference runs in:
	// "us" declares it US-resident, so it serves requests that require
	// US-only inference (Anthropic's inference_geo "us", the
	// x-switchyard-inference-geo header); a Claude API deployment whose
	// model takes inference_geo is sent "us" on every request. Empty means
	// none declared.
	InferenceGeo string
}

// Latency is a deployment's typical speed, used to check latency budgets
// and to rank by expected latency.
type Latency struct {
	// TTFT is the typical time to the first token; zero means unknown.
	TTFT time.Duration
	// TokensPerSecond is the typical output speed; zero means unknown.
	TokensPerSecond float64
	// PrefillTokensPerSecond is how fast the model reads a prompt; it
	// sets the time-to-first-token allowance of large prompts. Zero means
	// DefaultPrefillTokensPerSecond.
	PrefillTokensPerSecond float64
}

// DefaultPrefillTokensPerSecond is the prompt reading speed assumed for a
// deployment that declares none: 200 ms more time to first token per
// 1,000 prompt tokens.
const DefaultPrefillTokensPerSecond = 5000

// ModelID is the id the price catalog and model-dependent rules read:
// BaseModel, else Model, else the deployment's name (see LLM's ModelID).
func (d *Deployment) ModelID() string { return cmp.Or(d.BaseModel, d.Model, d.Name) }

// LLM returns the deployment as the domain type, priced by its
// configuration alone (package cost completes the price from the built-in
// catalog and marks an unknown one). The capabilities slice is a copy,
// with capability reasoning added when the deployment declares its
// reasoning_efforts (the levels say the model reasons).
func (d *Deployment) LLM() llm.Deployment {
	caps := slices.Clone(d.Capabilities)
	if len(d.ReasoningEfforts) > 0 && !slices.Contains(caps, llm.CapReasoning) {
		caps = append(caps, llm.CapReasoning)
	}
	return llm.Deployment{
		Name:                  d.Name,
		Provider:              d.Provider,
		Model:                 d.Model,
		BaseModel:             d.BaseModel,
		InputPricePerM:        d.Price.Input,
		OutputPricePerM:       d.Price.Output,
		CachedInputPricePerM:  d.Price.CachedInput,
		CacheWritePricePerM:   d.Price.CacheWrite,
		CacheWrite1hPricePerM: d.Price.CacheWrite1h,
		ReasoningPricePerM:    d.Price.Reasoning,
		LongPrompt:            d.Price.LongPrompt.LLM(),
		ContextWindow:         d.ContextWindow,
		MaxOutputTokens:       d.MaxOutputTokens,
		Capabilities:          caps,
		Continuation:          continuation(d.Continuation),
		StructuredOutput:      llm.StructuredOutput(d.StructuredOutput),
		ReasoningContent:      llm.ReasoningContent(d.ReasoningContent),
		ThoughtSignatures:     llm.PassBack(d.ThoughtSignatures),
		ReasoningDetails:      llm.PassBack(d.ReasoningDetails),
		TextContent:           llm.TextContent(d.TextContent),
		StreamOptions:         llm.PassBack(d.StreamOptions),
		ThinkTags:             llm.ThinkTags(d.ThinkTags),
		ReasoningEfforts:      llm.SortedEfforts(d.ReasoningEfforts),
		API:                   upstreamAPI(d.API),
		InferenceGeo:          llm.InferenceGeo(d.InferenceGeo),
	}
}
