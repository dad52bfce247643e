// Package store is the request log: one Request row per request the router
// served, written in batches by an asynchronous Writer and read back by
// the admin API (list, get, stats) within a tenant Scope.
//
// The Store interface has one implementation per database: store/sqlite
// (the default, pure Go) and store/postgres; store/storetest is the
// conformance suite both pass. This package imports only llm.
package store

import (
	"time"

	"switchyard/llm"
)

// Request is one row of the request log. The fields filtered and grouped
// on are typed columns; Features, Explanation, Attempts, Signals and
// Bodies are stored as JSON. Times are stored in UTC with nanosecond
// precision.
type Request struct {
	// ID is the request id (x-switchyard-request-id); unique. Writing an
	// ID that is already stored keeps the stored row.
	ID string `json:"id"`
	// Time is when the request arrived.
	Time time.Time `json:"time"`
	// Tenant owns the row; "" when tenants are not configured. KeyName is
	// the configured name of the client key, never the key itself.
	Tenant  string `json:"tenant,omitempty"`
	KeyName string `json:"key_name,omitempty"`
	// Endpoint is "chat", "embeddings", "moderations", "route" (a dry run) or another
	// endpoint name of the API.
	Endpoint string `json:"endpoint"`
	// Route is the route asked for; Pinned the deployment the caller
	// pinned, if any; Deployment the one that answered or last failed.
	Route      string `json:"route,omitempty"`
	Pinned     string `json:"pinned,omitempty"`
	Deployment string `json:"deployment,omitempty"`
	// Category is the category routing used; Confidence the classifier's.
	Category   llm.Category `json:"category,omitempty"`
	Confidence float64      `json:"confidence,omitempty"`
	// Status is the HTTP status sent; ErrorKind is set when it failed (or
	// a stream failed after its first byte, see StreamFailed).
	Status       int           `json:"status"`
	ErrorKind    llm.ErrorKind `json:"error_kind,omitempty"`
	StreamFailed bool          `json:"stream_failed,omitempty"`
	Stream       bool          `json:"stream"`
	// Fallback reports that a deployment other than the first attempt's
	// answered (or was last tried).
	Fallback bool `json:"fallback,omitempty"`
	// ResumedFrom is the deployment whose stream broke after its first
	// token and was continued (resumed) on Deployment; empty otherwise.
	ResumedFrom string `json:"resumed_from,omitempty"`
	// Tokens are the tokens of every attempt the upstreams may bill (the
	// one that answered and those abandoned or cut after they started),
	// summed by kind: the tokens CostUSD is the price of. Attempts holds
	// each attempt's own.
	Tokens Tokens `json:"tokens"`
	// CostUSD is the request's cost: every billed attempt, failed and
	// abandoned ones included. ServedCostUSD is the part the client's
	// answer cost (x-switchyard-cost-usd): the attempt that answered, or a
	// resumed stream's two; zero when it got only an error. CostEstimated
	// reports that some of it was estimated (no usage reported, a
	// tokenizer count instead). CostUnknown reports an attempt on a
	// deployment with no known price: both costs leave it out and are
	// lower bounds.
	CostUSD       float64 `json:"cost_usd"`
	ServedCostUSD float64 `json:"served_cost_usd"`
	CostEstimated bool    `json:"cost_estimated,omitempty"`
	CostUnknown   bool    `json:"cost_unknown,omitempty"`
	// Latency is the total time; TTFT the time to the first byte sent
	// (zero when none was sent).
	Latency time.Duration `json:"latency"`
	TTFT    time.Duration `json:"ttft"`

	// BatchID is the batch (batch_…, msgbatch_…) whose line this request
	// ran, forwarded to its provider's batch API or run by the router
	// (Explanation.Batch says which); empty for a live request, and for a
	// batch line recorded before the column existed.
	BatchID string `json:"batch_id,omitempty"`

	// Propensity is the probability the plan's first candidate had of
	// being first (route.Plan.Propensity): below 1 for a weighted
	// split's pick or the adaptive scorer's choice, for inverse-propensity
	// replays. Rows written before migration 5 read 1.
	Propensity float64 `json:"propensity"`

	Features    Features    `json:"features"`
	Explanation Explanation `json:"explanation"`
	// Attempts are the upstream calls made, in order; nil when none.
	Attempts []Attempt `json:"attempts,omitempty"`
	Signals  Signals   `json:"signals"`
	// Bodies are the redacted prompt and answer, kept only with
	// store.bodies: redacted; nil otherwise. Store.Get returns them;
	// Store.List leaves them nil, so a page stays small.
	Bodies *Bodies `json:"bodies,omitempty"`
}

