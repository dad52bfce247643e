package llm

import "encoding/json"

// Fallbacks is a client's request for refusal fallback done by the router
// (Anthropic's fallbacks): when the model asked for declines on its
// content policy, the listed models are tried in order, or, with Default,
// the route's own next candidates.
type Fallbacks struct {
	// Default asks for the route's own fallback (Anthropic's "default"):
	// its next candidates, as with the route's on_refusal: fallback.
	Default bool
	// Models are the models to try in order after a refusal; nil with
	// Default.
	Models []FallbackModel
}

// FallbackModel is one entry of Fallbacks.Models: a model (a route,
// deployment or model id, resolved as a request's model is) and the
// request's fields it overrides for that attempt; nil overrides keep the
// request's.
type FallbackModel struct {
	Model string
	// MaxTokens replaces the request's max_tokens; nil keeps it.
	MaxTokens *int
	// Reasoning replaces the request's reasoning when ReasoningSet (nil
	// then means the model's default: Anthropic's thinking null).
	Reasoning    *Reasoning
	ReasoningSet bool
	// ThinkingOff is the entry's thinking {"type": "disabled"}
	// (Request.ThinkingOff), with ReasoningSet.
	ThinkingOff bool
	// Speed replaces the request's speed when not empty.
	Speed Speed
	// Effort replaces the request's output effort when not empty.
	Effort Effort
}

// FallbackHop is one hand-over of a request from a deployment that
// declined on its content policy to the next one tried (Anthropic's
// fallback content block and usage.iterations entry).
type FallbackHop struct {
	// From is the model that declined: for the request's first hop, the
	// model the client asked for as it spelled it; after, a model id.
	From string
	// FromID is the model id of the deployment that declined (From may
	// be the client's spelling of it, a route or an alias).
	FromID string
	// To is the model id of the deployment tried next.
	To string
	// Refusal is what the declining model said of its refusal; nil when
	// it was a rejection (a 400 content_filter) with no answer.
	Refusal *RefusalDetails
	// Usage is what the declined attempt used (and may be billed for);
	// nil when unknown.
	Usage *Usage
}

// FallbackCredit is Anthropic's fallback_credit_token as a client sent it
// (a string, or an object with the token and a mode): a Claude deployment
// gets it as sent; it means nothing to any other.
type FallbackCredit = json.RawMessage
