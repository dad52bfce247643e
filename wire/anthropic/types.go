// Package anthropic holds the wire types of Anthropic's Messages API
// (POST /v1/messages) and the translation between them and Switchyard's
// canonical llm types: FromLLM builds a request, ToLLM reads a response,
// StreamTranslator turns the SSE event stream, event by event, into
// OpenAI-shaped chunks, and EventWriter and the Encode functions write the
// same wire format back (for the simulator and inbound Anthropic clients).
//
// The types follow the public API reference (the OpenAPI spec and the
// official SDKs' generated types) field for field, in the order the real API
// writes them, so encoded output is byte-compatible with what
// api.anthropic.com sends.
package anthropic

import (
	"bytes"
	"encoding/json"
)

// DefaultVersion is the anthropic-version header value sent when the
// provider config names none.
const DefaultVersion = "2023-06-01"

// MessagesRequest is the body of POST /v1/messages.
type MessagesRequest struct {
	// Betas are the betas of the anthropic-beta header (KeptBetas) the
	// request is read under, and sent with; they are not in the body.
	Betas    []string  `json:"-"`
	Model    string    `json:"model"`
	Messages []Message `json:"messages"`
	// System is the system prompt; it decodes from a string or an array of
	// text blocks and encodes as an array. Empty means none.
	System Blocks `json:"system,omitempty"`
	// MaxTokens is required by the API; nil means the field is absent.
	MaxTokens     *int     `json:"max_tokens,omitempty"`
	StopSequences []string `json:"stop_sequences,omitempty"`
	// Temperature, TopP and TopK are nil when unset (the model's default).
	Temperature *float64    `json:"temperature,omitempty"`
	TopP        *float64    `json:"top_p,omitempty"`
	TopK        *int        `json:"top_k,omitempty"`
	Tools       []Tool      `json:"tools,omitempty"`
	ToolChoice  *ToolChoice `json:"tool_choice,omitempty"`
	Metadata    *Metadata   `json:"metadata,omitempty"`
	Stream      bool        `json:"stream,omitempty"`
	Thinking    *Thinking   `json:"thinking,omitempty"`
	// ServiceTier is "auto" or "standard_only"; empty means unset.
	ServiceTier string `json:"service_tier,omitempty"`
	// CacheControl, at the top level, marks the last cacheable block.
	CacheControl *CacheControl `json:"cache_control,omitempty"`
	// OutputConfig carries native structured output (output_config.format)
	// and effort; FromLLM sets its format for a JSON Schema a model can
	// take natively (see FromLLM on JSON mode).
	OutputConfig *OutputConfig `json:"output_config,omitempty"`
	// OutputFormat is the structured-outputs beta's spelling of
	// output_config.format, which the API still takes; nil when absent.
	// Inbound requests read it (Format); FromLLM never writes it.
	OutputFormat *OutputFormat `json:"output_format,omitempty"`
	// Container, MCPServers and ContextManagement are kept as sent (nil
	// when absent): they configure tools and context editing that run on
	// Anthropic's servers.
	Container         json.RawMessage `json:"container,omitempty"`
	MCPServers        json.RawMessage `json:"mcp_servers,omitempty"`
	ContextManagement json.RawMessage `json:"context_management,omitempty"`
	// Compaction makes the request a compaction request (compaction.go):
	// {"type":"summarize","instructions"?:…}, kept as sent; nil when
	// absent.
	Compaction json.RawMessage `json:"compaction,omitempty"`
	// InferenceGeo is where the request may be served; empty means unset.
	InferenceGeo string `json:"inference_geo,omitempty"`
	// Speed is "standard" or "fast" (fast mode, fast.go); empty means
	// unset.
	Speed string `json:"speed,omitempty"`
	// Diagnostics is sent by anthropic-sdk-go v2 when set; kept as sent,
	// nil when absent.
	Diagnostics json.RawMessage `json:"diagnostics,omitempty"`
	// Fallbacks and FallbackCreditToken are the refusal-fallback fields,
	// kept as sent (nil when absent) and read by FallbacksToLLM and
	// FallbackCreditToLLM (fallbacks.go).
	Fallbacks           json.RawMessage `json:"fallbacks,omitempty"`
	FallbackCreditToken json.RawMessage `json:"fallback_credit_token,omitempty"`
	// BillingPolicy is who is billed (billing.go); nil when absent.
	BillingPolicy *BillingPolicy `json:"billing_policy,omitempty"`
	// UserProfileID is the anthropic-user-profile-id header the request
	// is read under, and sent with (billing.go); not in the body.
	UserProfileID string `json:"-"`
	// Thread is the message thread the request creates or continues
	// (thread.go); nil when absent. The router holds threads itself, so
	// it is never sent upstream.
	Thread *Thread `json:"thread,omitempty"`
}

