package gemini

import "encoding/json"

// Finish reasons of Candidate.FinishReason (the ones the router tells
// apart; STOP and any reason not listed map to "stop").
const (
	FinishStop              = "STOP"
	FinishMaxTokens         = "MAX_TOKENS"
	FinishSafety            = "SAFETY"
	FinishRecitation        = "RECITATION"
	FinishBlocklist         = "BLOCKLIST"
	FinishProhibited        = "PROHIBITED_CONTENT"
	FinishSPII              = "SPII"
	FinishImageSafety       = "IMAGE_SAFETY"
	FinishMalformedFunction = "MALFORMED_FUNCTION_CALL"
	FinishUnexpectedTool    = "UNEXPECTED_TOOL_CALL"
	FinishOther             = "OTHER"
	FinishLanguage          = "LANGUAGE"
	FinishEscalation        = "ESCALATION"
	FinishTooManyTools      = "TOO_MANY_TOOL_CALLS"
	FinishMalformedResponse = "MALFORMED_RESPONSE"
	FinishMissingSignature  = "MISSING_THOUGHT_SIGNATURE"
	FinishNoImage           = "NO_IMAGE"
	FinishImageOther        = "IMAGE_OTHER"
)

// NoAnswer reports whether a finish reason says the candidate holds no
// usable answer: a function call that cannot be used (malformed, to an
// undeclared tool, one too many), a malformed response, a thought
// signature missing from the request, no image, or an unknown reason.
// The candidate's content is empty or cut short; a client must not take
// it for a finished answer.
func NoAnswer(reason string) bool {
	switch reason {
	case FinishMalformedFunction, FinishUnexpectedTool, FinishTooManyTools, FinishMalformedResponse,
		FinishMissingSignature, FinishNoImage, FinishImageOther, FinishOther:
		return true
	}
	return false
}

// GenerateContentResponse is the body of generateContent and each event of
// streamGenerateContent. Candidates is empty when the prompt was blocked
// (see PromptFeedback).
type GenerateContentResponse struct {
	Candidates     []Candidate     `json:"candidates,omitempty"`
	PromptFeedback *PromptFeedback `json:"promptFeedback,omitempty"`
	UsageMetadata  *UsageMetadata  `json:"usageMetadata,omitempty"`
	ModelVersion   string          `json:"modelVersion,omitempty"`
	ResponseID     string          `json:"responseId,omitempty"`
}

// Candidate is one generated response. Content may be nil when generation
// stopped before any output (e.g. for SAFETY). An empty FinishReason means
// the candidate is still being generated (stream fragments).
type Candidate struct {
	Content       *Content        `json:"content,omitempty"`
	FinishReason  string          `json:"finishReason,omitempty"`
	FinishMessage string          `json:"finishMessage,omitempty"`
	Index         int             `json:"index"`
	SafetyRatings []SafetyRating  `json:"safetyRatings,omitempty"`
	TokenCount    int             `json:"tokenCount,omitempty"`
	Citation      json.RawMessage `json:"citationMetadata,omitempty"`
	Grounding     json.RawMessage `json:"groundingMetadata,omitempty"`
	// AvgLogprobs is the mean log probability of the candidate's tokens;
	// LogprobsResult the tokens' own, when the request set
	// responseLogprobs (in a stream, each fragment's cover its tokens).
	AvgLogprobs    float64         `json:"avgLogprobs,omitempty"`
	LogprobsResult *LogprobsResult `json:"logprobsResult,omitempty"`
}

// LogprobsResult holds the log probabilities of a candidate's tokens:
// ChosenCandidates one per decoding step, TopCandidates (when
// generationConfig.logprobs asked) the likeliest tokens at each step,
// most likely first. A chosen token may be absent from its step's top.
type LogprobsResult struct {
	TopCandidates     []TopCandidates     `json:"topCandidates,omitempty"`
	ChosenCandidates  []LogprobsCandidate `json:"chosenCandidates,omitempty"`
	LogProbabilitySum *float64            `json:"logProbabilitySum,omitempty"`
}

// TopCandidates are the likeliest tokens at one decoding step.
type TopCandidates struct {
	Candidates []LogprobsCandidate `json:"candidates"`
}

// LogprobsCandidate is one token with its log probability.
type LogprobsCandidate struct {
	Token          string  `json:"token"`
	TokenID        int     `json:"tokenId"`
	LogProbability float64 `json:"logProbability"`
}