// Tokens are token counts by kind.
type Tokens struct {
	Prompt int `json:"prompt,omitempty"`
	// CachedRead were read from a prompt cache; CacheWrite written to one.
	CachedRead int `json:"cached_read,omitempty"`
	CacheWrite int `json:"cache_write,omitempty"`
	// CacheWrite1h are the cache writes with the one-hour lifetime (part
	// of CacheWrite), priced apart (docs/cost.md#prompt-caching).
	CacheWrite1h int `json:"cache_write_1h,omitempty"`
	Completion   int `json:"completion,omitempty"`
	// Reasoning are hidden thinking tokens (part of Completion).
	Reasoning int `json:"reasoning,omitempty"`
}

// TokensOf returns the token counts of a usage.
func TokensOf(u llm.Usage) Tokens {
	return Tokens{
		Prompt: u.PromptTokens, CachedRead: u.CachedPromptTokens, CacheWrite: u.CacheWriteTokens,
		CacheWrite1h: u.CacheWrite1hTokens, Completion: u.CompletionTokens, Reasoning: u.ReasoningTokens,
	}
}

// Usage returns the usage of the counts, to price them
// (llm.Deployment.Cost).
func (t Tokens) Usage() llm.Usage {
	return llm.Usage{
		PromptTokens: t.Prompt, CachedPromptTokens: t.CachedRead, CacheWriteTokens: t.CacheWrite,
		CacheWrite1hTokens: t.CacheWrite1h, CompletionTokens: t.Completion, ReasoningTokens: t.Reasoning,
		TotalTokens: t.Prompt + t.Completion,
	}
}

// Add accumulates t2 into t.
func (t *Tokens) Add(t2 Tokens) {
	t.Prompt += t2.Prompt
	t.CachedRead += t2.CachedRead
	t.CacheWrite += t2.CacheWrite
	t.CacheWrite1h += t2.CacheWrite1h
	t.Completion += t2.Completion
	t.Reasoning += t2.Reasoning
}

// Features are what the classifier saw in the request.
type Features struct {
	// Scores is each category's probability; nil when not classified.
	Scores       map[llm.Category]float64 `json:"scores,omitempty"`
	PromptTokens int                      `json:"prompt_tokens,omitempty"`
	// Turn is the number of user messages before the last one.
	Turn      int    `json:"turn,omitempty"`
	Language  string `json:"language,omitempty"`
	HasTools  bool   `json:"has_tools,omitempty"`
	WantsJSON bool   `json:"wants_json,omitempty"`
	HasCode   bool   `json:"has_code,omitempty"`
	HasImages bool   `json:"has_images,omitempty"`
}

// CostSourceProvider is Explanation.CostSource for a cost the upstream
// stated.
const CostSourceProvider = "provider"

// Explanation is the routing plan's account of itself.
type Explanation struct {
	// CategorySource is where the category came from (classifier, hint,
	// semantic, low_confidence); Policy which policy applied; Strategy
	// and Scorer how it ranked; Rules the rules that matched, in order.
	CategorySource string   `json:"category_source,omitempty"`
	Policy         string   `json:"policy,omitempty"`
	Strategy       string   `json:"strategy,omitempty"`
	Scorer         string   `json:"scorer,omitempty"`
	Rules          []string `json:"rules,omitempty"`
	// Candidates are every deployment considered, kept or dropped.
	Candidates []Candidate `json:"candidates,omitempty"`
	// Adaptive is what the adaptive scorer did; nil when it did not run.
	Adaptive *Adaptive `json:"adaptive,omitempty"`
	// Guard is what the prompt-injection guard and the answer's
	// sanitizer found; nil when no guard ran.
	Guard *llm.Guard `json:"guard,omitempty"`
	// Batch is "provider" for a batch's line sent through the provider's
	// own batch API (OpenAI's Batch API, Anthropic's Message Batches),
	// priced at the batch price; "router" for one the router ran as a
	// live request, at the live price; empty for a live request (and for
	// a router-run line recorded before "router" was written).
	Batch string `json:"batch,omitempty"`
	// Split is the deployment a weighted split drew first (the request's
	// propensity is the chance it had); empty when no split applied.
	// NoFallback reports that the caller disabled fallback.
	Split      string `json:"split,omitempty"`
	NoFallback bool   `json:"no_fallback,omitempty"`
	// ServiceTier is the service tier the upstream said served the
	// request (OpenAI's service_tier, Anthropic's usage.service_tier, in
	// OpenAI's words: default, flex, priority, scale, batch); empty when
	// it said none.
	ServiceTier string `json:"service_tier,omitempty"`
	// TierPrice says how a tier other than the standard one was priced:
	// "config" (price.priority_*), "catalog" (flex at the catalog's batch
	// price, or priority at OpenAI's listed price), "catalog ratio" (the
	// listed priority price's ratios applied to a configured standard
	// price), "batch discount" (flex at the batch price), "commitment"
	// (Claude's Priority Tier), "multiplier" (the standard price times
	// cost.priority_multiplier, an estimate); empty for the standard
	// price.
	TierPrice string `json:"tier_price,omitempty"`
	// CostSource is "provider" when the cost of the answer is what its
	// upstream stated it charged (OpenRouter's usage.cost, a LiteLLM
	// proxy's streamed usage.cost), not its tokens priced at the
	// deployment's price; empty for the price (the catalog's or the
	// configuration's).
	CostSource string `json:"cost_source,omitempty"`
	// RequiredInferenceGeo is the geography the request required its
	// inference to run in ("us": Anthropic's inference_geo, the
	// x-switchyard-inference-geo header); empty when it required none.
	// InferenceGeo is where the upstream said it ran (Anthropic's
	// usage.inference_geo: global, us); empty when it said nothing.
	RequiredInferenceGeo string `json:"required_inference_geo,omitempty"`
	InferenceGeo         string `json:"inference_geo,omitempty"`
	// Speed is the speed the upstream said served the request, whose
	// prices it was charged at (Anthropic's usage.speed: standard, fast);
	// empty when it said nothing.
	Speed string `json:"speed,omitempty"`
	// BillTo is "user_profile" for a request its client billed to the
	// customer behind an Anthropic user profile (billing_policy): the
	// upstream billed that customer, not the router's account, so its
	// cost is not the operator's; empty for every other request.
	BillTo string `json:"bill_to,omitempty"`
	// RealtimeResponses is the number of responses (response.done events)
	// of a Realtime API session; zero for every other request.
	RealtimeResponses int `json:"realtime_responses,omitempty"`
	// SteersUndelivered is the number of steers (response.steer) a
	// Responses API WebSocket client sent for the response that its
	// connection ended before any response committed: the client left
	// while the response streamed. Zero for every other request.
	SteersUndelivered int `json:"steers_undelivered,omitempty"`
}

