package route

import (
	"context"
	"time"
)

// The endpoints routed by their model alone (embeddings, moderations,
// images, audio, realtime) take no Overrides: of the routing headers
// they read x-switchyard-timeout-ms only, which reaches the gateway in
// the request's context.

type tierTimeoutKey struct{}

// WithTierTimeout returns ctx carrying a caller's x-switchyard-timeout-ms
// (HeaderTimeout) for an endpoint routed by its model alone: every
// attempt's first-byte timeout, as Overrides.TierTimeout is a chat
// tier's. Zero or less returns ctx unchanged.
func WithTierTimeout(ctx context.Context, d time.Duration) context.Context {
	if d <= 0 {
		return ctx
	}
	return context.WithValue(ctx, tierTimeoutKey{}, d)
}

// TierTimeoutFrom returns the timeout WithTierTimeout put in ctx, or zero
// when there is none.
func TierTimeoutFrom(ctx context.Context) time.Duration {
	d, _ := ctx.Value(tierTimeoutKey{}).(time.Duration)
	return d
}

// CheckTierTimeout reports, for a caller who may use the overrides in
// allowed, the 403 of an x-switchyard-timeout-ms it may not use (the
// "latency" override), as Plan does for chat; nil when d is zero or
// allowed.
func CheckTierTimeout(d time.Duration, allowed OverrideSet) error {
	return checkAllowed(&Overrides{TierTimeout: d, Allowed: allowed})
}
