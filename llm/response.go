package llm

import (
	"context"
	"encoding/json"
)

// FinishReason says why the model stopped.
type FinishReason string

// The finish reasons, in OpenAI's vocabulary.
const (
	FinishStop          FinishReason = "stop"
	FinishLength        FinishReason = "length"
	FinishToolCalls     FinishReason = "tool_calls"
	FinishContentFilter FinishReason = "content_filter"
)

// Usage counts tokens. Every adapter maps its provider's numbers onto these
// so cost accounting sees the same meaning everywhere:
// PromptTokens includes cached and cache-write tokens; CompletionTokens
// includes reasoning tokens.
type Usage struct {
	PromptTokens     int
	CompletionTokens int
	TotalTokens      int
	// CachedPromptTokens were read from a prompt cache (OpenAI cached_tokens,
	// Anthropic cache_read_input_tokens, Gemini cachedContentTokenCount).
	CachedPromptTokens int
	// CacheWriteTokens were written to a prompt cache (Anthropic
	// cache_creation_input_tokens); zero elsewhere.
	CacheWriteTokens int
	// CacheWrite1hTokens are the part of CacheWriteTokens written with the
	// one-hour lifetime (Anthropic cache_creation.ephemeral_1h_input_tokens),
	// priced apart; the rest of CacheWriteTokens are 5-minute writes.
	CacheWrite1hTokens int
	// ReasoningTokens are hidden thinking tokens (OpenAI reasoning_tokens,
	// Gemini thoughtsTokenCount, Anthropic thinking when reported).
	ReasoningTokens int
	// AudioPromptTokens and AudioCompletionTokens are OpenAI audio counts.
	AudioPromptTokens     int
	AudioCompletionTokens int
	// CachedAudioPromptTokens are the part of CachedPromptTokens that are
	// audio (the Realtime API's cached_tokens_details.audio_tokens),
	// priced at the cached audio price; AudioPromptTokens counts none of
	// them.
	CachedAudioPromptTokens int `json:",omitempty"`
	// AcceptedPredictionTokens and RejectedPredictionTokens are OpenAI
	// predicted-output counts.
	AcceptedPredictionTokens int
	RejectedPredictionTokens int
	// Estimated reports counts the router estimated (package cost) because
	// the upstream reported none, as for a stream cut before its usage.
	Estimated bool `json:",omitempty"`
	// WebSearchRequests and WebFetchRequests count the server tool
	// requests an Anthropic deployment made answering (usage's
	// server_tool_use): web searches are priced per request.
	// An OpenAI deployment's web_search_call items count as
	// WebSearchRequests too (OpenAI's web search costs the same).
	WebSearchRequests int `json:",omitempty"`
	WebFetchRequests  int `json:",omitempty"`
	// FileSearchCalls and ContainerSessions count the hosted tool calls
	// an OpenAI deployment made answering on the Responses API: its
	// file_search_call items, and the code interpreter containers its
	// code_interpreter_call items ran in (each distinct container_id
	// once). Priced per call and per session (Deployment.Cost).
	FileSearchCalls   int `json:",omitempty"`
	ContainerSessions int `json:",omitempty"`
	// ServiceTier is the service tier the upstream says served the
	// request (OpenAI's service_tier, Anthropic's usage.service_tier), in
	// OpenAI's words (see ServiceTier); empty when it said none. The
	// tokens are priced at that tier's price (Deployment.Cost).
	ServiceTier ServiceTier `json:",omitempty"`
	// InferenceGeo is where a Claude deployment says it ran the request
	// (usage.inference_geo: "global", "us", "not_available"); empty when
	// the upstream said nothing.
	InferenceGeo string `json:",omitempty"`
	// Speed is the speed a Claude deployment says served the request
	// (usage.speed: "standard" or "fast"); empty when the upstream said
	// nothing. The tokens of a "fast" answer are priced at the model's
	// fast-mode prices (Deployment.SpeedFactor).
	Speed string `json:",omitempty"`
	// CostReported reports that the upstream stated what it charged for
	// the request (OpenRouter's usage.cost, a LiteLLM proxy's streamed
	// usage.cost), ReportedCostUSD: that figure is
	// the request's cost (Deployment.Cost), in place of its tokens priced
	// at the deployment's price, which is the reseller's list price at
	// best. False when the upstream stated none.
	CostReported    bool    `json:",omitempty"`
	ReportedCostUSD float64 `json:",omitempty"`
	// Compaction is the usage of the compactions Claude made of the
	// conversation within the answer (a context_management
	// compact_20260112 edit: usage.iterations "compaction"), counted in
	// none of the fields above and priced at the deployment's own rates
	// (Deployment.Cost); its Model is empty. Nil when there were none. A
	// pointer keeps Usage comparable; never modified once set.
	Compaction *ModelUsage `json:",omitempty"`
	// Advisor are the consultations of Claude's advisor tool within the
	// answer (usage.iterations "advisor_message"), none of them counted
	// in the fields above: each is priced at its own model's rates
	// (Deployment.Cost). Nil when there were none. A pointer keeps Usage
	// comparable; never modified once set (Add makes a new one).
	Advisor *Advisor `json:",omitempty"`
}

