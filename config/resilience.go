package config

import "time"

// Resilience tunes how the router survives failing upstreams: retries,
// the inter-token stall timeout, and the health tracker's breaker and
// latency-spike detector. Zero fields take the defaults noted.
type Resilience struct {
	// Retries is how many times one deployment is retried after a
	// retryable error (429, 5xx, connection errors) before the next
	// candidate is tried; nil means 1, and 0 disables retries.
	Retries *int
	// Backoff is the first retry's wait (100ms), doubling per retry with
	// full jitter up to BackoffMax (2s). A Retry-After longer than
	// BackoffMax moves on to the next candidate instead of waiting.
	Backoff, BackoffMax time.Duration
	// StallTimeout ends a stream that sends nothing for this long after
	// its first chunk (30s).
	StallTimeout time.Duration
	// Health tunes the per-deployment health tracker.
	Health Health
}

// Health tunes the health tracker (see package health for the meaning of
// each value). Zero fields take the defaults noted.
type Health struct {
	// Window is the sliding window of outcomes (60s).
	Window time.Duration
	// The breaker opens when the window holds MinRequests (10) attempts of
	// which FailureRatio (0.5) failed, or after ConsecutiveFailures (5);
	// it stays open OpenFor (30s), then lets Probes (1) probes through at
	// a time and closes after ProbeSuccesses (2) successes in a row.
	MinRequests         int
	FailureRatio        float64
	ConsecutiveFailures int
	OpenFor             time.Duration
	Probes              int
	ProbeSuccesses      int
	// SpikeCount (3) buckets whose median time to first token exceeds
	// SpikeFactor (3) times the deployment's baseline within SpikeWindow
	// (1h) demote it; then a request probes it every ProbeInterval (10s)
	// and RecoverProbes (3) good probes in a row promote it back.
	SpikeFactor   float64
	SpikeCount    int
	SpikeWindow   time.Duration
	ProbeInterval time.Duration
	RecoverProbes int
}

// Hedge asks a route to hedge slow first tokens: when the current
// candidate has sent no first token after After (or after the Quantile of
// its recent times to first token, when set), the next candidate starts
// in parallel and the first to stream wins. The zero value is off.
type Hedge struct {
	After    time.Duration
	Quantile float64
}

// Enabled reports whether hedging is on.
func (h Hedge) Enabled() bool { return h.After > 0 || h.Quantile > 0 }

// Endpoint is one member of a provider's key pool: another key, or
// another endpoint with its own key.
type Endpoint struct {
	// BaseURL overrides the provider's base_url; empty means the provider's.
	BaseURL string
	// APIKey is this member's key; empty means the provider's api_key.
	APIKey string
	// Weight is the member's share under weighted balancing; zero means 1.
	Weight int
}

// The balancing strategies of a provider with several keys or endpoints.
const (
	BalanceLeastInFlight = "least_in_flight"
	BalanceWeighted      = "weighted"
)
