package tenant

import (
	"errors"
	"fmt"
	"time"

	"switchyard/llm"
	"switchyard/state"
)

// rateLimited is the 429 of a limit reached: which limit (e.g. "rpm of
// key support-bot (60 requests per minute)") and when to retry, never
// sooner than a second.
func rateLimited(which string, wait time.Duration) *llm.Error {
	wait = max(wait, time.Second)
	secs := int64((wait + time.Second - 1) / time.Second)
	e := llm.Errorf(llm.KindRateLimit, "Rate limit reached: %s. Retry after %ds.", which, secs)
	e.Code, e.RetryAfter = CodeRateLimited, wait
	return e
}

// failure turns a back end's failure into the client's error: a 503 when
// it does not answer (state.on_error deny reaches here), else a 500.
func (l *Limiter) failure(err error) error {
	if errors.Is(err, state.ErrUnavailable) {
		e := llm.Wrap(llm.KindUnavailable, err, "Rate limits cannot be checked right now (the shared state back end does not answer); try again shortly.")
		e.Code, e.RetryAfter = CodeLimitsUnavailable, time.Second
		return e
	}
	return llm.Wrap(llm.KindInternal, fmt.Errorf("tenant: limits: %w", err), "internal error checking a rate limit")
}