// Adaptive is the adaptive scorer's part of an explanation: the context
// the request is learned in (the learner reads it back to credit a late
// rating), the route's settings, the deployment the posterior means put
// first and whether a Thompson draw chose instead.
type Adaptive struct {
	Context  string  `json:"context"`
	Lambda   float64 `json:"lambda"`
	Explore  float64 `json:"explore"`
	Greedy   string  `json:"greedy"`
	Explored bool    `json:"explored,omitempty"`
}

// Candidate is one deployment the plan considered.
type Candidate struct {
	Deployment string `json:"deployment"`
	// Tier is its 1-based plan tier when kept, 0 when dropped.
	Tier int  `json:"tier,omitempty"`
	Kept bool `json:"kept"`
	// CostUnknown reports a kept candidate with no known price.
	CostUnknown bool `json:"cost_unknown,omitempty"`
	// Pinned marks the caller's pin, Preferred a deployment a prefer
	// list moved up, Split a weighted split's pick, Demoted one health
	// ranked last (failing); QualityDemoted is why quality monitoring
	// ranked it last, and QualityProbe a demotion this request waived
	// to probe whether it recovered.
	Pinned         bool   `json:"pinned,omitempty"`
	Preferred      bool   `json:"preferred,omitempty"`
	Split          bool   `json:"split,omitempty"`
	Demoted        bool   `json:"demoted,omitempty"`
	QualityDemoted string `json:"quality_demoted,omitempty"`
	QualityProbe   bool   `json:"quality_probe,omitempty"`
	// FlexUnavailableUntil ends the kept candidate's flex window (RFC
	// 3339) when the request was a flex one: a 429 resource_unavailable's
	// Retry-After, until which dispatch passes over it while another
	// candidate can answer (no attempt is made).
	FlexUnavailableUntil string `json:"flex_unavailable_until,omitempty"`
	// FastUnavailableUntil ends the kept candidate's fast window (RFC
	// 3339) when the request asked for Claude's fast mode: a fast-mode
	// 429's Retry-After, until which dispatch sends it the request at
	// standard speed.
	FastUnavailableUntil string `json:"fast_unavailable_until,omitempty"`
	// RateLimitedUntil ends the kept candidate's rate limit window (RFC
	// 3339): health ranked it last, and dispatch passes over it while
	// another candidate can answer.
	RateLimitedUntil string `json:"rate_limited_until,omitempty"`
	// Fallback is the 1-based entry of the client's refusal fallbacks
	// whose model a kept candidate serves (route.Tier.Fallback): tried
	// only after a refusal; 0 for the route's own.
	Fallback int `json:"fallback,omitempty"`
	// Reason is why it was dropped (a route.Reason), By what dropped it,
	// and Detail the reason in words.
	Reason string `json:"reason,omitempty"`
	By     string `json:"by,omitempty"`
	Detail string `json:"detail,omitempty"`
	// PGood and Outcomes are the adaptive scorer's estimate of a kept
	// candidate it ordered (posterior mean of p(good), and the outcomes in
	// the request's category); zero otherwise.
	PGood    float64 `json:"p_good,omitempty"`
	Outcomes float64 `json:"outcomes,omitempty"`
	// CI95 is the half-width of p(good)'s 95% interval (1.96 posterior
	// standard deviations); Cost the request's estimated cost on the
	// candidate normalized by the costliest one's (1 for an unknown
	// price); Static reports fewer outcomes than min_outcomes (it kept
	// its static place); Rank is its 1-based place in the static order of
	// the candidates the scorer chose among. Zero when the scorer did not
	// order it, and in rows written before they were recorded. With the
	// explanation's Adaptive, they let an offline replay re-decide the
	// request (learn/logreplay).
	CI95   float64 `json:"ci95,omitempty"`
	Cost   float64 `json:"cost,omitempty"`
	Static bool    `json:"static,omitempty"`
	Rank   int     `json:"rank,omitempty"`
	// Predicted is the route's learned prompt-level model's p(good) for
	// the request on a kept candidate, and Quality the quality the plan
	// used from it (docs/learning.md); nil and zero when it had none.
	Predicted *float64 `json:"predicted_p_good,omitempty"`
	Quality   float64  `json:"predicted_quality,omitempty"`
}

