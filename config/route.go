package config

import (
	"time"

	"switchyard/llm"
)

// Strategy says how a route ranks the deployments that pass its checks.
type Strategy string

// The ranking strategies.
const (
	// StrategyOrdered keeps the order in which the deployments are listed.
	StrategyOrdered Strategy = "ordered"
	// StrategyBalanced weighs quality against price and expected latency.
	StrategyBalanced Strategy = "balanced"
	// StrategyCheapest puts the lowest estimated cost first.
	StrategyCheapest Strategy = "cheapest"
	// StrategyBest puts the highest quality first.
	StrategyBest Strategy = "best"
)

// Strategies lists the strategies, in the order the docs give them.
var Strategies = []Strategy{StrategyOrdered, StrategyBalanced, StrategyCheapest, StrategyBest}

// Defaults of route fields.
const (
	// DefaultTierCount is the most tiers a plan has.
	DefaultTierCount = 3
	// DefaultTierTTFTTimeout is each tier's time-to-first-token timeout.
	DefaultTierTTFTTimeout = 800 * time.Millisecond
	// MaxTierCount bounds Tiers.Count.
	MaxTierCount = 10
	// MaxRules bounds the rules of one route.
	MaxRules = 64
)

// Route is a virtual model name clients ask for and the policy behind it:
// which deployments are acceptable, per category of request, within which
// cost and latency ceilings, and how to rank them.
type Route struct {
	// Name is the route's key in Config.Routes; empty means the key.
	// Clients may ask for the route by it or by one of Aliases.
	Name        string
	Aliases     []string
	Description string
	// Deployments is the acceptable set: nothing else is ever chosen for
	// a category without its own Deployments. Listed in preference order
	// (used by StrategyOrdered). Required.
	Deployments []string
	// Policy holds the route-wide ceilings and ranking; a category's own
	// Policy fields override them.
	Policy
	// MinConfidence is the classifier confidence below which the category
	// policies are not used (nor rules that name a category), and the
	// route-wide policy applies; zero means categories always apply.
	MinConfidence float64
	// Reference is the deployment the weekly report's savings price the
	// route's traffic at: what it would have cost without routing
	// (docs/report.md#savings). Empty means the route's most expensive
	// deployment with a known price.
	Reference string
	// Tiers shapes the plan's failover tiers.
	Tiers Tiers
	// FirstByte holds the route's first-byte timeouts of moderations,
	// speech, images and transcriptions, for every candidate; zero fields
	// leave each candidate's own.
	FirstByte FirstByteTimeouts
	// Hedge starts the next candidate in parallel when the current one is
	// slow to its first token; the zero value is off.
	Hedge Hedge
	// Resume continues a stream that breaks after its first token on the
	// next candidate that can (see docs/resilience.md); nil means true.
	Resume *bool
	// OnRefusal is what a refusal does (docs/resilience.md#refusals):
	// RefusalReturn (empty too) answers with it, RefusalFallback tries the
	// next candidates first.
	OnRefusal string
	// MaxTokens is what a max_tokens above a candidate's output limit
	// (max_output_tokens) does (docs/routing.md#max-tokens):
	// MaxTokensClamp (empty too) lowers it to the limit where the route or
	// an alias chose the candidate, MaxTokensRefuse never does,
	// MaxTokensAlways also for a deployment the client named itself.
	MaxTokens string
	// HostedTools is what a hosted tool the request declares but does not
	// force does to a candidate that cannot run it
	// (docs/routing.md#optional-hosted-tools): HostedToolsRefuse refuses
	// the candidate, HostedToolsDropOptional leaves the tool out for it;
	// empty means the responses section's hosted_tools (Responses.HostedTools).
	HostedTools string
	// Categories holds per-category policies; a category without one uses
	// the route-wide policy. Nil means none.
	Categories map[llm.Category]*RouteCategory
	// Rules adjust the choice by request features, in order; every rule
	// whose conditions all hold applies.
	Rules []*Rule
	// Semantic defines categories of the route's own, recognized by
	// similarity to example utterances; nil means none.
	Semantic *Semantic
	// Adaptive learns from outcomes which of the candidates to put first
	// (docs/adaptive.md); nil means off.
	Adaptive *Adaptive
	// Learned loads a prompt-level model whose predictions replace the
	// configured quality of the deployments it maps (docs/learning.md);
	// nil means none.
	Learned *Learned
	// Guard replaces the top-level guard section's parts it sets for the
	// requests that ask for this route (guard.go); nil means none.
	Guard *Guard
}

// Policy is the part of a route that a category may override. Zero fields
// mean "inherit" in a category and "none" (or the default) in a route.
type Policy struct {
	// Strategy ranks candidates; empty means the route's, and for a route
	// StrategyOrdered.
	Strategy Strategy
	// Prefer lists deployments to rank first, in order, when acceptable;
	// a category's list replaces the route's.
	Prefer []string
	// Split picks the first tier by weight among these deployments (the
	// pick is seeded by the request id); a category's replaces the route's.
	Split []Weight
	// MaxPrice caps the list price a deployment may have; zero fields mean
	// no cap.
	MaxPrice MaxPrice
	// MaxCostPerRequest caps the estimated cost of one request in USD:
	// prompt tokens × input price + expected output tokens × output price.
	// Zero means no cap.
	MaxCostPerRequest float64
	// LatencyBudget caps expected latency and sets the request deadline.
	LatencyBudget LatencyBudget
	// ExpectedOutputTokens is the output assumed when the request sets no
	// max_tokens, for cost and latency estimates; zero means the
	// category's built-in default.
	ExpectedOutputTokens int
	// Require lists capabilities every candidate must declare; a
	// category's are added to the route's.
	Require []llm.Capability
}

