// Package health watches every deployment's live behaviour — outcomes,
// time to first token and latency in sliding windows, rate limits — and
// turns it into two verdicts the router acts on: a circuit breaker
// (closed → open → half-open with probes → closed) that stops traffic to a
// failing deployment, and a latency-spike detector that demotes a
// deployment whose latency keeps exceeding its own baseline until probes
// show it has recovered. Every transition is reported with its reason.
//
// A Tracker is fed by the dispatcher after every upstream attempt and read
// by the routing policy through Snapshot; it does no I/O.
package health

import "time"

// Config tunes a Tracker. Zero fields take the defaults noted.
type Config struct {
	// Window is the span of the sliding outcome window (60s), kept in
	// Buckets buckets (12).
	Window  time.Duration
	Buckets int

	// The breaker opens when the window holds at least MinRequests (10)
	// attempts and FailureRatio (0.5) of them failed, or after
	// ConsecutiveFailures (5) failures in a row.
	MinRequests         int
	FailureRatio        float64
	ConsecutiveFailures int
	// FailingAttemptsPerSecond (2) is how many attempts a second a failing
	// deployment (two failures in a row, breaker not yet open) gets before
	// Held tells callers with another candidate to skip it.
	FailingAttemptsPerSecond int
	// OpenFor is how long an open breaker refuses traffic before it lets
	// probes through (30s).
	OpenFor time.Duration
	// HalfOpenProbes is how many probes may be in flight at once (1), and
	// ProbeSuccesses how many must succeed in a row to close (2).
	HalfOpenProbes int
	ProbeSuccesses int

	// A latency spike is a window bucket whose median time to first token
	// exceeds SpikeFactor (3) times the deployment's baseline (and at
	// least MinSpike, 50ms), measured over at least SpikeMinSamples (3)
	// requests. SpikeCount (3) spikes within SpikeWindow (1h) demote it.
	SpikeFactor     float64
	MinSpike        time.Duration
	SpikeMinSamples int
	SpikeCount      int
	SpikeWindow     time.Duration
	// BaselineMinSamples successful requests (20) are needed before the
	// baseline is trusted; BaselineAlpha (0.05) is its EWMA weight.
	BaselineMinSamples int
	BaselineAlpha      float64
	// A demoted deployment gets a probe request every ProbeInterval (10s);
	// RecoverProbes (3) successes in a row with a time to first token within
	// RecoverFactor (1.5) times the baseline (or under MinSpike) promote
	// it back.
	ProbeInterval time.Duration
	RecoverProbes int
	RecoverFactor float64
}

func (c Config) withDefaults() Config {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	defD := func(p *time.Duration, v time.Duration) {
		if *p <= 0 {
			*p = v
		}
	}
	defF := func(p *float64, v float64) {
		if *p <= 0 {
			*p = v
		}
	}
	defD(&c.Window, 60*time.Second)
	def(&c.Buckets, 12)
	def(&c.MinRequests, 10)
	defF(&c.FailureRatio, 0.5)
	def(&c.ConsecutiveFailures, 5)
	def(&c.FailingAttemptsPerSecond, 2)
	defD(&c.OpenFor, 30*time.Second)
	def(&c.HalfOpenProbes, 1)
	def(&c.ProbeSuccesses, 2)
	defF(&c.SpikeFactor, 3)
	defD(&c.MinSpike, 50*time.Millisecond)
	def(&c.SpikeMinSamples, 3)
	def(&c.SpikeCount, 3)
	defD(&c.SpikeWindow, time.Hour)
	def(&c.BaselineMinSamples, 20)
	defF(&c.BaselineAlpha, 0.05)
	defD(&c.ProbeInterval, 10*time.Second)
	def(&c.RecoverProbes, 3)
	defF(&c.RecoverFactor, 1.5)
	return c
}

// BreakerState is the state of a deployment's circuit breaker.
type BreakerState string

// The breaker states.
const (
	Closed   BreakerState = "closed"    // traffic flows
	Open     BreakerState = "open"      // traffic refused until OpenFor passes
	HalfOpen BreakerState = "half_open" // a few probes test recovery
)

// Outcome is the result of one upstream attempt.
type Outcome struct {
	Deployment string
	// Failed reports a failure that counts against the deployment: 5xx,
	// timeouts, resets, garbage. Client errors (4xx other than 429) and
	// cancellations by the caller are not failures of the deployment and
	// should not be recorded at all.
	Failed bool
	// Misconfigured, with Failed, says how the deployment's configuration
	// failed (the upstream refused its key, or has not its model): every
	// request would fail alike until the configuration changes, so it
	// opens the breaker at once, with this reason (probes after OpenFor
	// find a key rotated or a model deployed meanwhile). Empty means the
	// failure is not of the configuration.
	Misconfigured string
	// RateLimited reports a 429; it is counted but does not open the breaker.
	RateLimited bool
	// FlexUnavailable reports a flex request refused for want of flex
	// capacity (OpenAI's 429 resource_unavailable). It is no failure and
	// no limit of the deployment's other traffic: it is not counted, and
	// its RetryAfter opens a window for flex requests only
	// (FlexUnavailableRemaining).
	FlexUnavailable bool
	// FastUnavailable reports a request in Claude's fast mode refused by
	// fast mode's own rate limit (a 429 to speed "fast", which has a
	// limit of its own, apart from the model's standard one). It is no
	// failure and no limit of the deployment's standard-speed traffic:
	// it is not counted, and it opens a window for fast requests only
	// (FastUnavailableRemaining) of its RetryAfter, or FastCooldown when
	// the upstream sent none.
	FastUnavailable bool
	// OutputLimit, when above zero, reports a refusal of the request's
	// output size that stated the most output tokens Model writes on
	// the deployment (provider.OutputLimit). It is no failure: it is not
	// counted, and the deployment's learned limit becomes it (or stays
	// the smaller one) for OutputLimitMemory (LearnedOutputLimit).
	OutputLimit int
	Model       string
	// RetryAfter is a 429's Retry-After, if the upstream sent one: the
	// deployment is then rate limited until that long from now (see
	// RateLimitedUntil).
	RetryAfter time.Duration
	// TTFT is the time to the first token (zero if none arrived); Latency
	// the time to the end of the answer (zero if it did not end).
	TTFT, Latency time.Duration
	// Probe reports an attempt made as a breaker probe (Acquire said so).
	Probe bool
	// LatencyProbe reports an attempt made as a recovery probe of a demoted
	// deployment (ClaimLatencyProbe said so). Only these can promote it.
	LatencyProbe bool
}

// Transition is a change of a deployment's breaker or demotion state.
type Transition struct {
	Deployment string
	// What is "breaker" or "latency".
	What     string
	From, To string
	Reason   string
	At       time.Time
}

// conf returns the configuration in force.
func (t *Tracker) conf() *Config { return t.cfg.Load() }

// SetConfig puts cfg in force, for every deployment, from the next
// attempt on: each deployment's breaker and demotion state, latency
// baseline and recent latencies are kept; when the window's span or
// bucket count changes, the outcome counts start anew in windows of the
// new shape. Safe to call while the tracker is in use.
func (t *Tracker) SetConfig(cfg Config) {
	c := cfg.withDefaults()
	old := t.cfg.Swap(&c)
	if old.Window == c.Window && old.Buckets == c.Buckets {
		return
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, s := range t.states {
		s.mu.Lock()
		w := newWindow(c.Window, c.Buckets)
		w.ttft, w.latency = s.win.ttft, s.win.latency
		s.win, s.cur = w, nil
		s.mu.Unlock()
	}
}
