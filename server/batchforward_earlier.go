package server

import (
	"context"

	"switchyard/api/openai/batch"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/provider"
)

// retriedLine is l, which the provider batch's result r (nil: none) left
// to the router, carrying r's call (batch.Line.Earlier) when it failed
// having used tokens the provider bills: on dep, priced by price (the
// batch price). The line's record then bills it as its first attempt.
func retriedLine(l batch.Line, r *provider.BatchResult, dep llm.Deployment, price func(llm.Deployment) llm.Deployment) batch.Line {
	if r == nil || r.Err == nil || r.Usage == nil {
		return l
	}
	l.Earlier = &batch.Earlier{Deployment: price(dep), Usage: *r.Usage, Err: r.Err}
	return l
}

// withEarlierCall returns ctx, a batch line's, carrying for the gateway
// the provider batch's call of the line, if any (batch.EarlierOf).
func withEarlierCall(ctx context.Context) context.Context {
	e := batch.EarlierOf(ctx)
	if e == nil {
		return ctx
	}
	return gateway.WithEarlierAttempt(ctx, e.Deployment, e.Usage, e.Err)
}
