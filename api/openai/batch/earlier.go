package batch

import (
	"context"

	"switchyard/llm"
)

// Earlier is a provider batch's call of a line that failed with usage
// the provider bills (a Responses API response of status failed) with an
// error a live request would retry: the line runs on the router, and its
// record bills this call as its first attempt.
type Earlier struct {
	// Deployment is the deployment the provider batch ran on, priced as
	// the call is billed (the batch price).
	Deployment llm.Deployment
	// Usage is what the call used; Err its failure.
	Usage llm.Usage
	Err   *llm.Error
}

type earlierKey struct{}

// withEarlier returns ctx carrying e; ctx itself when e is nil.
func withEarlier(ctx context.Context, e *Earlier) context.Context {
	if e == nil {
		return ctx
	}
	return context.WithValue(ctx, earlierKey{}, e)
}

// EarlierOf returns the provider batch's call of the line Dispatch runs
// with ctx (Line.Earlier), nil when there is none.
func EarlierOf(ctx context.Context) *Earlier {
	e, _ := ctx.Value(earlierKey{}).(*Earlier)
	return e
}
