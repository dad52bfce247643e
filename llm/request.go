// Package llm holds Switchyard's domain types: the canonical chat and
// embeddings requests and responses that every inbound API decodes into and
// every provider adapter translates from, plus usage, deployments and the one
// error type. It imports nothing of the project's own.
package llm

import "encoding/json"

// Role is the author of a message.
type Role string

// The roles a canonical message may carry.
const (
	RoleSystem    Role = "system"
	RoleDeveloper Role = "developer"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// PartType is the kind of one piece of message content.
type PartType string

// The content part types. PartDocument carries a document (a PDF, plain
// text, or text and images given as one document; see Document).
// PartOther carries a part the router does not interpret (audio, files
// that are not PDFs, files by id…); adapters that can pass it through use
// Raw.
const (
	PartText     PartType = "text"
	PartImage    PartType = "image_url"
	PartDocument PartType = "document"
	PartOther    PartType = "other"
)

// Part is one piece of message content. A text part is a type and a
// string; the fields of image and pass-through parts sit behind Extra, so a
// long conversation of text parts holds 40 bytes per part, not 88.
type Part struct {
	Type PartType
	// Text is set for PartText.
	Text string
	// Extra holds the fields of a PartImage or PartOther part and a
	// prompt-cache breakpoint; nil means they are all empty (always so for
	// a PartText without a breakpoint). Read them with ImageURL,
	// ImageDetail, Raw and Cache, which handle nil.
	Extra *PartExtra
}

// PartExtra holds the rarely set fields of a Part.
type PartExtra struct {
	// ImageURL is an http(s) URL or a data: URI, set for PartImage.
	ImageURL string
	// ImageDetail is "auto", "low" or "high"; empty means unspecified.
	ImageDetail string
	// Raw is the part as the client sent it, for PartOther; for a
	// PartDocument, the OpenAI file part it was decoded from (which an
	// OpenAI-format upstream gets back as sent), nil when it came from
	// another wire format.
	Raw json.RawMessage
	// Document is the document of a PartDocument.
	Document *Document
	// Cache is a prompt-cache breakpoint at the end of the part (see
	// CacheTTL); NoCache means none.
	Cache CacheTTL
	// CacheScope is the sharing scope of that breakpoint, as an Anthropic
	// client sent it (cache_control.scope, "global" under the
	// prompt-caching-scope beta: see CacheScopeGlobal); "" for the
	// default. Only a Claude upstream is sent it.
	CacheScope string
}

// ImagePart returns a PartImage part; an empty detail means unspecified.
func ImagePart(url, detail string) Part {
	return Part{Type: PartImage, Extra: &PartExtra{ImageURL: url, ImageDetail: detail}}
}

// OtherPart returns a PartOther part holding raw, the part as the client
// sent it.
func OtherPart(raw json.RawMessage) Part {
	return Part{Type: PartOther, Extra: &PartExtra{Raw: raw}}
}

// ImageURL returns the image's URL, or "" when p has none.
func (p *Part) ImageURL() string {
	if p.Extra == nil {
		return ""
	}
	return p.Extra.ImageURL
}

// ImageDetail returns the image's detail, or "" when unspecified.
func (p *Part) ImageDetail() string {
	if p.Extra == nil {
		return ""
	}
	return p.Extra.ImageDetail
}

// Raw returns the part as the client sent it, or nil when p has none.
func (p *Part) Raw() json.RawMessage {
	if p.Extra == nil {
		return nil
	}
	return p.Extra.Raw
}

// Message is one turn of a conversation. Role, content and the two flags
// are inline; the rarely set fields (name, tool calls, tool call ID,
// refusal) sit behind Extra, so a long conversation of plain turns holds 56
// bytes per message, not 120.
type Message struct {
	Role Role
	// Content is the message's content in order. A message the client sent
	// with a plain string has one PartText part and StringContent set, so
	// it can be encoded back the same way.
	Content []Part
	// Extra holds the rarely set fields; nil means they are all empty.
	// Read them with Name, ToolCalls, ToolCallID and Refusal, which handle
	// nil; change them with the setters, which never write through a
	// shared Extra (copies of a Message share it).
	Extra *MessageExtra
	// StringContent records that the client sent Content as a plain string
	// (see Content). It sits next to Prefix so that the two flags share
	// one word: a long conversation holds one Message per turn.
	StringContent bool
	// Prefix marks a final assistant message as a prefix for the model to
	// continue (DeepSeek chat prefix completion); encoders of wire formats
	// that have no such flag ignore it.
	Prefix bool
}

// Text returns the concatenation of the message's text parts.
func (m *Message) Text() string {
	if len(m.Content) == 1 {
		return m.Content[0].Text
	}
	n := 0
	for i := range m.Content {
		n += len(m.Content[i].Text)
	}
	b := make([]byte, 0, n)
	for i := range m.Content {
		b = append(b, m.Content[i].Text...)
	}
	return string(b)
}

// TextMessage returns a message with a single text part.
func TextMessage(role Role, text string) Message {
	return Message{Role: role, Content: []Part{{Type: PartText, Text: text}}, StringContent: true}
}

// ResponseFormatType is the kind of output the caller asks for.
type ResponseFormatType string

// The response formats.
const (
	FormatText       ResponseFormatType = "text"
	FormatJSONObject ResponseFormatType = "json_object"
	FormatJSONSchema ResponseFormatType = "json_schema"
)

// ResponseFormat asks for structured output.
type ResponseFormat struct {
	Type ResponseFormatType
	// Name, Description, Schema and Strict are set for FormatJSONSchema.
	Name        string
	Description string
	Schema      json.RawMessage
	Strict      *bool
}

// Request is a canonical chat completion request.
type Request struct {
	// Model is the name the client asked for; after routing, the dispatcher
	// sets it to the upstream model name before calling a provider.
	Model string
	// Alias is the name the client asked for when Model was resolved from
	// it (an alias of a route or deployment, or a deployment's upstream
	// model id: route.Policy.Resolve); empty when it named one itself.
	Alias string
	// BaseModel is set by the dispatcher with Model: the deployment's
	// base_model when Model is an alias (Deployment.BaseModel), else
	// empty. Adapters read model-dependent rules from ModelID.
	BaseModel string
	// StructuredOutput is set by the dispatcher with Model: the
	// deployment's structured_output setting (Deployment.StructuredOutput),
	// how an adapter whose API has a native JSON-schema mode answers
	// ResponseFormat; empty means by the model id.
	StructuredOutput StructuredOutput
	// API is set by the dispatcher with Model: the deployment's upstream
	// API (Deployment.API), which an OpenAI-wire adapter calls; APIAuto
	// means by the model id.
	API UpstreamAPI
	// ReasoningContent is set by the dispatcher with Model: the
	// deployment's reasoning_content setting (Deployment.ReasoningContent),
	// whether an OpenAI-wire adapter sends the assistant turns' reasoning
	// text back; ReasoningContentAuto means by the model id.
	ReasoningContent ReasoningContent
	// ThoughtSignatures is set by the dispatcher with Model: the
	// deployment's thought_signatures setting
	// (Deployment.ThoughtSignatures); PassBackAuto means by the host.
	ThoughtSignatures PassBack
	// ReasoningDetails is set by the dispatcher with Model: the
	// deployment's reasoning_details setting (Deployment.ReasoningDetails);
	// PassBackAuto means by the host.
	ReasoningDetails PassBack
	// TextContent is set by the dispatcher with Model: the deployment's
	// text_content setting (Deployment.TextContent); TextContentAuto
	// means by the host.
	TextContent TextContent
	// StreamOptions is set by the dispatcher with Model: the deployment's
	// stream_options setting (Deployment.StreamOptions); PassBackAuto
	// means by the host.
	StreamOptions PassBack
	// ThinkTags is set by the dispatcher with Model: the deployment's
	// think_tags setting (Deployment.ThinkTags); ThinkTagsAuto means by
	// the model id.
	ThinkTags ThinkTags
	// ReasoningEfforts is set by the dispatcher with Model: the
	// reasoning efforts the deployment declares its model takes, weakest
	// first (Deployment.ReasoningEfforts); nil means by the model id. An
	// OpenAI-wire adapter sends the nearest of them to the level asked.
	// The slice is shared: never modify it.
	ReasoningEfforts []Effort
	Messages         []Message

	Tools             []Tool
	ToolChoice        *ToolChoice
	ParallelToolCalls *bool
	ResponseFormat    *ResponseFormat

	// Sampling and limits; nil means unset (the upstream's default).
	Temperature      *float64
	TopP             *float64
	MaxTokens        *int
	Stop             []string
	Seed             *int64
	PresencePenalty  *float64
	FrequencyPenalty *float64
	N                *int
	// TopK samples from the k likeliest tokens; nil means unset. Only the
	// Anthropic and Gemini wire formats have it; OpenAI-format upstreams
	// never see it (their API has no such field).
	TopK *int
	// Logprobs asks for the log probability of every output token, and
	// TopLogprobs (0 to MaxTopLogprobs) for that many of the likeliest
	// tokens at each position as well. Only the OpenAI and Gemini wire
	// formats can answer; the router never routes such a request to a
	// deployment that cannot (capability CapLogprobs).
	Logprobs    bool
	TopLogprobs int
	// Reasoning asks a reasoning model to think (effort or budget); nil
	// means the client asked nothing (the upstream's default). The
	// dispatcher removes it for a deployment that cannot reason.
	Reasoning *Reasoning
	// ShowsReasoningText reports that the client's API shows the
	// reasoning text an OpenAI-compatible host writes beside its answer
	// (Chat Completions' reasoning_content, as DeepSeek writes it): the
	// adapter of such a host passes it on whatever Reasoning asks. False
	// leaves that to Reasoning.Show.
	ShowsReasoningText bool
	// HideReasoning reports that the client asked the reasoning kept out
	// of the answer while the model still reasons (OpenRouter's
	// reasoning.exclude): no reasoning text reaches it, whatever
	// ShowsReasoningText says.
	HideReasoning bool
	// OpenRouterReasoning is OpenRouter's reasoning object as the client
	// sent it on Chat Completions ({"effort": "high"}, {"max_tokens": N},
	// {"exclude": true}, {"enabled": true}); nil when it sent none. Its
	// meaning is in Reasoning and HideReasoning, which every adapter
	// maps; an OpenRouter upstream is sent the object itself.
	OpenRouterReasoning json.RawMessage

	User     string
	Metadata map[string]string

	// ServiceTier is the processing tier the client asked for (OpenAI's
	// service_tier, Anthropic's mapped onto it; see ServiceTier); empty
	// means unset (the upstream's default). Only OpenAI (api.openai.com,
	// recent Azure versions, hosts configured to take it) and Anthropic
	// deployments are sent it.
	ServiceTier ServiceTier
	// InferenceGeo is the geography the client requires inference to run
	// in (Anthropic's inference_geo, the x-switchyard-inference-geo
	// header); "" means unset, as GeoGlobal. A request requiring GeoUS is
	// routed only to deployments that keep inference in the US: a Claude
	// API deployment whose model takes inference_geo (it is sent the
	// field) or one configured inference_geo: us.
	InferenceGeo InferenceGeo
	// Speed is the output speed the client asked for (Anthropic's speed):
	// SpeedFast asks a Claude deployment whose model has fast mode for it
	// (a preference: no deployment is excluded for it); "" means unset,
	// as SpeedStandard. See WantsFast.
	Speed Speed

	Stream bool
	// IncludeUsage asks for a final usage chunk on a stream.
	IncludeUsage bool
	// ClientCaching reports that the client's API lets it place
	// prompt-cache breakpoints itself (Anthropic's Messages API): the
	// breakpoints it placed, or its choice of none, are final, and a
	// provider's automatic placement (prompt_cache: auto) adds none.
	ClientCaching bool
	// PromptCache is OpenAI's prompt_cache_options as the client sent
	// them; only OpenAI models with explicit prompt caching are sent them.
	PromptCache CacheOptions
	// AnthropicBetas are the betas an Anthropic client named in its
	// anthropic-beta header that a Claude deployment is sent too
	// (anthropic.ForwardedBetas); other deployments ignore them.
	AnthropicBetas []string
	// SystemInPlace reports that the client's API places system messages
	// inside the conversation (Anthropic's role "system" messages in
	// messages, which Claude Code sends): an Anthropic deployment gets
	// each where it stands, not lifted into the top-level system prompt
	// (which would also change the cached prefix). Leading system
	// messages are the system prompt either way.
	SystemInPlace bool
	// ContextManagement is Anthropic's context editing (the beta
	// context_management object: which old tool results or thinking the
	// server clears as the context grows), as an Anthropic client sent
	// it; only Claude deployments get it, with its beta header. Nil for
	// none.
	ContextManagement json.RawMessage
	// AnthropicCompaction is the compaction block an Anthropic client's
	// conversation starts with (see AnthropicCompaction); nil for none.
	AnthropicCompaction *AnthropicCompaction
	// AnthropicTaskBudget is Anthropic's output_config.task_budget (the
	// beta {"type":"tokens","total":…,"remaining":…} object: an advisory
	// token budget for an agentic loop), as an Anthropic client sent it;
	// only the Claude models that take it get it. Nil for none.
	AnthropicTaskBudget json.RawMessage
	// AnthropicContainer is Anthropic's container (the code execution
	// tool's container: an id, or an object with an id and skills), as an
	// Anthropic client sent it; only Claude deployments can serve it (see
	// AnthropicServerTools). Nil for none.
	AnthropicContainer json.RawMessage
	// AnthropicTools are the tools an Anthropic client declared (its
	// request's tools) when its conversation changes them (tool_addition
	// and tool_removal blocks, Message.ToolChanges): a Claude API
	// deployment is sent these and the changes in place, and Tools is
	// then the tool set in effect at the end of the conversation, which
	// every other deployment is offered. Nil when nothing changes them.
	AnthropicTools []Tool
	// AnthropicBilling is an Anthropic client's billing_policy and
	// anthropic-user-profile-id header (see AnthropicBilling); nil when
	// it sent neither.
	AnthropicBilling *AnthropicBilling
	// OutputEffort is Anthropic's output_config.effort as an Anthropic
	// client sent it: how many tokens Claude spends on the whole answer,
	// thinking or not. Only Claude models that take it get it; "" for
	// none.
	OutputEffort Effort
	// ThinkingOff reports that an Anthropic client turned thinking off
	// (thinking {"type": "disabled"}, Reasoning then nil): with an effort
	// (AnthropicEffort) a deployment with one effort dial is sent its
	// lowest (DialReasoning), and a Claude model that thinks unasked the
	// least thinking it takes.
	ThinkingOff bool
	// TurnEffort is the effort of the last system message that sets one
	// (Anthropic's per-turn output_config, Message.TurnEffort): it applies
	// to this answer in place of OutputEffort; "" for none.
	TurnEffort Effort
	// Fallbacks is the client's request for refusal fallback (Anthropic's
	// fallbacks); nil for none.
	Fallbacks *Fallbacks
	// FallbackCredit is Anthropic's fallback_credit_token as the client
	// sent it, for Claude deployments alone; nil for none.
	FallbackCredit FallbackCredit

	// OpenAIHosted is what a Responses API client asked of OpenAI's
	// hosted tools (see OpenAIHosted); nil for none.
	OpenAIHosted *OpenAIHosted

	// Completion is set on a legacy completions request (its prompt);
	// nil for every other.
	Completion *Completion

	// Extra holds top-level fields the router does not model, passed through
	// verbatim to upstreams that speak the same wire format.
	Extra map[string]json.RawMessage
}

// ModelID is the id that model-dependent rules read: BaseModel if set,
// else Model.
func (r *Request) ModelID() string {
	if r.BaseModel != "" {
		return r.BaseModel
	}
	return r.Model
}
