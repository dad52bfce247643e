package anthropic

import "encoding/json"

// This file holds the Messages API's stream events as they are sent: the
// event and delta types, and the shapes the translator (stream.go) and
// the encoders read and write.

// The stream event types.
const (
	EventMessageStart      = "message_start"
	EventContentBlockStart = "content_block_start"
	EventContentBlockDelta = "content_block_delta"
	EventContentBlockStop  = "content_block_stop"
	EventMessageDelta      = "message_delta"
	EventMessageStop       = "message_stop"
	EventPing              = "ping"
	EventError             = "error"
)

// The content_block_delta types.
const (
	DeltaText      = "text_delta"
	DeltaInputJSON = "input_json_delta"
	DeltaThinking  = "thinking_delta"
	DeltaSignature = "signature_delta"
	DeltaCitations = "citations_delta"
	// DeltaCompaction carries a compaction block's content and
	// encrypted_content, whole.
	DeltaCompaction = "compaction_delta"
)

// StreamEvent is the data of any stream event, for decoding. Type decides
// which fields are set; Delta is decoded per type by BlockDelta or
// MessageDelta.
type StreamEvent struct {
	Type         string            `json:"type"`
	Message      *MessagesResponse `json:"message,omitempty"`
	Index        int               `json:"index"`
	ContentBlock *ContentBlock     `json:"content_block,omitempty"`
	Delta        json.RawMessage   `json:"delta,omitempty"`
	Usage        *DeltaUsage       `json:"usage,omitempty"`
	Error        *ErrorObject      `json:"error,omitempty"`
	// ContextManagement is a message_delta's context_management (what
	// the request's context editing did), as sent.
	ContextManagement json.RawMessage `json:"context_management,omitempty"`
}

// BlockDelta is the delta of a content_block_delta event.
type BlockDelta struct {
	Type        string `json:"type"`
	Text        string `json:"text,omitempty"`
	PartialJSON string `json:"partial_json,omitempty"`
	Thinking    string `json:"thinking,omitempty"`
	Signature   string `json:"signature,omitempty"`
	// Citation is a citations_delta's citation, as sent.
	Citation json.RawMessage `json:"citation,omitempty"`
	// Content and EncryptedContent are a compaction_delta's, as sent
	// (nil for null or absent).
	Content          *string `json:"content,omitempty"`
	EncryptedContent *string `json:"encrypted_content,omitempty"`
}

// MessageDelta is the delta of a message_delta event.
type MessageDelta struct {
	StopReason   *string      `json:"stop_reason"`
	StopSequence *string      `json:"stop_sequence"`
	StopDetails  *StopDetails `json:"stop_details"`
	// Container is the code execution container the message used.
	Container json.RawMessage `json:"container,omitempty"`
}

// DeltaUsage is the usage of a message_delta event. Its counts are
// cumulative for the whole message; the input counts are optional (nil
// when not sent).
type DeltaUsage struct {
	InputTokens              *int                 `json:"input_tokens,omitempty"`
	CacheCreationInputTokens *int                 `json:"cache_creation_input_tokens,omitempty"`
	CacheReadInputTokens     *int                 `json:"cache_read_input_tokens,omitempty"`
	OutputTokens             int                  `json:"output_tokens"`
	OutputTokensDetails      *OutputTokensDetails `json:"output_tokens_details,omitempty"`
	// ServerToolUse is Usage.ServerToolUse: null when no server tool ran.
	ServerToolUse *ServerToolUsage `json:"server_tool_use"`
	// FallbackCredit is Usage.FallbackCredit, as sent; nil when not.
	FallbackCredit json.RawMessage `json:"fallback_credit,omitempty"`
	// Iterations is Usage.Iterations, as sent; nil when not.
	Iterations []UsageIteration `json:"iterations,omitempty"`
}