// Choice is one completion of a response.
type Choice struct {
	Index        int
	Message      Message
	FinishReason FinishReason
	// StopSequence is the stop sequence that ended the answer (its
	// FinishReason is then FinishStop), when the upstream says which:
	// only Anthropic's API does. Empty otherwise.
	StopSequence string
	// Refusal says why the answer was refused, when its FinishReason is
	// FinishContentFilter and the upstream said more (Anthropic's
	// stop_details); nil otherwise.
	Refusal *RefusalDetails
	// Logprobs are the log probabilities of the answer's tokens, when the
	// request asked for them (Request.Logprobs) and the upstream sent
	// them; nil otherwise.
	Logprobs *Logprobs
	// Paused reports that the upstream paused a long turn rather than
	// ending it (Anthropic's stop_reason pause_turn: a server tool loop
	// reached its limit); FinishReason is then FinishStop, and the client
	// sends the answer back as it is to let the model go on. Only an
	// Anthropic client is told (stop_reason pause_turn).
	Paused bool
	// Compacted reports that the upstream stopped right after compacting
	// the conversation (Anthropic's stop_reason compaction: a
	// compact_20260112 edit with pause_after_compaction); FinishReason is
	// then FinishStop, the answer holds the compaction block alone
	// (Message.Blocks), and the client sends it back to go on. Only an
	// Anthropic client is told (stop_reason compaction).
	Compacted bool
}

// FinishDetails is what an upstream said of a choice's finish beyond its
// reason: StopSequence and Refusal as on Choice.
type FinishDetails struct {
	StopSequence string
	Refusal      *RefusalDetails
	// Paused is Choice.Paused.
	Paused bool
	// Compacted is Choice.Compacted.
	Compacted bool
	// ContextManagement is Response.ContextManagement, as written; "" for
	// none.
	ContextManagement string
	// Container is the code execution container a Claude deployment says
	// the stream used, as it wrote it (Response.Container); "" for none.
	Container string
	// FallbackCredit is Response.FallbackCredit, as written; "" for none.
	FallbackCredit string
	// Moderation is Response.Moderation, as written; "" for none.
	Moderation string
}

// Container returns the code execution container the upstream said the
// choice's stream used; nil for none.
func (c *ChunkChoice) Container() json.RawMessage {
	if c.Stop == nil || c.Stop.Container == "" {
		return nil
	}
	return json.RawMessage(c.Stop.Container)
}

// Paused reports whether the upstream paused the choice's turn (see
// Choice.Paused).
func (c *ChunkChoice) Paused() bool { return c.Stop != nil && c.Stop.Paused }

// Compacted reports whether the upstream stopped the choice's turn after
// compacting the conversation (see Choice.Compacted).
func (c *ChunkChoice) Compacted() bool { return c.Stop != nil && c.Stop.Compacted }

// StopSequence returns the stop sequence that ended the choice, "" when
// none did.
func (c *ChunkChoice) StopSequence() string {
	if c.Stop == nil {
		return ""
	}
	return c.Stop.StopSequence
}

// Refusal returns what the upstream said of a refusal, nil when nothing.
func (c *ChunkChoice) Refusal() *RefusalDetails {
	if c.Stop == nil {
		return nil
	}
	return c.Stop.Refusal
}

