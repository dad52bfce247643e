package health

import (
	"sort"
	"time"
)

// Status is the part of a deployment's health the router acts on.
type Status struct {
	Breaker BreakerState
	// Available reports whether an attempt may be sent now: the breaker is
	// closed, half-open with a free probe slot, or open long enough to
	// become half-open.
	Available bool
	// RetryIn is, for a deployment not Available because its breaker is
	// open, how long until it lets a probe through (zero otherwise): a
	// caller turned away may be told to come back then (Retry-After).
	RetryIn time.Duration
	// Demoted reports a deployment whose latency spikes moved its traffic to
	// alternatives until probes show recovery.
	Demoted bool
	// Reason explains the breaker or demotion state ("" when healthy).
	Reason string
	// RateLimitedUntil is when the deployment's rate limit window ends
	// (zero when it is not rate limited): until then the dispatcher skips
	// it while another candidate can answer.
	RateLimitedUntil time.Time
	// FlexUnavailableUntil is when the deployment's flex window ends (the
	// Retry-After of its last flex capacity shortage; zero when none is
	// open): until then a flex request skips it while another candidate
	// can answer. Other requests ignore it.
	FlexUnavailableUntil time.Time
	// FastUnavailableUntil is when the deployment's fast window ends (the
	// Retry-After of its last fast-mode 429; zero when none is open):
	// until then a request for Claude's fast mode is sent to it at
	// standard speed. Other requests ignore it.
	FastUnavailableUntil time.Time
	// OutputLimit is the output limit learned from the deployment's
	// refusals (zero Tokens when none is remembered now).
	OutputLimit OutputLimit
}

// Status returns dep's current status without changing it.
func (t *Tracker) Status(dep string) Status {
	s := t.state(dep)
	now := t.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{Breaker: s.breaker, Demoted: s.demoted}
	switch s.breaker {
	case Closed:
		st.Available = true
	case HalfOpen:
		st.Available = s.probes < t.conf().HalfOpenProbes
		st.Reason = "circuit half-open: " + s.breakerReason
	case Open:
		st.Available = now.Sub(s.breakerSince) >= t.conf().OpenFor
		if !st.Available {
			st.RetryIn = t.conf().OpenFor - now.Sub(s.breakerSince)
		}
		st.Reason = "circuit open: " + s.breakerReason
	}
	if s.demoted && st.Reason == "" {
		st.Reason = "demoted: " + s.demoteReason
	}
	if now.Before(s.limitedUntil) {
		st.RateLimitedUntil = s.limitedUntil
		if st.Reason == "" {
			st.Reason = "rate limited until " + s.limitedUntil.UTC().Format(time.RFC3339Nano)
		}
	}
	if now.Before(s.flexUntil) {
		st.FlexUnavailableUntil = s.flexUntil
	}
	if now.Before(s.fastUntil) {
		st.FastUnavailableUntil = s.fastUntil
	}
	st.OutputLimit = s.learned.at(now)
	return st
}

