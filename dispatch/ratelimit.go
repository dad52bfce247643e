package dispatch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchyard/llm"
)

// waitRateLimit handles a target in a rate limit window (a 429's
// Retry-After, remembered by the health tracker across requests) or, for
// a flex request, in a flex window (the Retry-After of its last flex
// capacity shortage): it is skipped at once when another candidate
// follows; as the plan's last candidate it is waited for only if the
// window ends before the deadline. It returns nil when the target may be
// called now.
func (d *Dispatcher) waitRateLimit(ctx context.Context, st step, flex bool) error {
	if d.opts.Health == nil {
		return nil
	}
	// The tracker's own clock says how long is left: the dispatcher's may
	// differ (tests run health on virtual time).
	wait := d.opts.Health.RateLimitRemaining(st.t.Deployment.Name)
	code, what := codeRateLimited, "is rate limited by its upstream"
	if flex {
		if w := d.opts.Health.FlexUnavailableRemaining(st.t.Deployment.Name); w > wait {
			wait, code, what = w, llm.CodeFlexUnavailable, "has no flex capacity"
		}
	}
	if wait <= 0 {
		return nil
	}
	err := &llm.Error{
		Kind: llm.KindRateLimit, Retryable: true, RetryAfter: wait, Provider: st.t.Deployment.Provider, Code: code,
		Message: fmt.Sprintf("deployment %s %s for %s more", st.t.Deployment.Name, what, wait.Round(time.Millisecond)),
	}
	if !st.last || !d.fits(ctx, wait) || !d.sleep(ctx, wait) {
		return err
	}
	return nil
}

const codeRateLimited = "rate_limited_window"

// rateLimited reports a 429.
func rateLimited(err error) bool {
	var e *llm.Error
	return errors.As(err, &e) && e.Kind == llm.KindRateLimit
}

// sleep waits wait on the dispatcher's clock; it reports false if ctx
// ended first.
func (d *Dispatcher) sleep(ctx context.Context, wait time.Duration) bool {
	if wait <= 0 {
		return true
	}
	done := make(chan struct{})
	t := d.opts.AfterFunc(wait, func() { close(done) })
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// fastOff returns req at standard speed (llm.Request.AtStandardSpeed)
// when it asks for fast mode and t is in a fast window (the Retry-After
// of its last fast-mode 429): fast mode there would only be refused
// again. Otherwise req itself; it costs an atomic load when no window is
// open.
func (d *Dispatcher) fastOff(req *llm.Request, t *Target) *llm.Request {
	if !req.WantsFast() || d.opts.Health == nil || d.opts.Health.FastUnavailableRemaining(t.Deployment.Name) <= 0 {
		return req
	}
	return req.AtStandardSpeed()
}

// fastLimited reports a 429 of Claude's fast-mode rate limit.
func fastLimited(err error) bool {
	var e *llm.Error
	return errors.As(err, &e) && e.Code == llm.CodeFastRateLimited
}