// Message is one input turn. Role is "user" or "assistant".
type Message struct {
	Role string `json:"role"`
	// Content decodes from a string (one text block) or an array of blocks.
	Content Blocks `json:"content"`
	// OutputConfig is a system message's per-turn output configuration
	// (per_turn.go); nil when absent.
	OutputConfig *TurnOutputConfig `json:"output_config,omitempty"`
}

// The content block types this package interprets. Other types decode
// into a ContentBlock with only Type and Raw set and encode back verbatim.
const (
	BlockText             = "text"
	BlockImage            = "image"
	BlockToolUse          = "tool_use"
	BlockToolResult       = "tool_result"
	BlockThinking         = "thinking"
	BlockRedactedThinking = "redacted_thinking"
	BlockDocument         = "document"
)

// ContentBlock is one block of message content, in a request or a response.
// Type decides which fields are meaningful:
//
//	text               Text (and Citations, as sent)
//	image              Source
//	tool_use           ID, Name, Input
//	tool_result        ToolUseID, Content, IsError
//	thinking           Thinking, Signature
//	redacted_thinking  Data
//	document           Source, Title, Context, Citations (its configuration)
//
// Any other type keeps the block as sent in Raw.
type ContentBlock struct {
	Type string
	Text string
	// Citations is passed through as sent; nil means none. A text
	// block's are the citations it makes, a document's its citations
	// configuration ({"enabled":true}).
	Citations json.RawMessage
	Source    *ImageSource
	ID        string
	Name      string
	// Input is the tool input object; nil encodes as {}.
	Input     json.RawMessage
	ToolUseID string
	// Content is a tool result's content; it decodes from a string or an
	// array, and HasContent reports whether the field was present.
	Content    Blocks
	HasContent bool
	IsError    bool
	Thinking   string
	Signature  string
	Data       string
	// Title and Context are a document's; "" means none.
	Title, Context string
	// CacheControl marks a prompt-cache breakpoint at this block.
	CacheControl *CacheControl
	// Raw is the block as sent, kept for types this package does not model.
	Raw json.RawMessage
}

// ImageSource is an image's or a document's origin: Type "base64" with
// MediaType and Data, or Type "url" with URL; for a document also Type
// "text" with MediaType "text/plain" and the text in Data, or Type
// "content" with Content (a string, or text and image blocks); for
// either, Type "file" with FileID, a file uploaded with the Files API
// (the router inlines one it holds: api/anthropic).
type ImageSource struct {
	Type      string          `json:"type"`
	MediaType string          `json:"media_type,omitempty"`
	Data      string          `json:"data,omitempty"`
	URL       string          `json:"url,omitempty"`
	Content   json.RawMessage `json:"content,omitempty"`
	FileID    string          `json:"file_id,omitempty"`
}

// CacheControl is a prompt-cache breakpoint; Type is "ephemeral" and TTL,
// when set, "5m" or "1h"; Scope, under the prompt-caching-scope beta,
// "global" (cache_scope.go).
type CacheControl struct {
	Type  string `json:"type"`
	TTL   string `json:"ttl,omitempty"`
	Scope string `json:"scope,omitempty"`
}

