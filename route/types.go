package route

import (
	"time"

	"switchyard/learn/bandit"
	"switchyard/llm"
)

// Features is what the policy knows about a request: the classifier's
// output plus what the request itself demands.
type Features struct {
	// Category is the classifier's category; Confidence its probability.
	// An empty Category matches no category policy.
	Category   llm.Category `json:"category"`
	Confidence float64      `json:"confidence"`
	// Scores is the classifier's probability of each category, in
	// llm.Categories order (all zero when not classified).
	Scores [llm.NumCategories]float32 `json:"-"`
	// PromptTokens estimates the prompt's size, all messages.
	PromptTokens int `json:"prompt_tokens"`
	// Turn is the number of user messages before the last (0 = first turn).
	Turn int `json:"turn"`
	// Language is the prompt's ISO 639-1 language code, "" if unknown.
	Language  string `json:"language"`
	HasCode   bool   `json:"has_code"`
	HasTools  bool   `json:"has_tools"`
	WantsJSON bool   `json:"wants_json"`
	HasImages bool   `json:"has_images"`
	// Needs are the capabilities the request's structure requires.
	Needs Needs `json:"needs"`
	// MaxTokens is the caller's output cap; zero means unset.
	MaxTokens int `json:"max_tokens,omitempty"`
	// StopSequences counts the request's stop sequences, which some wire
	// formats bound (see maxStopSequences).
	StopSequences int `json:"stop_sequences,omitempty"`
	// Choices is the number of choices asked for (n) when above 1, which
	// some wire formats bound (see maxChoices); zero otherwise.
	Choices int `json:"choices,omitempty"`
	// BlankStop reports a stop sequence of whitespace alone (or empty),
	// which Anthropic refuses (see refusesBlankStop).
	BlankStop bool `json:"blank_stop,omitempty"`
	// Temperature is the temperature asked for, which some wire formats
	// bound below OpenAI's 2 (see maxTemperature); zero when unset.
	Temperature float64 `json:"temperature,omitempty"`
	// Effort is the reasoning effort the request asks for ("" for none
	// asked; an Anthropic client's effort over its thinking's level, as
	// llm.Request.DialReasoning): whether GPT-5.1 and later take stop and
	// logprobs depends on it (see refusedParam), and whether function
	// tools need the Responses API (toolsRefused).
	Effort llm.Effort `json:"reasoning_effort,omitempty"`
	// ServiceTier is the processing tier the request asks for ("" for
	// none): the cost ceilings compare each candidate's estimate at the
	// tier it would serve the request on (Plan.ServiceTierOf).
	ServiceTier llm.ServiceTier `json:"service_tier,omitempty"`
	// Speed is SpeedFast when the request asks for fast output
	// (llm.Request.WantsFast), "" otherwise: a candidate whose model has
	// fast mode (Deployment.FastFactor) is estimated at its fast-mode
	// prices. A preference: no candidate is excluded for it.
	Speed llm.Speed `json:"speed,omitempty"`
	// HostedParam is where the request names OpenAI's hosted tools
	// (llm.OpenAIHosted.Param: "tools[1].type"), the param of the error
	// when no candidate serves them; "" for none.
	HostedParam string `json:"-"`
	// HostedTools are the hosted tools the request asks for
	// (llm.Request.OpenAIHostedKinds) when it needs hosted tools
	// (NeedHostedTools); 0 means every kind, so that only a deployment
	// serving them all takes it.
	HostedTools llm.HostedKinds `json:"-"`
	// OptionalHosted are the hosted tools the request declares, or holds
	// past calls of, without forcing them (llm.Request.
	// OptionalHostedKinds): where the route's hosted_tools is
	// drop_optional, a candidate that cannot run only these is kept and
	// sent the request without them and their past calls
	// (Candidate.DroppedHosted).
	OptionalHosted llm.HostedKinds `json:"-"`
	// WebSearch reports that the request asks for web search
	// (llm.Request.WantsWebSearch): each candidate's estimate counts one
	// search on top of its tokens (llm.Deployment.SearchUSD), as the
	// final cost counts every search it ran.
	WebSearch bool `json:"web_search,omitempty"`
}

