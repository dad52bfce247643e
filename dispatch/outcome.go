package dispatch

import (
	"context"
	"errors"
	"net/http"

	"switchyard/health"
	"switchyard/llm"
	"switchyard/provider"
)

// This file says what an attempt's error means: for the plan (retry the
// target, go on, stop), for the client (the error to answer with) and for
// the deployment's health.

// retryable reports whether the same target may be tried again.
func retryable(err error) bool {
	var e *llm.Error
	return errors.As(err, &e) && e.Retryable
}

// stop reports whether err ends the whole plan: the caller's own mistake
// (no other deployment would answer differently) or the request is over.
// A context window overflow does not: a larger window may take it; nor
// does a refusal of what the deployment is (misfit.go): another model may
// take the request as it is; nor an upstream's 413, its own size limit
// (Anthropic's 32 MB, a proxy's 1 MB): another's may be larger.
func stop(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return true
	}
	var e *llm.Error
	if !errors.As(err, &e) || e.Code == llm.CodeContextLength || deploymentRefusal(e) {
		return false // a candidate with a larger context window may fit it
	}
	switch e.Kind {
	case llm.KindInvalidRequest, llm.KindUnprocessable, llm.KindCanceled:
		return true
	}
	return false
}

// finalError is the error to answer with: a deadline or cancellation of
// the request itself wins over the last upstream failure, in the words of
// its cause when the server gave one (an *llm.Error: the client's
// timeout, server.request_timeout).
func finalError(ctx context.Context, last error) error {
	var cause *llm.Error
	if ctx.Err() != nil && errors.As(context.Cause(ctx), &cause) {
		c := *cause // the cause may be shared by every request
		c.Err = last
		return &c
	}
	switch ctx.Err() {
	case context.DeadlineExceeded:
		return &llm.Error{Kind: llm.KindTimeout, Message: "the request's deadline passed before any deployment answered; raise the latency budget or retry", Err: last}
	case context.Canceled:
		return &llm.Error{Kind: llm.KindCanceled, Message: "request canceled by the client", Err: last}
	}
	return Misconfigured(llm.AsError(last))
}

// Misconfigured is e, or, when e says the deployment's model does not
// exist upstream (or its key has no access to it) with a 4xx, a copy of
// it as the 502 it is to the client: the model the client named (a
// route, a deployment) exists at the router, whose configuration is wrong.
// Its code stays model_not_found.
func Misconfigured(e *llm.Error) *llm.Error {
	if e == nil || e.Code != llm.CodeModelNotFound || e.HTTPStatus() >= 500 {
		return e
	}
	c := *e
	c.Kind, c.Status, c.Retryable, c.Err = llm.KindUpstream, http.StatusBadGateway, false, e
	c.Message = e.Message + " (the deployment's model; check its model, and its provider's key and region, in the router config)"
	return &c
}

// outcome turns an attempt's error on t into a health outcome; ok is
// false for errors that say nothing about the deployment: the caller's
// mistakes, cancellations, and timeouts of a large prompt (large). A
// refusal of the request's output size that states the model's limit
// (provider.OutputLimit) is no failure either, but its limit is learned.
func outcome(t *Target, err error, probe, latencyProbe, large bool) (health.Outcome, bool) {
	o, ok := HealthOutcome(&t.Deployment, err, probe, large)
	o.LatencyProbe = latencyProbe
	return o, ok
}

// HealthOutcome is the health outcome of an attempt on d that failed
// with err, as outcome says, for a caller that runs its own attempts
// (the gateway's embeddings, moderations and media endpoints); probe is
// what health.Tracker.Acquire said of the attempt. ok is false for an
// error that says nothing about d: the caller then releases the attempt
// (health.Tracker.Release) instead of recording it.
func HealthOutcome(d *llm.Deployment, err error, probe, large bool) (_ health.Outcome, ok bool) {
	o := health.Outcome{Deployment: d.Name, Probe: probe}
	e := llm.AsError(err)
	switch e.Code {
	case llm.CodeModelUnsupported:
		if o.OutputLimit = provider.OutputLimit(e.Param, e.Message); o.OutputLimit > 0 {
			o.Model = d.Model
			return o, true
		}
		return o, false // what the request asks of the model, not its health
	case llm.CodeModelNotFound: // whatever the status says
		o.Failed, o.Misconfigured = true, "the upstream has not its model, or its key no access to it"
		return o, true
	case llm.CodeUpstreamAuth:
		o.Failed, o.Misconfigured = true, "the upstream refused its credentials"
		return o, true
	}
	switch e.Kind {
	case llm.KindCanceled, llm.KindInvalidRequest, llm.KindUnprocessable, llm.KindTooLarge:
		return o, false
	case llm.KindTimeout:
		if large {
			return o, false // the request's size, not the deployment, made it slow
		}
		o.Failed = true
	case llm.KindRateLimit:
		if e.Code == llm.CodeFastRateLimited {
			// Fast mode's own rate limit: the deployment's standard-speed
			// traffic is not limited; the window holds back fast mode only.
			o.FastUnavailable, o.RetryAfter = true, e.RetryAfter
			return o, true
		}
		if e.Code == llm.CodeFlexUnavailable {
			// Flex capacity ran out (OpenAI's 429 resource_unavailable,
			// which only a flex request gets): no outage, and no limit
			// of the deployment's standard traffic, which must not skip
			// it for the 429's Retry-After nor count it as a failure;
			// its Retry-After holds back flex requests only.
			o.FlexUnavailable, o.RetryAfter = true, e.RetryAfter
			return o, true
		}
		o.RateLimited, o.RetryAfter = true, e.RetryAfter
	default:
		o.Failed = true
	}
	return o, true
}

const codeTierTimeout = "tier_timeout"

// BreakerOpen is the error of an attempt on dep that h's breaker turned
// away: a 503 whose RetryAfter is how long until the breaker lets a
// probe through, when it is open (the SDKs wait that long to retry).
func BreakerOpen(h *health.Tracker, dep string) *llm.Error {
	e := llm.Errorf(llm.KindUnavailable, "deployment %s is unavailable: its circuit breaker is open", dep)
	e.RetryAfter = h.Status(dep).RetryIn
	return e
}