// DeploymentHealth is the full picture of one deployment, for the admin
// API and dashboards.
type DeploymentHealth struct {
	Deployment    string        `json:"deployment"`
	Breaker       BreakerState  `json:"breaker"`
	BreakerReason string        `json:"breaker_reason,omitempty"`
	BreakerSince  time.Time     `json:"breaker_since,omitzero"`
	Demoted       bool          `json:"demoted"`
	DemoteReason  string        `json:"demote_reason,omitempty"`
	DemotedSince  time.Time     `json:"demoted_since,omitzero"`
	Requests      int           `json:"window_requests"`
	Failures      int           `json:"window_failures"`
	RateLimited   int           `json:"window_rate_limited"`
	ErrorRate     float64       `json:"window_error_rate"`
	TTFTp50       time.Duration `json:"ttft_p50_ns"`
	TTFTp90       time.Duration `json:"ttft_p90_ns"`
	TTFTp99       time.Duration `json:"ttft_p99_ns"`
	LatencyP50    time.Duration `json:"latency_p50_ns"`
	LatencyP99    time.Duration `json:"latency_p99_ns"`
	BaselineTTFT  time.Duration `json:"baseline_ttft_ns"`
	RecentSpikes  int           `json:"recent_spikes"`
	// RateLimitedUntil ends the current rate limit window (zero: none).
	RateLimitedUntil time.Time `json:"rate_limited_until,omitzero"`
	// FlexUnavailableUntil ends the current flex window (zero: none): the
	// Retry-After of a 429 resource_unavailable, during which flex
	// requests only skip the deployment.
	FlexUnavailableUntil time.Time `json:"flex_unavailable_until,omitzero"`
	// FastUnavailableUntil ends the current fast window (zero: none): the
	// Retry-After of a 429 to a request in fast mode, during which
	// requests for fast mode are sent at standard speed.
	FastUnavailableUntil time.Time `json:"fast_unavailable_until,omitzero"`
	// LearnedOutputLimit is the output limit learned from the
	// deployment's refusals (zero: none remembered), stated at
	// LearnedOutputLimitAt for model LearnedOutputLimitModel.
	LearnedOutputLimit      int       `json:"learned_output_limit,omitempty"`
	LearnedOutputLimitAt    time.Time `json:"learned_output_limit_at,omitzero"`
	LearnedOutputLimitModel string    `json:"learned_output_limit_model,omitempty"`
}

// Snapshot returns every deployment's health, sorted by name.
func (t *Tracker) Snapshot() []DeploymentHealth {
	t.mu.RLock()
	names := make([]string, 0, len(t.states))
	for n := range t.states {
		names = append(names, n)
	}
	t.mu.RUnlock()
	sort.Strings(names)
	now := t.now()
	out := make([]DeploymentHealth, 0, len(names))
	for _, n := range names {
		out = append(out, t.deploymentHealth(n, now))
	}
	return out
}

func (t *Tracker) deploymentHealth(name string, now time.Time) DeploymentHealth {
	s := t.state(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	req, fail, rl := s.win.totals(now)
	tq := s.win.ttft.quantiles(0.5, 0.9, 0.99)
	lq := s.win.latency.quantiles(0.5, 0.99)
	h := DeploymentHealth{
		Deployment: name, Breaker: s.breaker, BreakerReason: s.breakerReason, BreakerSince: s.breakerSince,
		Demoted: s.demoted, DemoteReason: s.demoteReason, DemotedSince: s.demotedSince,
		Requests: req, Failures: fail, RateLimited: rl,
		TTFTp50: tq[0], TTFTp90: tq[1], TTFTp99: tq[2], LatencyP50: lq[0], LatencyP99: lq[1],
		BaselineTTFT: time.Duration(s.baseline), RecentSpikes: len(s.spikes),
	}
	if now.Before(s.limitedUntil) {
		h.RateLimitedUntil = s.limitedUntil
	}
	if now.Before(s.flexUntil) {
		h.FlexUnavailableUntil = s.flexUntil
	}
	if now.Before(s.fastUntil) {
		h.FastUnavailableUntil = s.fastUntil
	}
	if l := s.learned.at(now); l.Tokens > 0 {
		h.LearnedOutputLimit, h.LearnedOutputLimitAt, h.LearnedOutputLimitModel = l.Tokens, l.At, l.Model
	}
	if req > 0 {
		h.ErrorRate = float64(fail) / float64(req)
	}
	return h
}

// TTFTQuantile returns dep's q-quantile time to first token over recent
// successful attempts, or 0 when there are none (hedging thresholds and
// derived first-token timeouts use it, on every request). The answer is
// cached and may lag by up to 15 samples.
func (t *Tracker) TTFTQuantile(dep string, q float64) time.Duration {
	s := t.state(dep)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.win.ttft.quantile(q)
}
