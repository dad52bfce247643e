package admin

import (
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// This file holds the JSON the request log endpoints answer with: field
// names in snake_case, times in RFC 3339 (UTC, nanoseconds), durations in
// milliseconds as floats (microsecond precision). The shapes are part of
// the API (docs/admin-api.md); the command line decodes them too.

// RequestList is the answer of GET /admin/requests.
type RequestList struct {
	// Data are the matching requests, newest first.
	Data []RequestSummary `json:"data"`
	// Next is the cursor of the next page; empty on the last one.
	Next string `json:"next"`
}

// RequestSummary is one request of a listing: everything but the routing
// details, which RequestDetail adds.
type RequestSummary struct {
	ID         string    `json:"id"`
	Time       time.Time `json:"time"`
	Tenant     string    `json:"tenant"`
	KeyName    string    `json:"key_name"`
	Endpoint   string    `json:"endpoint"`
	Route      string    `json:"route"`
	Pinned     string    `json:"pinned"`
	Deployment string    `json:"deployment"`
	// BatchID is the batch whose line the request is; empty for a live
	// request.
	BatchID       string  `json:"batch_id"`
	Category      string  `json:"category"`
	Confidence    float64 `json:"confidence"`
	Status        int     `json:"status"`
	ErrorKind     string  `json:"error_kind"`
	Failed        bool    `json:"failed"`
	StreamFailed  bool    `json:"stream_failed"`
	Stream        bool    `json:"stream"`
	Fallback      bool    `json:"fallback"`
	ResumedFrom   string  `json:"resumed_from"`
	Tokens        Tokens  `json:"tokens"`
	CostUSD       float64 `json:"cost_usd"`
	ServedCostUSD float64 `json:"served_cost_usd"`
	CostEstimated bool    `json:"cost_estimated"`
	CostUnknown   bool    `json:"cost_unknown"`
	LatencyMs     float64 `json:"latency_ms"`
	TTFTMs        float64 `json:"ttft_ms"`
	Signals       Signals `json:"signals"`
}

// RequestDetail is the answer of GET /admin/requests/{id}: the summary
// plus the classifier's features, the plan's explanation and every
// upstream attempt.
type RequestDetail struct {
	RequestSummary
	// Propensity is the probability the plan's first candidate had of
	// being first (docs/adaptive.md#the-propensity).
	Propensity  float64           `json:"propensity"`
	Features    store.Features    `json:"features"`
	Explanation store.Explanation `json:"explanation"`
	Attempts    []Attempt         `json:"attempts"`
	// Bodies are the redacted prompt and answer, when the router stores
	// them (store.bodies: redacted); absent otherwise.
	Bodies *store.Bodies `json:"bodies,omitempty"`
}

// Tokens are token counts by kind; every field is always present.
type Tokens struct {
	Prompt     int `json:"prompt"`
	CachedRead int `json:"cached_read"`
	CacheWrite int `json:"cache_write"`
	// CacheWrite1h are the one-hour cache writes (part of CacheWrite).
	CacheWrite1h int `json:"cache_write_1h"`
	Completion   int `json:"completion"`
	Reasoning    int `json:"reasoning"`
}

// Signals are a request's answer-quality signals (store.Signals).
type Signals struct {
	FormatChecked    bool    `json:"format_checked"`
	FormatOK         bool    `json:"format_ok"`
	InvalidToolCalls int     `json:"invalid_tool_calls"`
	Refusal          bool    `json:"refusal"`
	ContentFilter    bool    `json:"content_filter"`
	Truncated        bool    `json:"truncated"`
	Empty            bool    `json:"empty"`
	AnswerChars      int     `json:"answer_chars"`
	LengthRatio      float64 `json:"length_ratio"`
}

// Attempt is one upstream call of a request (store.Attempt).
type Attempt struct {
	Deployment  string  `json:"deployment"`
	Tier        int     `json:"tier"`
	Outcome     string  `json:"outcome"`
	ErrorKind   string  `json:"error_kind"`
	ErrorCode   string  `json:"error_code,omitempty"`
	TTFTMs      float64 `json:"ttft_ms"`
	LatencyMs   float64 `json:"latency_ms"`
	Tokens      Tokens  `json:"tokens"`
	CostUSD     float64 `json:"cost_usd"`
	CostUnknown bool    `json:"cost_unknown"`
	ResumedFrom string  `json:"resumed_from"`
	Hedge       bool    `json:"hedge"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func tokensOf(t store.Tokens) Tokens { return Tokens(t) }

// SummaryOf returns the listing view of r.
func SummaryOf(r *store.Request) RequestSummary {
	return RequestSummary{
		ID: r.ID, Time: r.Time.UTC(), Tenant: r.Tenant, KeyName: r.KeyName, Endpoint: r.Endpoint,
		Route: r.Route, Pinned: r.Pinned, Deployment: r.Deployment, BatchID: r.BatchID,
		Category: string(r.Category), Confidence: r.Confidence,
		Status: r.Status, ErrorKind: string(r.ErrorKind), Failed: r.Failed(), StreamFailed: r.StreamFailed,
		Stream: r.Stream, Fallback: r.Fallback, ResumedFrom: r.ResumedFrom,
		Tokens: tokensOf(r.Tokens), CostUSD: llm.RoundUSD(r.CostUSD), ServedCostUSD: llm.RoundUSD(r.ServedCostUSD),
		CostEstimated: r.CostEstimated, CostUnknown: r.CostUnknown,
		LatencyMs: ms(r.Latency), TTFTMs: ms(r.TTFT), Signals: Signals(r.Signals),
	}
}

// DetailOf returns the whole view of r.
func DetailOf(r *store.Request) RequestDetail {
	d := RequestDetail{
		RequestSummary: SummaryOf(r), Propensity: r.Propensity, Features: r.Features, Explanation: r.Explanation,
		Attempts: make([]Attempt, len(r.Attempts)), Bodies: r.Bodies,
	}
	for i, a := range r.Attempts {
		d.Attempts[i] = Attempt{
			Deployment: a.Deployment, Tier: a.Tier, Outcome: a.Outcome, ErrorKind: string(a.ErrorKind), ErrorCode: a.ErrorCode,
			TTFTMs: ms(a.TTFT), LatencyMs: ms(a.Latency), Tokens: tokensOf(a.Tokens), CostUSD: llm.RoundUSD(a.CostUSD), CostUnknown: a.CostUnknown,
			ResumedFrom: a.ResumedFrom, Hedge: a.Hedge,
		}
	}
	return d
}
