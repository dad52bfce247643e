package llm

import "context"

type requestIDKey struct{}

// WithRequestID returns ctx carrying the router's request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Served describes where a request went: filled by the gateway as it
// decides and dispatches, read by the inbound API for response headers and
// by the recorder. Fields are empty until known.
type Served struct {
	// Route is the virtual model the client asked for, if any.
	Route string
	// Deployment is the deployment that answered (or last failed).
	Deployment string
	// Provider is that deployment's provider.
	Provider string
	// Model is the upstream model name.
	Model string
	// Summary is the compact routing explanation for x-switchyard-route.
	Summary string
	// Attempts counts upstream calls made, failovers included.
	Attempts int
	// Tier is the 1-based plan tier of the deployment that answered.
	Tier int
	// ClampedMaxTokens, when positive, is the max_tokens the attempt was
	// sent again with after the deployment refused the request's as above
	// its output limit: the limit its refusal stated (dispatch.Plan.
	// LowerMaxTokens).
	ClampedMaxTokens int
	// NoResponsesRoute reports an attempt sent on Chat Completions where
	// the adapter would have called the Responses API, because the
	// deployment's host has none (llm.CodeNoResponsesRoute).
	NoResponsesRoute bool
	// CostUSD is the cost of the answer, once usage is known: the attempt
	// whose answer the client got (x-switchyard-cost-usd), not the
	// failed or abandoned attempts before it.
	CostUSD float64
	// CostUnknown reports that the deployment that answered has no known
	// price: CostUSD is then 0 and means nothing.
	CostUnknown bool
	// Usage is the usage a stream was billed, once it is closed: the
	// upstream's, or the router's estimate (Usage.Estimated) for a stream
	// that ended before the upstream said it; nil before, and for the
	// answers that are not streams.
	Usage *Usage
	// Guard is what the prompt-injection guard found, when it scanned
	// the request; nil otherwise (x-switchyard-guard when it acted).
	Guard *Guard
	// PromptTokens is the router's estimate of the prompt's tokens (the
	// classifier's), once the request is planned; zero before. A stream's
	// first event reports it where the API puts the input count first
	// (the Messages API's message_start), before the upstream's count.
	PromptTokens int
	// Fallbacks are the hand-overs of a refusal fallback the client asked
	// for (Request.Fallbacks) made before the answer, in order: known once
	// the answer (or a stream's first chunk) is; nil for none.
	Fallbacks []FallbackHop
	// SteersUndelivered is set by the inbound API, before it closes a
	// stream, to the steers (the Responses API's response.steer over a
	// WebSocket) accepted for the response that none committed: the
	// client left while it streamed. Zero otherwise.
	SteersUndelivered int
}