// Tool is a tool the model may call.
type Tool struct {
	// Type is "custom" or empty (the same) for a tool the client
	// declares; other values are Anthropic-defined client tools
	// (LookupDefinedTool) and server tools (ServerToolTypes), which have no
	// input_schema.
	Type        string `json:"type,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// InputSchema is the JSON Schema of a custom tool's input; its type
	// is "object".
	InputSchema  json.RawMessage `json:"input_schema,omitempty"`
	CacheControl *CacheControl   `json:"cache_control,omitempty"`
	// Strict asks for calls whose input follows InputSchema exactly
	// (structured outputs' strict tool use); false leaves it out.
	Strict bool `json:"strict,omitempty"`
	// The options of llm.AnthropicToolOptions, as sent.
	EagerInputStreaming *bool           `json:"eager_input_streaming,omitempty"`
	DeferLoading        *bool           `json:"defer_loading,omitempty"`
	AllowedCallers      []string        `json:"allowed_callers,omitempty"`
	InputExamples       json.RawMessage `json:"input_examples,omitempty"`
	// MaxCharacters caps what the text editor's view shows (only
	// text_editor_20250728 takes it).
	MaxCharacters *int `json:"max_characters,omitempty"`
	// Raw is a server tool's declaration (ServerToolTypes) as the client
	// wrote it, which MessagesRequest.MarshalJSON writes as it is; nil
	// for every other tool. Only Type, Name and CacheControl are read
	// from it.
	Raw json.RawMessage `json:"-"`
}

// The tool_choice types.
const (
	ToolChoiceAuto = "auto"
	ToolChoiceAny  = "any"
	ToolChoiceTool = "tool"
	ToolChoiceNone = "none"
)

// ToolChoice constrains tool use. Name is set for type "tool".
type ToolChoice struct {
	Type                   string `json:"type"`
	Name                   string `json:"name,omitempty"`
	DisableParallelToolUse bool   `json:"disable_parallel_tool_use,omitempty"`
}

// Metadata is the request's metadata; UserID is an opaque end-user id.
type Metadata struct {
	UserID string `json:"user_id,omitempty"`
}

// Thinking configures extended thinking: Type "enabled" (with
// BudgetTokens, at least 1024), "adaptive" or "disabled".
type Thinking struct {
	Type         string `json:"type"`
	BudgetTokens int    `json:"budget_tokens,omitempty"`
	Display      string `json:"display,omitempty"`
}

// OutputConfig is the request's output_config.
type OutputConfig struct {
	Format *OutputFormat `json:"format,omitempty"`
	Effort string        `json:"effort,omitempty"`
	// TaskBudget is the task-budgets beta's advisory token budget
	// (task_budget.go), kept as sent; nil when absent.
	TaskBudget json.RawMessage `json:"task_budget,omitempty"`
}

// OutputFormat is a native structured-output format: Type "json_schema".
type OutputFormat struct {
	Type   string          `json:"type"`
	Schema json.RawMessage `json:"schema,omitempty"`
}

// The stop reasons.
const (
	StopEndTurn      = "end_turn"
	StopMaxTokens    = "max_tokens"
	StopStopSequence = "stop_sequence"
	StopToolUse      = "tool_use"
	StopPauseTurn    = "pause_turn"
	StopRefusal      = "refusal"
	// StopContextWindow: the answer filled the rest of the model's context
	// window (Claude Sonnet 4.5 and later), a cut answer like max_tokens.
	StopContextWindow = "model_context_window_exceeded"
)

// MessagesResponse is a complete (non-streamed) response, and the message
// skeleton of a stream's message_start event.
type MessagesResponse struct {
	ID   string `json:"id"`
	Type string `json:"type"` // always "message"
	Role string `json:"role"` // always "assistant"
	// Model is the model that answered.
	Model   string         `json:"model"`
	Content []ContentBlock `json:"content"`
	// StopReason is nil in message_start and set otherwise.
	StopReason   *string `json:"stop_reason"`
	StopSequence *string `json:"stop_sequence"`
	// StopDetails says more of the stop (a refusal's category and
	// explanation); null when there is nothing more to say.
	StopDetails *StopDetails `json:"stop_details"`
	Usage       Usage        `json:"usage"`
	// Container is the code execution container the request used
	// ({id, expires_at, skills}); absent or null for none.
	Container json.RawMessage `json:"container,omitempty"`
	// ContextManagement is what the request's context editing did
	// ({"applied_edits":[…]}); absent or null when it asked for none.
	ContextManagement json.RawMessage `json:"context_management,omitempty"`
}

// ContainerOf is a container (or context_management) member as llm
// carries it: nil for an absent or null one.
func ContainerOf(raw json.RawMessage) json.RawMessage {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return nil
	}
	return raw
}

// StopDetails is the structured detail of a stop: for stop_reason
// "refusal", type "refusal", the policy category that triggered it
// ("cyber", "bio", …) and a human-readable explanation, each null when
// the API has none.
type StopDetails struct {
	Type        string  `json:"type"`
	Category    *string `json:"category"`
	Explanation *string `json:"explanation"`
	// FallbackCreditToken (with FallbackHasPrefillClaim) is the code a
	// retry of the refused request redeems (fallback_credit_token); nil
	// when the API sent none.
	FallbackCreditToken     *string `json:"fallback_credit_token,omitempty"`
	FallbackHasPrefillClaim *bool   `json:"fallback_has_prefill_claim,omitempty"`
}

// Usage counts a response's tokens. The prompt's total is InputTokens +
// CacheCreationInputTokens + CacheReadInputTokens.
type Usage struct {
	InputTokens              int            `json:"input_tokens"`
	CacheCreationInputTokens int            `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int            `json:"cache_read_input_tokens"`
	CacheCreation            *CacheCreation `json:"cache_creation,omitempty"`
	OutputTokens             int            `json:"output_tokens"`
	// OutputTokensDetails, when sent, breaks down OutputTokens.
	OutputTokensDetails *OutputTokensDetails `json:"output_tokens_details,omitempty"`
	// ServerToolUse counts the server tools' requests; nil when not sent
	// or null. The API sends it always (required in its schema and in
	// anthropic-sdk-go's Usage), null when no server tool ran, and so
	// does an encoded nil.
	ServerToolUse *ServerToolUsage `json:"server_tool_use"`
	ServiceTier   string           `json:"service_tier,omitempty"`
	// InferenceGeo is where the request ran ("global", "us",
	// "not_available").
	InferenceGeo string `json:"inference_geo,omitempty"`
	// Speed is the speed that served the request ("standard", "fast").
	Speed string `json:"speed,omitempty"`
	// Iterations breaks the usage down by sampling iteration
	// (usage.iterations); nil when not sent.
	Iterations []UsageIteration `json:"iterations,omitempty"`
	// FallbackCredit is the outcome of the request's fallback_credit_token
	// ({"status":{"type":"redeemed"}} or not_applied with a reason); nil
	// when not sent.
	FallbackCredit json.RawMessage `json:"fallback_credit,omitempty"`
}