// SafetyRating rates one harm category of a prompt or candidate.
type SafetyRating struct {
	Category    string `json:"category"`
	Probability string `json:"probability"`
	Blocked     bool   `json:"blocked,omitempty"`
}

// PromptFeedback reports on the prompt; a BlockReason means it was blocked
// and no candidates were generated.
type PromptFeedback struct {
	BlockReason   string         `json:"blockReason,omitempty"`
	SafetyRatings []SafetyRating `json:"safetyRatings,omitempty"`
}

// UsageMetadata counts tokens. PromptTokenCount includes
// CachedContentTokenCount; TotalTokenCount is prompt + tool-use prompt +
// candidates + thoughts.
type UsageMetadata struct {
	PromptTokenCount        int                  `json:"promptTokenCount,omitempty"`
	CandidatesTokenCount    int                  `json:"candidatesTokenCount,omitempty"`
	TotalTokenCount         int                  `json:"totalTokenCount,omitempty"`
	CachedContentTokenCount int                  `json:"cachedContentTokenCount,omitempty"`
	ThoughtsTokenCount      int                  `json:"thoughtsTokenCount,omitempty"`
	ToolUsePromptTokenCount int                  `json:"toolUsePromptTokenCount,omitempty"`
	PromptTokensDetails     []ModalityTokenCount `json:"promptTokensDetails,omitempty"`
	CacheTokensDetails      []ModalityTokenCount `json:"cacheTokensDetails,omitempty"`
}

// ModalityTokenCount is the token count of one modality (TEXT, IMAGE…).
type ModalityTokenCount struct {
	Modality   string `json:"modality"`
	TokenCount int    `json:"tokenCount"`
}

// EmbedContentRequest is the body of models.embedContent and one entry of
// BatchEmbedContentsRequest. Model is "models/{model}" (required in a
// batch; it must match the URL's model).
type EmbedContentRequest struct {
	Model                string  `json:"model,omitempty"`
	Content              Content `json:"content"`
	TaskType             string  `json:"taskType,omitempty"`
	Title                string  `json:"title,omitempty"`
	OutputDimensionality *int    `json:"outputDimensionality,omitempty"`
}

// BatchEmbedContentsRequest is the body of models.batchEmbedContents.
type BatchEmbedContentsRequest struct {
	Requests []EmbedContentRequest `json:"requests"`
}

// ContentEmbedding is one vector.
type ContentEmbedding struct {
	Values []float32 `json:"values"`
}

// EmbeddingUsageMetadata counts the tokens of an embeddings call. Newer
// deployments send it; older ones omit it.
type EmbeddingUsageMetadata struct {
	PromptTokenCount int `json:"promptTokenCount,omitempty"`
}

// EmbedContentResponse is the response of models.embedContent.
type EmbedContentResponse struct {
	Embedding     ContentEmbedding        `json:"embedding"`
	UsageMetadata *EmbeddingUsageMetadata `json:"usageMetadata,omitempty"`
}

// BatchEmbedContentsResponse is the response of models.batchEmbedContents:
// one embedding per request, in order.
type BatchEmbedContentsResponse struct {
	Embeddings    []ContentEmbedding      `json:"embeddings"`
	UsageMetadata *EmbeddingUsageMetadata `json:"usageMetadata,omitempty"`
}

// Model describes one model of models.list / models.get.
type Model struct {
	Name                       string   `json:"name"`
	BaseModelID                string   `json:"baseModelId,omitempty"`
	Version                    string   `json:"version,omitempty"`
	DisplayName                string   `json:"displayName,omitempty"`
	Description                string   `json:"description,omitempty"`
	InputTokenLimit            int      `json:"inputTokenLimit,omitempty"`
	OutputTokenLimit           int      `json:"outputTokenLimit,omitempty"`
	SupportedGenerationMethods []string `json:"supportedGenerationMethods,omitempty"`
	Temperature                *float64 `json:"temperature,omitempty"`
	MaxTemperature             *float64 `json:"maxTemperature,omitempty"`
	TopP                       *float64 `json:"topP,omitempty"`
	TopK                       *int     `json:"topK,omitempty"`
	Thinking                   bool     `json:"thinking,omitempty"`
}

// ListModelsResponse is the response of models.list.
type ListModelsResponse struct {
	Models        []Model `json:"models"`
	NextPageToken string  `json:"nextPageToken,omitempty"`
}

// CountTokensResponse is the response of models.countTokens.
type CountTokensResponse struct {
	TotalTokens             int `json:"totalTokens"`
	CachedContentTokenCount int `json:"cachedContentTokenCount,omitempty"`
}