// RefusalDetails is what an upstream says of a refusal: the policy
// category that triggered it and a human-readable explanation (Anthropic:
// stop_details.category, e.g. "cyber", and stop_details.explanation);
// either may be empty.
type RefusalDetails struct {
	Category, Explanation string
	// CreditToken is a Claude refusal's stop_details.fallback_credit_token
	// (and HasPrefillClaim its fallback_has_prefill_claim), passed on to
	// the client; "" when there is none.
	CreditToken     string
	HasPrefillClaim bool
}

// Response is a canonical, complete chat response.
type Response struct {
	ID string
	// Model is the upstream model that answered.
	Model   string
	Created int64
	Choices []Choice
	Usage   *Usage
	// UsageSoFar is, for a response assembled from a stream that broke
	// before its usage (Usage nil), the last usage the upstream reported
	// on the way (Chunk.UsageSoFar); nil when it reported none.
	UsageSoFar        *Usage `json:",omitempty"`
	SystemFingerprint string
	// ServiceTier is the tier the upstream says served the request;
	// empty when it said none (see Usage.ServiceTier, which prices it).
	ServiceTier ServiceTier
	// Container is the code execution container ({id, expires_at,
	// skills}) a Claude deployment says the request used, as it wrote
	// it; nil for none. A client sends its id back to reuse it.
	Container json.RawMessage `json:",omitempty"`
	// Fallbacks are the hand-overs of a refusal fallback the router made
	// for the request (Request.Fallbacks), in order; nil for none.
	Fallbacks []FallbackHop `json:",omitempty"`
	// FallbackCredit is a Claude deployment's usage.fallback_credit (the
	// outcome of the request's fallback_credit_token), as it wrote it;
	// nil for none.
	FallbackCredit json.RawMessage `json:",omitempty"`
	// ContextManagement is a Claude deployment's context_management
	// ({"applied_edits":[…]}: what its context editing cleared), as it
	// wrote it; nil for none.
	ContextManagement json.RawMessage `json:",omitempty"`
	// Moderation is an OpenAI Responses deployment's moderation results
	// ({"input":…,"output":…}), as it wrote them; nil for none.
	Moderation json.RawMessage `json:",omitempty"`
	// TextLeftOut is, for a response assembled from a stream by an
	// Accumulator with a bound (Accumulator.MaxText), the bytes of text
	// past the bound it left out: the choices hold the text before it.
	// Zero for a whole response.
	TextLeftOut int64 `json:",omitempty"`
	// PartsLeftOut is, likewise, the bytes of what the answer carries
	// beside its text (Accumulator.MaxParts) it left out.
	PartsLeftOut int64 `json:",omitempty"`
}

// ToolCallDelta is a fragment of a tool call in a stream. The first fragment
// of a call carries ID, Type and Name; later ones append to Arguments. Every
// fragment of a custom tool's call carries Type ToolCustom (its Arguments
// are pieces of free text, which an encoder must not write as a function's).
type ToolCallDelta struct {
	Index     int
	ID        string
	Type      string
	Name      string
	Arguments string
	// Signature is the call's ToolCall.Signature, on the delta that
	// starts it; no client API shows it. SignatureModel is the call's
	// ToolCall.SignatureModel.
	Signature      string `json:",omitempty"`
	SignatureModel string `json:",omitempty"`
}

// Delta is the new content of one choice in a stream chunk.
type Delta struct {
	Role      Role
	Content   string
	Refusal   string
	ToolCalls []ToolCallDelta
	// Thinking is a piece of the answer's thinking, sent only to a client
	// that asked to see it (Reasoning.Show); nil for every other delta.
	Thinking *ThinkingDelta
	// TextBlock marks the text blocks of an answer that cites the
	// request's documents (Anthropic's citations); nil for every other
	// delta. It comes before the delta's Content.
	TextBlock *TextBlockDelta
	// Output is what an OpenAI-format answer carries beside its text — a
	// spoken answer's audio, a search model's annotations — as the
	// upstream wrote it; nil for every other delta.
	Output *OutputDelta
}

// TextBlockDelta marks, in a stream whose answer cites its documents,
// that the text from here on belongs to the text block Index (its
// ordinal among the answer's text blocks, from 0), and, with Citation
// set, that this block cites a document: Citation is one citation as the
// upstream wrote it (a JSON object: Anthropic's char_location,
// page_location, content_block_location…).
type TextBlockDelta struct {
	Index    int
	Citation json.RawMessage
}