// UsageIteration is one entry of usage.iterations: Type "message" (a
// model's sampling), "fallback_message" (a fallback model's sampling
// after a refusal) or "compaction" (a compaction's own summary, which
// carries no Model and is not counted in the top-level usage).
type UsageIteration struct {
	Type                     string         `json:"type"`
	Model                    string         `json:"model,omitempty"`
	InputTokens              int            `json:"input_tokens"`
	CacheCreationInputTokens int            `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int            `json:"cache_read_input_tokens"`
	CacheCreation            *CacheCreation `json:"cache_creation,omitempty"`
	OutputTokens             int            `json:"output_tokens"`
}

// ServerToolUsage counts the requests server tools made for an answer.
type ServerToolUsage struct {
	WebSearchRequests int `json:"web_search_requests"`
	WebFetchRequests  int `json:"web_fetch_requests"`
}

// CacheCreation splits cache-write tokens by TTL.
type CacheCreation struct {
	Ephemeral5mInputTokens int `json:"ephemeral_5m_input_tokens"`
	Ephemeral1hInputTokens int `json:"ephemeral_1h_input_tokens"`
}

// OutputTokensDetails breaks down output tokens; ThinkingTokens are
// included in OutputTokens.
type OutputTokensDetails struct {
	ThinkingTokens int `json:"thinking_tokens"`
}