// Weight is one deployment's share of a split.
type Weight struct {
	Deployment string
	Weight     int
}

// MaxPrice caps prices, in USD per 1M tokens; zero means no cap.
type MaxPrice struct {
	Input, Output float64
}

// LatencyBudget bounds latency. A deployment whose configured latency
// predicts more is not chosen; one with no configured latency is not
// checked. Total is also the request's deadline.
type LatencyBudget struct {
	// TTFT caps the deployment's typical time to first token; zero means
	// no cap.
	TTFT time.Duration
	// Total caps the expected total time (TTFT plus expected output at
	// the deployment's speed) and is the request's deadline; zero means
	// no cap.
	Total time.Duration
}

// Tiers shapes a plan: tiers 1..Count-1 hold Size candidates each, the
// last tier holds the rest.
type Tiers struct {
	// Count is the most tiers; zero means DefaultTierCount.
	Count int
	// Size is the candidates per tier but the last; zero means 1.
	Size int
	// TTFTTimeout is the time-to-first-token timeout of each tier, by
	// position; tiers past the list use its last value. Nil means
	// DefaultTierTTFTTimeout for every tier.
	TTFTTimeout []time.Duration
}

// RouteCategory is a route's policy for one category of request.
type RouteCategory struct {
	// Deployments replaces the route's acceptable set for this category;
	// nil means the route's.
	Deployments []string
	Policy
}

// Rule adjusts routing when all of its conditions hold.
type Rule struct {
	// Name identifies the rule in explanations; unique within a route.
	Name string
	When Condition
	// Require rejects candidates that do not declare these capabilities.
	Require []llm.Capability
	// Prefer ranks these deployments first (before the category's Prefer).
	Prefer []string
	// Exclude rejects these deployments.
	Exclude []string
	// Strategy, when set, replaces the category's or route's.
	Strategy Strategy
}

// Condition is what a rule matches; unset fields match anything.
type Condition struct {
	// Categories matches the classified (or hinted) category.
	Categories []llm.Category
	// Languages matches the prompt's language: an ISO 639-1 code,
	// LanguageEnglish or LanguageNonEnglish.
	Languages []string
	// Turn is TurnFirst or TurnLater; empty matches both.
	Turn string
	// MinPromptTokens and MaxPromptTokens bound the prompt size; zero
	// means no bound.
	MinPromptTokens, MaxPromptTokens int
	// HasCode, HasTools, WantsJSON and HasImages match the request feature;
	// nil matches both.
	HasCode, HasTools, WantsJSON, HasImages *bool
}

// Condition values.
const (
	// LanguageEnglish matches English ("en" does too).
	LanguageEnglish = "english"
	// LanguageNonEnglish matches any detected language other than English.
	LanguageNonEnglish = "non-english"
	// TurnFirst matches the first user turn of a conversation.
	TurnFirst = "first"
	// TurnLater matches every later turn.
	TurnLater = "later"
)

// Resumes reports whether the route continues broken streams (Resume,
// defaulting to true).
func (r *Route) Resumes() bool { return r.Resume == nil || *r.Resume }

// What a route does with a refusal (Route.OnRefusal).
const (
	// RefusalReturn answers with the refusal, as the deployment gave it.
	RefusalReturn = "return"
	// RefusalFallback tries the plan's next candidates when a deployment
	// refuses before any of its answer reached the client, and answers
	// with the refusal only when none answers otherwise.
	RefusalFallback = "fallback"
)

// What a route does with a max_tokens above a candidate's output limit
// (Route.MaxTokens).
const (
	// MaxTokensClamp passes such a candidate over when another writes the
	// full max_tokens, and sends it max_tokens lowered to its limit when
	// none can; a deployment the client named by its own name (or its own
	// model id) is refused, as its provider would.
	MaxTokensClamp = "clamp"
	// MaxTokensRefuse refuses every such candidate: a 400 when none is
	// left.
	MaxTokensRefuse = "refuse"
	// MaxTokensAlways is MaxTokensClamp that lowers max_tokens for a
	// deployment the client named itself too.
	MaxTokensAlways = "always"
)

// What a candidate that cannot run a hosted tool the request declares
// (OpenAI's web_search, file_search…) does (Route.HostedTools,
// Responses.HostedTools).
const (
	// HostedToolsRefuse refuses such a candidate: a 400 when none is left.
	HostedToolsRefuse = "refuse"
	// HostedToolsDropOptional keeps such a candidate when the request does
	// not force the tools it cannot run, ranked after the candidates that
	// run them, and leaves those tools out when it serves the request.
	HostedToolsDropOptional = "drop_optional"
)

// hostedToolsModes are the values of hosted_tools.
var hostedToolsModes = []string{HostedToolsRefuse, HostedToolsDropOptional}

// FallsBackOnRefusal reports whether the route tries its next candidates
// after a refusal (OnRefusal is RefusalFallback).
func (r *Route) FallsBackOnRefusal() bool { return r.OnRefusal == RefusalFallback }