// Overrides are what a caller asks of the router for one request (the
// x-switchyard-* headers). They narrow or steer the decision; they never
// bypass the checks that keep a request within what it needs.
type Overrides struct {
	// Model pins a deployment (x-switchyard-model); "" means none. A
	// deployment named in the request's model field pins it too.
	Model string
	// Category replaces the classifier's category (x-switchyard-category).
	Category llm.Category
	// MaxCostUSD caps the estimated cost of the request; zero means none.
	MaxCostUSD float64
	// LatencyBudget caps the expected total latency and the deadline; zero
	// means none.
	LatencyBudget time.Duration
	// NoFallback keeps only the first candidate (x-switchyard-fallback: none).
	NoFallback bool
	// InferenceGeo is the geography the x-switchyard-inference-geo header
	// requires: GeoUS, or "" for none. The inbound APIs copy it onto the
	// request (llm.Request.InferenceGeo), whose needs route it; it is a
	// requirement, not a steer, so Allowed does not govern it.
	InferenceGeo llm.InferenceGeo
	// TierTimeout replaces every tier's time-to-first-token timeout
	// (x-switchyard-timeout-ms); zero means the route's.
	TierTimeout time.Duration
	// MaxInputPricePerM and MaxOutputPricePerM cap a candidate's list
	// prices (USD per 1M tokens), pinned ones included: the ceiling of a
	// spent soft budget, which CeilingBy names ("budget <name>") in
	// rejections. Zero means none. They are set by the gateway, not by a
	// header, so Allowed does not govern them.
	MaxInputPricePerM, MaxOutputPricePerM float64
	CeilingBy                             string
	// UnknownCostBy, when not empty, rejects every candidate whose price
	// is unknown, pinned ones included, and names why ("budget <name>":
	// a budget that counts USD and could not count its cost). Set by the
	// gateway, like the price ceiling.
	UnknownCostBy string
	// Excluder, when not nil, keeps the caller off the deployments its
	// key or tenant may not use: a candidate it excludes, pinned ones
	// included, is rejected as excluded by what it names. Set by the
	// gateway, like the price ceiling.
	Excluder Excluder
	// Allowed is the set of overrides the caller may use; using another is
	// a 403. The zero value allows none; the gateway sets AllowAll until
	// tenants restrict it.
	Allowed OverrideSet
}

// Excluder says which deployments a caller may not be served by.
// ExcludedBy returns what keeps the caller off deployment ("key <name>",
// "tenant <name>"), or "" when nothing does. It must be pure, and the
// dynamic type comparable (a pointer).
type Excluder interface {
	ExcludedBy(deployment string) string
}

// OverrideSet is a set of override kinds.
type OverrideSet uint8

// The override kinds.
const (
	AllowPin      OverrideSet = 1 << iota // pin a deployment, by header or model name
	AllowCategory                         // hint the category
	AllowMaxCost                          // cap the cost
	AllowLatency                          // cap the latency
	AllowFallback                         // disable fallback
	AllowAll      = AllowPin | AllowCategory | AllowMaxCost | AllowLatency | AllowFallback
)

// Health is a snapshot of deployment health by deployment name; a
// deployment that is absent (or a nil map) is healthy.
type Health map[string]Status

// Status is one deployment's health as the policy honours it.
type Status struct {
	// Unavailable deployments are never chosen (rejected with Reason).
	Unavailable bool
	// RetryIn is how long until an Unavailable deployment takes traffic
	// again (its open breaker lets a probe through); zero when unknown.
	// When health turned every candidate away, the error's RetryAfter is
	// the shortest of them.
	RetryIn time.Duration
	// Demoted deployments rank after every healthy one.
	Demoted bool
	// Reason says why, for the explanation.
	Reason string
	// RateLimitedUntil, when not zero, is when the deployment's rate
	// limit window (a 429's Retry-After) ends: until then it ranks after
	// every candidate that is not limited, like a demoted one.
	RateLimitedUntil time.Time
	// FlexUnavailableUntil, when not zero, is when the deployment's flex
	// window (the Retry-After of a 429 resource_unavailable) ends: until
	// then the dispatcher skips it for a flex request while another
	// candidate can answer. A flex request's explanation notes it.
	FlexUnavailableUntil time.Time
	// FastUnavailableUntil, when not zero, is when the deployment's fast
	// window (the Retry-After of a 429 to a request in Claude's fast
	// mode) ends: until then a request for fast mode is sent to it at
	// standard speed. Such a request's explanation notes it.
	FastUnavailableUntil time.Time
	// MaxOutputLearned, when above zero, is the most output tokens the
	// deployment's own refusal said its model writes, which it stated at
	// MaxOutputLearnedAt (health.OutputLimit): a request asking for more
	// (max_tokens) is rejected as one above a configured
	// max_output_tokens is (ReasonMaxOutput, by ByRefusal).
	MaxOutputLearned   int
	MaxOutputLearnedAt time.Time
}