// The outcomes of an Attempt.
const (
	OutcomeOK       = "ok"       // answered
	OutcomeError    = "error"    // failed before its first byte
	OutcomeTimeout  = "timeout"  // its first token took too long
	OutcomeCanceled = "canceled" // abandoned: a hedge won, or the client left
	OutcomeCut      = "cut"      // failed after its first byte
	OutcomeRefused  = "refused"  // refused, and the next candidate tried (routes.NAME.on_refusal)
)

// Attempt is one upstream call.
type Attempt struct {
	Deployment string `json:"deployment"`
	Tier       int    `json:"tier,omitempty"`
	// Outcome is one of the Outcome* constants; ErrorKind is set unless ok.
	Outcome   string        `json:"outcome"`
	ErrorKind llm.ErrorKind `json:"error_kind,omitempty"`
	// ErrorCode is the upstream's error code of a failed call, when it
	// gave one (resource_unavailable: flex had no capacity for it), or
	// the router's (answer_too_large: a call cut for its answer's size).
	ErrorCode string `json:"error_code,omitempty"`
	// TTFT is the time to its first token (zero when none), Latency its
	// duration.
	TTFT    time.Duration `json:"ttft,omitempty"`
	Latency time.Duration `json:"latency,omitempty"`
	Tokens  Tokens        `json:"tokens"`
	CostUSD float64       `json:"cost_usd,omitempty"`
	// CostUnknown reports a deployment with no known price: CostUSD is 0
	// and means nothing.
	CostUnknown bool `json:"cost_unknown,omitempty"`
	// Hedge reports a call started in parallel with an earlier one.
	Hedge bool `json:"hedge,omitempty"`
	// ResumedFrom is the attempt a resumed stream continued, as "<request
	// id>#<attempt index>" (0-based, in Attempts); empty otherwise.
	ResumedFrom string `json:"resumed_from,omitempty"`
}

// Signals are the answer-quality signals of a response.
type Signals struct {
	// FormatChecked reports that a format was asked for (JSON mode, a
	// schema, tools); FormatOK that the answer adhered to it.
	FormatChecked bool `json:"format_checked,omitempty"`
	FormatOK      bool `json:"format_ok,omitempty"`
	// InvalidToolCalls counts tool calls with bad arguments or names.
	InvalidToolCalls int  `json:"invalid_tool_calls,omitempty"`
	Refusal          bool `json:"refusal,omitempty"`
	// ContentFilter reports a content-policy stop; Truncated a stop at the
	// token limit; Empty an answer with no text and no tool call.
	ContentFilter bool `json:"content_filter,omitempty"`
	Truncated     bool `json:"truncated,omitempty"`
	Empty         bool `json:"empty,omitempty"`
	// AnswerChars is the answer's length in characters; LengthRatio is it
	// over the deployment's usual answer length for the category (zero
	// while there is too little history to say).
	AnswerChars int     `json:"answer_chars,omitempty"`
	LengthRatio float64 `json:"length_ratio,omitempty"`
}

// Failed reports whether the request counts as an error in stats: a
// status of 400 or above, or a stream cut after its first byte.
func (r *Request) Failed() bool { return r.Status >= 400 || r.StreamFailed }
