package config

import "time"

// Resilience tunes how the router survives failing upstreams: retries,
// the inter-token stall timeout, and the health tracker's breaker and
// latency-spike detector. Zero fields take the defaults noted (the Default*
// constants): Validate fills them in, so a validated Config holds the
// values in effect.
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
// each value). Zero fields take the defaults noted, filled in by Validate.
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
// in parallel and the first to stream wins. The zero value is off. With a
// Quantile, After is the threshold while a deployment has no history;
// Validate sets it to DefaultHedgeAfter when zero.
type Hedge struct {
	After    time.Duration
	Quantile float64
}

// Enabled reports whether hedging is on.
func (h Hedge) Enabled() bool { return h.After > 0 || h.Quantile > 0 }

// Endpoint is one member of a provider's key pool: another key, or
// another endpoint with its own key.
type Endpoint struct {
	// BaseURL overrides the provider's base_url; empty means the
	// provider's. Validate removes a trailing slash.
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

// Defaults of the resilience section, of a hedge and of a key pool.
const (
	// DefaultRetries is Resilience.Retries when unset; MaxRetries bounds it.
	DefaultRetries = 1
	MaxRetries     = 10
	// DefaultBackoff and DefaultBackoffMax are the first and the longest
	// wait between retries.
	DefaultBackoff    = 100 * time.Millisecond
	DefaultBackoffMax = 2 * time.Second
	// DefaultStallTimeout is Resilience.StallTimeout when unset.
	DefaultStallTimeout = 30 * time.Second

	// The defaults of Health's fields, by field name.
	DefaultHealthWindow        = 60 * time.Second
	DefaultMinRequests         = 10
	DefaultFailureRatio        = 0.5
	DefaultConsecutiveFailures = 5
	DefaultOpenFor             = 30 * time.Second
	DefaultProbes              = 1
	DefaultProbeSuccesses      = 2
	DefaultSpikeFactor         = 3.0
	DefaultSpikeCount          = 3
	DefaultSpikeWindow         = time.Hour
	DefaultProbeInterval       = 10 * time.Second
	DefaultRecoverProbes       = 3

	// DefaultHedgeAfter is Hedge.After when only a Quantile is set: the
	// threshold used while a deployment has no history of first tokens.
	DefaultHedgeAfter = 500 * time.Millisecond

	// DefaultBalance is Provider.Balance when unset.
	DefaultBalance = BalanceLeastInFlight
)

// balances lists the balancing strategies, in the order the docs give them.
var balances = []string{BalanceLeastInFlight, BalanceWeighted}

// applyDefaults fills the zero fields of r with their defaults. Negative
// values are left for validation to report.
func (r *Resilience) applyDefaults() {
	if r.Retries == nil {
		n := DefaultRetries
		r.Retries = &n
	}
	orDuration(&r.Backoff, DefaultBackoff)
	orDuration(&r.BackoffMax, DefaultBackoffMax)
	orDuration(&r.StallTimeout, DefaultStallTimeout)
	h := &r.Health
	orDuration(&h.Window, DefaultHealthWindow)
	orInt(&h.MinRequests, DefaultMinRequests)
	orFloat(&h.FailureRatio, DefaultFailureRatio)
	orInt(&h.ConsecutiveFailures, DefaultConsecutiveFailures)
	orDuration(&h.OpenFor, DefaultOpenFor)
	orInt(&h.Probes, DefaultProbes)
	orInt(&h.ProbeSuccesses, DefaultProbeSuccesses)
	orFloat(&h.SpikeFactor, DefaultSpikeFactor)
	orInt(&h.SpikeCount, DefaultSpikeCount)
	orDuration(&h.SpikeWindow, DefaultSpikeWindow)
	orDuration(&h.ProbeInterval, DefaultProbeInterval)
	orInt(&h.RecoverProbes, DefaultRecoverProbes)
}

// applyDefaults gives a hedge with only a quantile its fallback threshold.
func (h *Hedge) applyDefaults() {
	if h.Quantile != 0 && h.After == 0 {
		h.After = DefaultHedgeAfter
	}
}

func orInt(p *int, v int) {
	if *p == 0 {
		*p = v
	}
}

func orFloat(p *float64, v float64) {
	if *p == 0 {
		*p = v
	}
}

func orDuration(p *time.Duration, v time.Duration) {
	if *p == 0 {
		*p = v
	}
}

// Pooled reports whether the provider has more than its one api_key: any
// APIKeys or Endpoints.
func (p *Provider) Pooled() bool { return len(p.APIKeys) > 0 || len(p.Endpoints) > 0 }

// Members returns the provider's key pool, resolved, in this order:
//   - the provider's own BaseURL and APIKey, when APIKey is set or the
//     provider has no pool (a keyless loopback server); a pooled provider
//     without an APIKey is not a member itself;
//   - one member per APIKeys entry, at BaseURL;
//   - each Endpoint, with an empty BaseURL or APIKey taken from the
//     provider.
//
// Every member's Weight is at least 1 (the provider's own and APIKeys
// members weigh 1). Call it on a validated Config; the slice is new.
func (p *Provider) Members() []Endpoint {
	var out []Endpoint
	if p.APIKey != "" || !p.Pooled() {
		out = append(out, Endpoint{BaseURL: p.BaseURL, APIKey: p.APIKey, Weight: 1})
	}
	for _, k := range p.APIKeys {
		out = append(out, Endpoint{BaseURL: p.BaseURL, APIKey: k, Weight: 1})
	}
	for _, e := range p.Endpoints {
		out = append(out, p.resolve(e))
	}
	return out
}

// resolve fills an endpoint's unset fields from the provider.
func (p *Provider) resolve(e Endpoint) Endpoint {
	if e.BaseURL == "" {
		e.BaseURL = p.BaseURL
	}
	if e.APIKey == "" {
		e.APIKey = p.APIKey
	}
	e.Weight = max(e.Weight, 1)
	return e
}
