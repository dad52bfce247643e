package config

import (
	"fmt"
	"math"
	"time"
)

// This file checks the resilience section and a route's hedge.

// checkCount returns the problem with a count that must be at least 1, or "".
func checkCount(n int) string {
	if n < 1 {
		return fmt.Sprintf("must be >= 1, got %d", n)
	}
	return ""
}

// checkFailureRatio returns the problem with a breaker's failure ratio, or "".
func checkFailureRatio(f float64) string {
	if !(f > 0 && f <= 1) {
		return "must be > 0 and <= 1, got " + ftoa(f)
	}
	return ""
}

// checkSpikeFactor returns the problem with a latency spike factor, or "".
func checkSpikeFactor(f float64) string {
	if !(f > 1) || math.IsInf(f, 0) {
		return "must be > 1, got " + ftoa(f)
	}
	return ""
}

// checkQuantile returns the problem with a hedge quantile, or "".
func checkQuantile(f float64) string {
	if !(f > 0 && f < 1) {
		return "must be between 0 and 1 (both excluded), got " + ftoa(f)
	}
	return ""
}

// check adds problem at path unless it is "".
func (v *validator) check(path, problem, hint string) {
	if problem != "" {
		v.add(path, problem, hint)
	}
}

// positive checks a duration that must be > 0.
func (v *validator) positive(path string, d time.Duration, hint string) {
	if d <= 0 {
		v.add(path, "must be > 0, got "+d.String(), hint)
	}
}

func (v *validator) resilience() {
	const path = "resilience"
	r := &v.c.Resilience
	if n := *r.Retries; n < 0 || n > MaxRetries {
		v.add(path+".retries", fmt.Sprintf("must be between 0 and %d, got %d", MaxRetries, n),
			"retries of one deployment after a 429, 5xx or connection error; 0 disables them")
	}
	v.positive(path+".backoff.base", r.Backoff, `the first retry's wait, e.g. "100ms"`)
	v.positive(path+".backoff.max", r.BackoffMax, `the longest wait between retries, e.g. "2s"`)
	if r.Backoff > 0 && r.BackoffMax > 0 && r.Backoff > r.BackoffMax {
		v.add(path+".backoff.base", fmt.Sprintf("%s exceeds backoff.max %s", r.Backoff, r.BackoffMax),
			fmt.Sprintf("the wait doubles from base up to max (%s unless set); lower base or raise max", DefaultBackoffMax))
	}
	v.positive(path+".stall_timeout", r.StallTimeout, `how long a started stream may send nothing, e.g. "30s"`)
	v.health(path+".health", &r.Health)
}

func (v *validator) health(path string, h *Health) {
	v.positive(path+".window", h.Window, `the span of outcomes the breaker looks at, e.g. "60s"`)
	b := path + ".breaker"
	v.check(b+".min_requests", checkCount(h.MinRequests), "attempts the window must hold before the ratio counts, e.g. 10")
	v.check(b+".failure_ratio", checkFailureRatio(h.FailureRatio), "the failed share of attempts that opens the breaker, e.g. 0.5")
	v.check(b+".consecutive_failures", checkCount(h.ConsecutiveFailures), "failures in a row that open the breaker, e.g. 5")
	v.positive(b+".open_for", h.OpenFor, `how long an open breaker refuses traffic, e.g. "30s"`)
	v.check(b+".probes", checkCount(h.Probes), "probes in flight at once while half-open, e.g. 1")
	v.check(b+".probe_successes", checkCount(h.ProbeSuccesses), "successful probes in a row that close the breaker, e.g. 2")
	l := path + ".latency"
	v.check(l+".spike_factor", checkSpikeFactor(h.SpikeFactor), "times the baseline time to first token that counts as a spike, e.g. 3")
	v.check(l+".spike_count", checkCount(h.SpikeCount), "spikes within spike_window that demote a deployment, e.g. 3")
	v.positive(l+".spike_window", h.SpikeWindow, `e.g. "1h"`)
	v.positive(l+".probe_interval", h.ProbeInterval, `how often a demoted deployment is probed, e.g. "10s"`)
	v.check(l+".recover_probes", checkCount(h.RecoverProbes), "good probes in a row that promote a deployment back, e.g. 3")
}

func (v *validator) hedge(path string, h *Hedge) {
	if h.After < 0 {
		v.add(path+".after", "must be > 0, got "+h.After.String(), `how long the first token may take before the next candidate starts, e.g. "400ms"`)
	}
	if h.Quantile != 0 {
		v.check(path+".quantile", checkQuantile(h.Quantile), "a quantile of the deployment's recent times to first token, e.g. 0.9")
	}
}
