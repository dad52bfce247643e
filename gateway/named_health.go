package gateway

import (
	"context"
	"sync"
	"time"

	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/health"
	routepkg "switchyard/route"
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
// dispatcher does a chat attempt's: an answer with its latency, a
// failure as dispatch.HealthOutcome says; an error that says nothing
// about the deployment only gives back its probe slot. An answer is no
// time to a first token, even one that comes whole (an embedding): what
// chat reads of a deployment's speed — its derived first-token timeout,
// hedging's quantile, the baseline latency demotion compares with — is
// its chat answers' alone, whatever else it serves.
func (g *Gateway) recordNamed(t *Target, err error, probe bool, latency time.Duration) {
	if g.health == nil {
		return
	}
	if err == nil {
		g.health.Record(health.Outcome{Deployment: t.Deployment.Name, Probe: probe, Latency: latency})
		return
	}
	if o, ok := dispatch.HealthOutcome(&t.Deployment, err, probe, false); ok {
		g.health.Record(o)
		return
	}
	g.health.Release(t.Deployment.Name, probe)
}

// attemptTimeout is the first-byte timeout of a named attempt on t, the
// k-th (from 0) candidate of route ("" for a deployment named directly),
// for a request of tokens input tokens, plus the input's allowance
// (dispatch.Dispatcher.TTFTTimeout): the caller's x-switchyard-timeout-ms
// (route.WithTierTimeout), as it replaces a chat tier's; else, for
// embeddings (the zero fb), the one a chat attempt would have
// (namedTTFT); else the route's first_byte_timeout for the endpoint,
// else t's, else the endpoint's own. Chat's tiers.ttft_timeout and
// ttft_timeout, sized for a first token, do not bound an image's
// minutes.
func (g *Gateway) attemptTimeout(ctx context.Context, fb firstByte, route string, t *Target, k, tokens int) time.Duration {
	if d := routepkg.TierTimeoutFrom(ctx); d > 0 {
		return g.withAllowance(t, d, tokens)
	}
	if fb.pick == nil {
		return g.namedTTFT(route, t, k, tokens)
	}
	if fb.own < 0 {
		return 0 // bounded otherwise (noFirstByte)
	}
	base := fb.own
	if r, ok := g.firstBytes[route]; ok && fb.pick(&r) > 0 {
		base = fb.pick(&r)
	} else if i := g.targetIndex(t); i >= 0 && fb.pick(&g.ttft[i].firstByte) > 0 {
		base = fb.pick(&g.ttft[i].firstByte)
	}
	return g.withAllowance(t, base+fb.extra, tokens)
}

// withAllowance is base plus the allowance of tokens input tokens at t's
// prefill speed; base for a Target built in Go.
func (g *Gateway) withAllowance(t *Target, base time.Duration, tokens int) time.Duration {
	if i := g.targetIndex(t); i >= 0 {
		return g.dispatcher.TTFTTimeout(g.dtargets[i], base, tokens)
	}
	return base
}

// targetIndex is t's index among the configured targets, or -1 for a
// Target built in Go.
func (g *Gateway) targetIndex(t *Target) int {
	for i, x := range g.targets {
		if x == t {
			return i
		}
	}
	return -1
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
	i := g.targetIndex(t)
	if i < 0 {
		return base
	}
	if len(tiers.TTFTTimeout) == 0 {
		base = g.ownTTFT(i, t.Deployment.Name, base)
	}
	return g.dispatcher.TTFTTimeout(g.dtargets[i], base, tokens)
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

// attemptBound is the first-byte timeout of one named attempt: a timer
// that cancels the attempt's context unless the call returned first.
type attemptBound struct {
	parent context.Context
	cancel context.CancelFunc
	timer  *time.Timer
	mu     sync.Mutex
	ended  bool // the call returned before the timer fired
	cut    bool // the timer fired before the call returned
}

// boundAttempt returns ctx bounded by ttft until the call it is passed to
// returns (attemptBound.end), and the bound; ctx itself and a nil bound
// when ttft is not positive.
func boundAttempt(ctx context.Context, ttft time.Duration) (context.Context, *attemptBound) {
	if ttft <= 0 {
		return ctx, nil
	}
	actx, cancel := context.WithCancel(ctx)
	b := &attemptBound{parent: ctx, cancel: cancel}
	b.timer = time.AfterFunc(ttft, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if !b.ended {
			b.cut = true
			cancel()
		}
	})
	return actx, b
}

// end stops the bound once the call returned and reports whether the
// bound (not the parent context's own end) cut the call. An answer read
// after the call returned (live: speech audio, an event stream, a
// WebSocket) keeps the context, which ends with the request's; any other
// releases it.
func (b *attemptBound) end(live bool) bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	b.ended = true
	cut := b.cut
	b.mu.Unlock()
	b.timer.Stop()
	if !live || cut {
		b.cancel()
	}
	return cut && b.parent.Err() == nil
}
