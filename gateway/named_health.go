package gateway

import (
	"context"
	"time"

	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/health"
)

// This file is what the named endpoints' attempts (named.go) share with
// the dispatcher's: the deployment's breaker, asked before an attempt
// and fed its outcome, and, for the endpoints whose answer comes whole
// (embeddings), the first-token timeout that abandons a stalled call for
// the next candidate.

// acquireNamed asks the health tracker to send an attempt to t: ok is
// false while its breaker turns attempts away (the error is then
// dispatch.BreakerOpen's), probe that the attempt is a breaker probe.
func (g *Gateway) acquireNamed(t *Target) (probe, ok bool) {
	if g.health == nil {
		return false, true
	}
	return g.health.Acquire(t.Deployment.Name)
}

// recordNamed feeds the outcome of an attempt on t that took latency and
// ended with err (nil: it answered) to the deployment's health, as the
// dispatcher does a chat attempt's: an answer with its latency (and, for
// an answer that comes whole, as its time to first token), a failure as
// dispatch.HealthOutcome says; an error that says nothing about the
// deployment only gives back its probe slot.
func (g *Gateway) recordNamed(t *Target, err error, probe bool, latency time.Duration, whole bool) {
	if g.health == nil {
		return
	}
	if err == nil {
		o := health.Outcome{Deployment: t.Deployment.Name, Probe: probe, Latency: latency}
		if whole {
			o.TTFT = latency
		}
		g.health.Record(o)
		return
	}
	if o, ok := dispatch.HealthOutcome(&t.Deployment, err, probe, false); ok {
		g.health.Record(o)
		return
	}
	g.health.Release(t.Deployment.Name, probe)
}

// namedTTFT is the first-token timeout of an embeddings attempt on t,
// the k-th (from 0) candidate of route ("" for a deployment named
// directly), for a request of tokens input tokens: the timeout a chat
// attempt on t would have in the route's tier of that rank — the
// route's tiers.ttft_timeout, else t's own ttft_timeout or the one
// derived from its speed (ownTTFT) — plus the input's allowance
// (dispatch.Dispatcher.TTFTTimeout).
func (g *Gateway) namedTTFT(route string, t *Target, k, tokens int) time.Duration {
	tiers := g.tiers[route]
	base := config.DefaultTierTTFTTimeout
	if n := len(tiers.TTFTTimeout); n > 0 {
		base = tiers.TTFTTimeout[min(tierOf(tiers, k), n-1)]
	}
	for i, x := range g.targets {
		if x != t {
			continue
		}
		if len(tiers.TTFTTimeout) == 0 {
			base = g.ownTTFT(i, t.Deployment.Name, base)
		}
		return g.dispatcher.TTFTTimeout(g.dtargets[i], base, tokens)
	}
	return base // a Target built in Go, not among the configured ones
}

// tierOf is the tier (from 0) of a route's k-th candidate: tiers but the
// last hold Size candidates each (config.Tiers).
func tierOf(tiers config.Tiers, k int) int {
	count, size := tiers.Count, tiers.Size
	if count <= 0 {
		count = config.DefaultTierCount
	}
	return min(k/max(size, 1), count-1)
}

// firstTokenBound returns ctx bounded by ttft when ttft is positive, and
// a function that reports, once the attempt ended, whether the bound
// (not ctx's own end) cut it and releases it.
func firstTokenBound(ctx context.Context, ttft time.Duration) (context.Context, func() bool) {
	if ttft <= 0 {
		return ctx, func() bool { return false }
	}
	actx, cancel := context.WithTimeout(ctx, ttft)
	return actx, func() bool {
		cut := actx.Err() != nil && ctx.Err() == nil
		cancel()
		return cut
	}
}