// Input is everything a decision depends on. Plan reads it and never
// keeps it.
type Input struct {
	// Model is what the client asked for: a route or a deployment name.
	Model string
	// Alias is the name the client used when Model was resolved from an
	// alias (Policy.Resolve); it is shown in the explanation.
	Alias     string
	Features  Features
	Overrides Overrides
	// Health is the health snapshot; nil means every deployment is healthy.
	Health Health
	// Demotions are the quality monitor's demotions; nil means none.
	Demotions Demotions
	// RouteDemotions are the quality monitor's demotions confined to one
	// route each; nil means none. DemotionProbe is the share of requests
	// (0 to 1, drawn from Seed) for which they are waived.
	RouteDemotions RouteDemotions
	DemotionProbe  float64
	// Semantic is the result of matching the request against the semantic
	// categories of the route in Model; the zero value means none.
	Semantic Semantic
	// Seed drives weighted splits and the adaptive scorer's draws; the
	// gateway derives it from the request id, so one request always gets
	// the same plan.
	Seed uint64
	// Tenant is the caller's tenant ("" for none): the adaptive scorer
	// pools its statistics with everyone's.
	Tenant string
	// Learned is the adaptive scorer's statistics; nil means none yet
	// (every estimate is its prior).
	Learned *bandit.Snapshot
	// Predicted are the route's learned prompt-level model's predictions
	// for this request (the gateway computes them from the prompt's
	// text); the zero value means none, and every deployment's quality is
	// its configured one.
	Predicted Predictions
}

// Plan is the decision for one request: tiers of candidates to try in
// order, with their timeouts, and why.
type Plan struct {
	// Route is the route whose policy made the plan (for a pinned
	// deployment, the route its fallbacks come from; "" for none).
	Route string
	// Pinned is the deployment the caller pinned, "" if none; it is alone
	// in the first tier.
	Pinned string
	// Tiers are tried in order; never empty.
	Tiers []Tier
	// Deadline is the request's total latency budget, from its start;
	// zero means none beyond the server's request timeout.
	Deadline time.Duration
	// Propensity is the probability that this plan's first candidate is
	// first, over the plan's randomness (a weighted split's roll, the
	// adaptive scorer's draws): 1 when the choice was deterministic.
	// Offline replays weigh outcomes by its inverse.
	Propensity  float64
	Explanation Explanation
}

// Tier is one step of failover.
type Tier struct {
	// Candidates in the order to try (or hedge); never empty.
	Candidates []Candidate
	// TTFTTimeout is how long to wait for a candidate's first token
	// before moving on.
	TTFTTimeout time.Duration
	// TTFTExplicit reports a timeout set by the route's config or the
	// caller's header: it then applies to every candidate of the tier.
	// Otherwise TTFTTimeout is the default (the floor of each candidate's
	// own timeout; see docs/resilience.md).
	TTFTExplicit bool
	// Fallback is the 1-based entry of the client's refusal fallbacks
	// (llm.Request.Fallbacks) whose model the tier serves: tried only
	// after a refusal. 0 for the route's own tiers.
	Fallback int `json:",omitempty"`
}

