package e2e

import (
	"slices"
	"sync"
	"testing"
	"time"

	"switchyard/config"
)

// The fault suite's tier timeouts are scaled to how fast this machine
// answers while it runs: a time-to-first-token timeout fixed at 150ms
// cut off healthy deployments on a loaded 2-core machine (the parallel
// packages of go test ./... compete for it), which made the suite fail
// for reasons that had nothing to do with resilience.

var (
	calibrateOnce sync.Once
	calibrated    time.Duration
)

// Bounds of the calibrated timeout: never tighter than 300ms (twice the
// route's usual 150ms: calibrated once per binary, it must hold when the
// load rises later in the run; at 150ms a healthy Gemini stream was cut
// off while other packages' tests loaded the machine), never so loose that the 2s-slow primary of "slow primary" would
// answer inside it or three tiers would not fit the 3s deadline.
const (
	minTierTimeout = 300 * time.Millisecond
	maxTierTimeout = 900 * time.Millisecond
)

// tierTimeout returns the time-to-first-token timeout for the fault
// suite: four times the p99 latency of healthy requests through the
// router at the suite's concurrency, measured once per test binary,
// clamped to [minTierTimeout, maxTierTimeout].
func tierTimeout(t *testing.T) time.Duration {
	t.Helper()
	calibrateOnce.Do(func() {
		e, _ := resilientEnvWith(t, 10*time.Second, func(r *config.Route) {
			r.Tiers.TTFTTimeout = []time.Duration{5 * time.Second}
		})
		outs := load(t, e, 400, 16, false)
		lat := make([]time.Duration, 0, len(outs))
		for _, o := range outs {
			lat = append(lat, o.latency)
		}
		slices.Sort(lat)
		p99 := lat[len(lat)*99/100]
		calibrated = min(max(4*p99, minTierTimeout), maxTierTimeout)
		t.Logf("healthy p99 %s: tier timeout %s", p99.Round(time.Microsecond), calibrated)
	})
	return calibrated
}

// calibratedEnv is resilientEnvWith with the tier timeout scaled to this
// machine (tierTimeout) before edit is applied.
func calibratedEnv(t *testing.T, deadline time.Duration, edit func(*config.Route)) *env {
	ttft := tierTimeout(t)
	e, _ := resilientEnvWith(t, deadline, func(r *config.Route) {
		r.Tiers.TTFTTimeout = []time.Duration{ttft}
		if edit != nil {
			edit(r)
		}
	})
	return e
}

// lateness returns how much later than its deadline a request may end
// before a test calls it a hang: 250ms, or the calibrated tier timeout
// (four times the healthy p99 through the router) when this machine is
// slower than that. Under load the client's own goroutine can wait that
// long to run; a router that ignored its deadline would be seconds late.
func lateness(t *testing.T) time.Duration {
	return max(250*time.Millisecond, tierTimeout(t))
}
