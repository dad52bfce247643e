// Package storetest is the conformance suite every store back end passes
// (Run), with realistic sample rows (Sample) for tests and benchmarks.
package storetest

import (
	"fmt"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// Base is the time of the sample rows: a fixed instant, so expectations
// do not depend on the clock.
var Base = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Sample returns a realistic row with every field set, distinct for each
// i: id "req_<i>", tenant "acme", time Base plus i milliseconds.
func Sample(i int) *store.Request {
	ttft := time.Duration(200+i%50) * time.Millisecond
	return &store.Request{
		ID: fmt.Sprintf("req_%08d", i), Time: Base.Add(time.Duration(i) * time.Millisecond),
		Tenant: "acme", KeyName: "backend-prod", Endpoint: "chat", Route: "auto",
		Pinned: "", Deployment: "claude-haiku-4-5", Category: llm.CategoryFactual, Confidence: 0.87,
		Status: 200, Stream: i%2 == 0, Fallback: true,
		Tokens:  store.Tokens{Prompt: 812, CachedRead: 512, CacheWrite: 64, CacheWrite1h: 32, Completion: 233, Reasoning: 40},
		CostUSD: 0.0012345, ServedCostUSD: 0.0011, CostEstimated: i%7 == 0, CostUnknown: i%5 == 0,
		Latency: 1500*time.Millisecond + time.Duration(i%100)*time.Millisecond, TTFT: ttft,
		Propensity: 0.9525 - float64(i%3)*0.25,
		Features: store.Features{
			Scores:       map[llm.Category]float64{llm.CategoryFactual: 0.87, llm.CategoryCreative: 0.13},
			PromptTokens: 812, Turn: 2, Language: "en", HasTools: true, WantsJSON: true,
		},
		Explanation: store.Explanation{
			CategorySource: "classifier", Policy: "categories.factual", Strategy: "cheapest", Scorer: "static",
			Rules:    []string{"first-turn-fast"},
			Adaptive: &store.Adaptive{Context: "factual/<2000/en/later/structured", Lambda: 0.5, Explore: 0.05, Greedy: "gpt-4o-mini", Explored: i%2 == 1},
			Candidates: []store.Candidate{
				{Deployment: "gpt-4o-mini", Tier: 1, Kept: true, CostUnknown: i%5 == 0, PGood: 0.9123, Outcomes: 312.5,
					CI95: 0.0381, Cost: 0.06, Static: i%2 == 0, Rank: 2},
				{Deployment: "claude-haiku-4-5", Tier: 2, Kept: true, FlexUnavailableUntil: "2026-03-01T12:00:30.5Z", FastUnavailableUntil: "2026-03-01T12:00:45Z", Fallback: 1, RateLimitedUntil: "2026-03-01T12:00:31Z"},
				{Deployment: "o3", Reason: "max_price", By: "route", Detail: "input price $2/1M exceeds route max_price.input $1/1M"},
			},
		},
		Attempts: []store.Attempt{
			{Deployment: "gpt-4o-mini", Tier: 1, Outcome: store.OutcomeError, ErrorKind: llm.KindUnavailable, ErrorCode: "server_overloaded",
				Latency: 80 * time.Millisecond, CostUnknown: i%5 == 0},
			{Deployment: "claude-haiku-4-5", Tier: 2, Outcome: store.OutcomeOK, TTFT: ttft, Latency: 1400 * time.Millisecond,
				Tokens: store.Tokens{Prompt: 812, Completion: 233}, CostUSD: 0.0012345},
		},
		Signals: store.Signals{FormatChecked: true, FormatOK: true, InvalidToolCalls: 1, AnswerChars: 931},
	}
}

// SampleBodies returns redacted bodies with every field set: a system,
// user, assistant (with a tool call) and tool message, and an answer
// with a hosted tool's item and annotations.
func SampleBodies() *store.Bodies {
	call := store.BodyToolCall{ID: "call_1", Name: "lookup", Arguments: `{"q":"[REDACTED:email]"}`}
	return &store.Bodies{
		Messages: []store.BodyMessage{
			{Role: "system", Text: "You answer briefly."},
			{Role: "user", Text: "Mail [REDACTED:email] about it. [image]"},
			{Role: "assistant", ToolCalls: []store.BodyToolCall{call}},
			{Role: "tool", ToolCallID: "call_1", Text: `{"found":true}`},
		},
		OmittedMessages: 2,
		Answer: &store.BodyAnswer{Text: "Done: écrit à [REDACTED:email].", Refusal: "", FinishReason: "stop",
			ToolCalls:   []store.BodyToolCall{{Name: "notify", Arguments: "{}"}},
			Hosted:      []store.BodyHosted{{Type: "web_search_call", Item: `{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"[REDACTED:email]"}}`}},
			Annotations: `[{"type":"url_citation","url":"https://example.com/a","title":"A","start_index":0,"end_index":5}]`},
		Truncated: true,
	}
}