// Candidate is one deployment a plan may call.
type Candidate struct {
	Deployment *Deployment
	// Score is the scorer's value (higher is better).
	Score float64
	// EstCostUSD is the estimated cost of the request on it at its
	// standard price, which the scorers rank by; zero, and meaningless,
	// when CostUnknown.
	EstCostUSD float64
	// TierCostUSD is the estimate at the service tier the request would
	// be served and priced on by this candidate (Plan.ServiceTierOf):
	// what the cost ceilings compare. It is EstCostUSD at the standard
	// tier.
	TierCostUSD float64
	// EstLatency is the expected total latency; zero when the deployment
	// declares no latency.
	EstLatency time.Duration
	// Pinned marks the caller's pin; Preferred a deployment a prefer list
	// moved up; Split the pick of a weighted split; Demoted a deployment
	// health ranked last.
	Pinned, Preferred, Split, Demoted bool
	// CostUnknown reports a deployment without a known price: its cost
	// cannot be estimated (see docs/cost.md for how it ranks).
	CostUnknown bool
	// ResponsesAPI reports a candidate called on the Responses API for
	// this request: its api says so, or its api is auto and the request
	// is one only that API serves (function tools its model refuses on
	// Chat Completions at the request's effort, hosted tools, ultrafast).
	ResponsesAPI bool
	// NoResponsesRoute reports a candidate that goes on Chat Completions
	// instead, its host having answered that it has no /responses route
	// (dispatch.NoResponsesRoutes; ResponsesAPI then false). The policy
	// never sets it: the gateway notes it on a dry run's plan.
	NoResponsesRoute bool
	// QualityProbe reports a candidate demoted on the plan's route
	// (Input.RouteDemotions) whose demotion this request waives: it is one
	// of the Input.DemotionProbe share that keeps showing the monitor how
	// the deployment answers. It ranks as if it were not demoted.
	QualityProbe bool
	// Clamps reports a candidate whose max_tokens may be lowered to its
	// output limit (clamp.go: a route or an alias chose it, or the
	// route's max_tokens is always), when the request sets max_tokens: a
	// refusal of that max_tokens stating the limit is tried again at once
	// with it lowered when no later candidate can write the full amount
	// (dispatch.Plan.LowerMaxTokens).
	Clamps bool
	// (The flags sit together: a Candidate is copied while ranking.)
	// RateLimitedUntil is when the candidate's rate limit window ends
	// (zero: not rate limited); such a candidate ranks last.
	RateLimitedUntil time.Time
	// FlexUnavailableUntil is when the candidate's flex window ends, for a
	// flex request (zero otherwise, or when it has none): the dispatcher
	// skips it until then unless no other candidate can answer.
	FlexUnavailableUntil time.Time
	// FastUnavailableUntil is when the candidate's fast window ends, for a
	// request for fast mode (zero otherwise, or when it has none): until
	// then the dispatcher sends it the request at standard speed.
	FastUnavailableUntil time.Time
	// QualityDemoted is why quality monitoring demoted the candidate for
	// the request's category (Input.Demotions); "" when it did not. Such
	// a candidate ranks last, like a Demoted one.
	QualityDemoted string
	// TTFTTimeout is the candidate's own first-token timeout, when the
	// caller of Plan (the gateway) derived one for the explanation; zero
	// means the tier's applies. Plan never sets it.
	TTFTTimeout time.Duration
	// Learned is the adaptive scorer's estimate, when it ordered the
	// candidate.
	Learned Learned
	// Predicted is the route's learned model's prediction for the
	// candidate, when it has one.
	Predicted Predicted
	// MaxTokens is the max_tokens the candidate is sent in place of the
	// request's larger one, its output limit (max_output_tokens, or the
	// one learned from its refusal), when a route or an alias chose it
	// (clamp.go); zero when the request's own is sent.
	MaxTokens int
	// DroppedHosted are the hosted tools the request declares without
	// forcing them that the candidate cannot run, left out of what it is
	// sent (the route's hosted_tools drop_optional: hosted_optional.go);
	// such a candidate ranks after those that run them. 0 for none.
	DroppedHosted llm.HostedKinds
	// Dropped names, for a dry run, what of the request the candidate's
	// attempt would leave out, as its answer's x-switchyard-route says
	// (dropped=): DroppedHosted, then the controls its adapter drops
	// (reasoning_effort, temperature…). The policy never sets it: the
	// gateway notes it on a dry run's plan, where Summary names it.
	Dropped []string
}

// quality is the candidate's quality for this request: predicted, or
// configured.
func (c *Candidate) quality() float64 {
	if c.Predicted.Set {
		return c.Predicted.Quality
	}
	return c.Deployment.Quality
}

// ranksLast reports a candidate health or quality monitoring moves after
// the others: demoted, or in a rate limit window.
func (c *Candidate) ranksLast() bool {
	return c.Demoted || c.QualityDemoted != "" || !c.RateLimitedUntil.IsZero()
}

// Len returns the number of candidates in the plan.
func (p *Plan) Len() int {
	n := 0
	for i := range p.Tiers {
		n += len(p.Tiers[i].Candidates)
	}
	return n
}

// First returns the first candidate's deployment name.
func (p *Plan) First() string { return p.Tiers[0].Candidates[0].Deployment.Name }
