// Package periodic runs a task at a fixed interval in the background,
// saying once when it starts failing and once when it works again, as
// the routers' loops over a shared store do (lease renewals, key
// reloads, configuration following).
package periodic

import (
	"context"
	"time"
)

// Run calls task every interval until ctx ends (not at once: the first
// call is one interval in). When a call fails while ctx is live after
// the last one did not, failed is told its error; when one works after
// one failed, recovered is told. Failures in between say nothing, so a
// store down for an hour is logged twice, not every tick.
func Run(ctx context.Context, interval time.Duration, task func(context.Context) error, failed func(error), recovered func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := task(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			failed(err)
			failing = true
		case err == nil && failing:
			recovered()
			failing = false
		}
	}
}