// ChunkChoice is one choice's part of a stream chunk.
type ChunkChoice struct {
	Index int
	Delta Delta
	// FinishReason is empty until the choice's last chunk.
	FinishReason FinishReason
	// Stop is what the upstream said of the finish beyond its reason, set
	// with FinishReason when it said more (see FinishDetails); nil
	// otherwise, on nearly every chunk (it sits behind a pointer so that a
	// chunk and its one choice fit one 256-byte allocation).
	Stop *FinishDetails
	// Logprobs are the log probabilities of the delta's tokens, when the
	// request asked for them; nil otherwise.
	Logprobs *Logprobs
}

// Chunk is one event of a streamed chat response, in OpenAI chunk shape.
// A chunk with no choices and a Usage is the final usage report.
type Chunk struct {
	ID      string
	Model   string
	Created int64
	Choices []ChunkChoice
	Usage   *Usage
	// UsageSoFar is the upstream's own usage as of this chunk, on the
	// chunks of a stream where the upstream reports it before its end:
	// Anthropic's message_start (the prompt's side: prompt, cached and
	// cache-write tokens; no output) and each server tool result,
	// compaction block (an empty Compaction: one was made, its counts come
	// at the end) and message_delta after it, Gemini's every fragment (its
	// usageMetadata).
	// Its counts are cumulative and cover this chunk's content and every
	// chunk's before it; an output count of 0 says the upstream counted
	// none of the output yet. Nil on other chunks. The final Usage
	// supersedes it: it is there to bill a stream that breaks before its
	// end (cost.SoFar) and for encoders that announce the prompt's size
	// before the answer (an Anthropic client's message_start), never to be
	// added to Usage.
	UsageSoFar        *Usage
	SystemFingerprint string
	// ServiceTier is the tier the upstream says serves the stream, on
	// every chunk of an upstream that says it (OpenAI writes it in each
	// chunk, Anthropic in message_start); empty otherwise.
	ServiceTier ServiceTier
	// Resumed, set on the closing chunks (the finish and the usage) of a
	// stream that broke and was continued on another deployment, says
	// where; nil otherwise.
	Resumed *Resumed
}

// Resumed says where a broken stream was continued.
type Resumed struct {
	// From is the deployment whose stream broke; To the one that
	// continued it.
	From, To string
	// Offset is how many bytes of content the client had received when
	// the stream broke.
	Offset int
	// Mode is "prefill" or "regenerate".
	Mode string
}

// Stream yields the chunks of a streamed response.
//
// Next returns the next chunk, io.EOF after the upstream ended the stream
// cleanly, or another error (usually an *Error) when the stream failed: cut,
// stalled, malformed or reported an error. A stream never ends with io.EOF
// unless the upstream signalled a proper end, or ended its body cleanly
// after a finish reason for every choice (some servers send no end
// marker). Close releases the connection;
// it is safe to call more than once and from another goroutine than Next.
type Stream interface {
	Next() (*Chunk, error)
	Close() error
}

// Readier is implemented by streams that can tell, without blocking,
// whether Next would return at once (a chunk, the end or an error is
// already read or buffered). Whoever relays a stream uses it to write the
// chunks that arrived together in one write and flush only when the next
// one has to be waited for; a stream that does not implement it is
// flushed after every chunk. A stream that wraps another must implement it
// too, answering from its own buffer and then the wrapped stream's, or the
// capability is lost. Ready is called by the goroutine that calls Next,
// never concurrently with it.
type Readier interface {
	Ready() bool
}

// Ready reports whether s says Next would return at once; false for a
// stream that cannot tell.
func Ready(s Stream) bool {
	r, ok := s.(Readier)
	return ok && r.Ready()
}

// ChatProvider is the contract of an upstream: every call streams (the
// gateway builds complete responses from the chunks). Implementations are
// safe for concurrent use. The request's Model is the upstream model name.
// Stream checks the upstream's status before it returns, so a failure
// before the first byte is its error; errors are *Error values.
type ChatProvider interface {
	Stream(ctx context.Context, req *Request) (Stream, error)
}
