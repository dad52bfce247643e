package route

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// This file renders plans for people (switchyard route explain) and for
// programs (POST /v1/route). Neither is on the hot path.

// jsonPlan is the JSON shape of a Plan.
type jsonPlan struct {
	Object     string  `json:"object"`
	Route      string  `json:"route"`
	Pinned     string  `json:"pinned,omitempty"`
	Category   string  `json:"category"`
	Confidence float64 `json:"confidence"`
	Summary    string  `json:"summary"`
	DeadlineMS int64   `json:"deadline_ms,omitempty"`
	// Propensity is the probability the first candidate had of being
	// first (Plan.Propensity).
	Propensity  float64      `json:"propensity"`
	Tiers       []jsonTier   `json:"tiers"`
	Explanation *Explanation `json:"explanation"`
}

type jsonTier struct {
	Tier          int             `json:"tier"`
	TTFTTimeoutMS int64           `json:"ttft_timeout_ms"`
	Candidates    []jsonCandidate `json:"candidates"`
}

type jsonCandidate struct {
	Deployment string  `json:"deployment"`
	Provider   string  `json:"provider"`
	Model      string  `json:"model"`
	Score      float64 `json:"score"`
	// EstCostUSD is null when the deployment's price is unknown, which
	// CostUnknown also says.
	EstCostUSD *float64 `json:"est_cost_usd"`
	// ServiceTier and TierCostUSD are the tier the request would be
	// priced at on the candidate and the estimate there, which the cost
	// ceilings compared (Plan.ServiceTierOf); absent at the standard tier.
	ServiceTier  string   `json:"service_tier,omitempty"`
	TierCostUSD  *float64 `json:"tier_cost_usd,omitempty"`
	CostUnknown  bool     `json:"cost_unknown,omitempty"`
	EstLatencyMS int64    `json:"est_latency_ms,omitempty"`
	Pinned       bool     `json:"pinned,omitempty"`
	Preferred    bool     `json:"preferred,omitempty"`
	Split        bool     `json:"split,omitempty"`
	Demoted      bool     `json:"demoted,omitempty"`
	// QualityDemoted is why quality monitoring demoted the candidate for
	// the request's category.
	QualityDemoted string `json:"quality_demoted,omitempty"`
	// QualityProbe marks a candidate whose demotion on the route this
	// request waives (Candidate.QualityProbe).
	QualityProbe bool `json:"quality_probe,omitempty"`
	// ResponsesAPI marks a candidate called on the Responses API for this
	// request (Candidate.ResponsesAPI).
	ResponsesAPI bool `json:"responses_api,omitempty"`
	// NoResponsesRoute marks a candidate that goes on Chat Completions for
	// its host's lack of a /responses route (Candidate.NoResponsesRoute).
	NoResponsesRoute bool `json:"no_responses_route,omitempty"`
	// MaxTokens is the max_tokens the candidate is sent in place of the
	// request's larger one (Candidate.MaxTokens).
	MaxTokens int `json:"max_tokens,omitempty"`
	// DroppedHosted names the hosted tools left out of what the
	// candidate is sent (Candidate.DroppedHosted).
	DroppedHosted []string `json:"dropped_hosted,omitempty"`
	// Dropped names what the candidate's attempt would leave out, as its
	// answer's dropped= does (Candidate.Dropped; a dry run's).
	Dropped []string `json:"dropped,omitempty"`
	// RateLimitedUntil ends the candidate's rate limit window (RFC 3339).
	RateLimitedUntil string `json:"rate_limited_until,omitempty"`
	// FlexUnavailableUntil ends the candidate's flex window (RFC 3339), on
	// a flex request.
	FlexUnavailableUntil string `json:"flex_unavailable_until,omitempty"`
	// FastUnavailableUntil ends the candidate's fast window (RFC 3339),
	// on a request for fast mode: it is sent at standard speed until then.
	FastUnavailableUntil string `json:"fast_unavailable_until,omitempty"`
	// TTFTTimeoutMS is the candidate's own first-token timeout, when it
	// has one (else the tier's applies).
	TTFTTimeoutMS int64 `json:"ttft_timeout_ms,omitempty"`
	// Learned is the adaptive scorer's estimate, when it ordered the
	// candidate.
	Learned *jsonLearned `json:"learned,omitempty"`
	// Predicted is the route's learned model's prediction for the prompt,
	// when it has one for the candidate.
	Predicted *jsonPredicted `json:"predicted,omitempty"`
}

// jsonPredicted is a candidate's Predicted: the model's p(good), the
// quality the plan used (the same, or blended with the configured one),
// and Text, the same in words.
type jsonPredicted struct {
	PGood      float64 `json:"p_good"`
	Quality    float64 `json:"quality"`
	Configured float64 `json:"configured_quality"`
	Text       string  `json:"text"`
}

func newJSONPredicted(p *Predicted) *jsonPredicted {
	if !p.Set {
		return nil
	}
	return &jsonPredicted{PGood: round(p.P, 4), Quality: round(p.Quality, 4), Configured: round(p.Configured, 4), Text: p.Text()}
}

// jsonLearned is a candidate's Learned: p(good) with its 95% half-width
// and evidence, the normalized cost and the value, and Text, the same in
// words.
type jsonLearned struct {
	PGood           float64 `json:"p_good"`
	Half95          float64 `json:"ci95"`
	Outcomes        float64 `json:"outcomes"`
	ContextOutcomes float64 `json:"context_outcomes"`
	TenantOutcomes  float64 `json:"tenant_outcomes,omitempty"`
	Cost            float64 `json:"cost"`
	Value           float64 `json:"value"`
	Static          bool    `json:"static,omitempty"`
	Text            string  `json:"text"`
}

func newJSONLearned(l *Learned, minOutcomes int) *jsonLearned {
	if !l.Set {
		return nil
	}
	return &jsonLearned{
		PGood: round(l.P, 4), Half95: round(l.Half, 4), Outcomes: round(l.Outcomes, 1), ContextOutcomes: round(l.ContextOutcomes, 1),
		TenantOutcomes: round(l.TenantOutcomes, 1), Cost: round(l.Cost, 4), Value: round(l.Value, 4), Static: l.Static,
		Text: l.Text(minOutcomes),
	}
}

// Text says the estimate in words: "p(good)=0.91 ± 0.04 over 312
// outcomes", and for a deployment without enough outcomes "static: 12 of
// 30 outcomes needed (p(good)=0.80 ± 0.25)".
func (l *Learned) Text(minOutcomes int) string {
	est := fmt.Sprintf("p(good)=%.2f ± %.2f over %.0f outcomes", l.P, l.Half, l.Outcomes)
	if l.Static {
		// Whole outcomes gathered, never rounded up to the number needed.
		return fmt.Sprintf("static: %.0f of %d outcomes needed (%s)", math.Floor(l.Outcomes+outcomeSlack), minOutcomes, est)
	}
	return est
}

// MarshalJSON renders the plan with its explanation; the top level holds
// the category the policy used and the classifier's confidence.
func (p *Plan) MarshalJSON() ([]byte, error) {
	e := &p.Explanation
	out := jsonPlan{
		Object: "switchyard.route", Route: p.Route, Pinned: p.Pinned,
		Category: string(e.Category), Confidence: e.Features.Confidence,
		Summary: p.Summary(0, p.First(), 0), DeadlineMS: p.Deadline.Milliseconds(), Propensity: round(p.Propensity, 6), Explanation: e,
	}
	for i, t := range p.Tiers {
		jt := jsonTier{Tier: i + 1, TTFTTimeoutMS: t.TTFTTimeout.Milliseconds()}
		for _, c := range t.Candidates {
			jc := jsonCandidate{
				Deployment: c.Deployment.Name, Provider: c.Deployment.Provider, Model: c.Deployment.Model,
				Score: round(c.Score, 4), CostUnknown: c.CostUnknown, EstLatencyMS: c.EstLatency.Milliseconds(),
				Pinned: c.Pinned, Preferred: c.Preferred, Split: c.Split, Demoted: c.Demoted, QualityDemoted: c.QualityDemoted,
				QualityProbe: c.QualityProbe, ResponsesAPI: c.ResponsesAPI, NoResponsesRoute: c.NoResponsesRoute, MaxTokens: c.MaxTokens,
				DroppedHosted: c.DroppedHosted.Names(), Dropped: c.Dropped,
				TTFTTimeoutMS: c.TTFTTimeout.Milliseconds(), Learned: newJSONLearned(&c.Learned, e.Adaptive.MinOutcomes),
				Predicted: newJSONPredicted(&c.Predicted),
			}
			if !c.CostUnknown {
				est := round(c.EstCostUSD, 8)
				jc.EstCostUSD = &est
			}
			if t := p.ServiceTierOf(&c); t != "" {
				tc := round(c.TierCostUSD, 8)
				jc.ServiceTier, jc.TierCostUSD = string(t), &tc
			}
			if !c.RateLimitedUntil.IsZero() {
				jc.RateLimitedUntil = c.RateLimitedUntil.UTC().Format(time.RFC3339Nano)
			}
			if !c.FlexUnavailableUntil.IsZero() {
				jc.FlexUnavailableUntil = c.FlexUnavailableUntil.UTC().Format(time.RFC3339Nano)
			}
			if !c.FastUnavailableUntil.IsZero() {
				jc.FastUnavailableUntil = c.FastUnavailableUntil.UTC().Format(time.RFC3339Nano)
			}
			jt.Candidates = append(jt.Candidates, jc)
		}
		out.Tiers = append(out.Tiers, jt)
	}
	return json.Marshal(out)
}

// MarshalJSON adds the rejection's detail in words.
func (r Rejection) MarshalJSON() ([]byte, error) {
	type plain Rejection
	return json.Marshal(struct {
		plain
		Detail string `json:"detail"`
	}{plain(r), r.Detail()})
}

func round(f float64, digits int) float64 {
	var s float64 = 1
	for range digits {
		s *= 10
	}
	if f < 0 {
		return -float64(int64(-f*s+0.5)) / s
	}
	return float64(int64(f*s+0.5)) / s
}
