package dispatch

import (
	"errors"
	"fmt"
	"time"

	"switchyard/llm"
)

// This file holds the first-token timeouts of attempts and their errors.

// TTFTTimeout returns the first-token timeout an attempt at t gets for a
// prompt of promptTokens when its plan gives it base: base plus the
// prompt's allowance at t's prefill speed; zero stays zero (no timeout).
func (d *Dispatcher) TTFTTimeout(t *Target, base time.Duration, promptTokens int) time.Duration {
	if base <= 0 {
		return 0
	}
	return base + d.prefill(t, promptTokens)
}

// prefill is the first-token allowance of a prompt of n tokens on t.
func (d *Dispatcher) prefill(t *Target, n int) time.Duration {
	tps := t.PrefillTokensPerSecond
	if tps <= 0 {
		tps = d.opts.PrefillTokensPerSecond
	}
	if n <= 0 {
		return 0
	}
	return time.Duration(float64(n) / tps * float64(time.Second))
}

func tierTimeoutError(t *Target, ttft time.Duration, cause error) *llm.Error {
	return TierTimeoutError(&t.Deployment, ttft, cause)
}

// TierTimeoutError is the error of an attempt on d abandoned at its
// first-token timeout ttft: a retryable timeout (not retried on d) whose
// cause is the call's own error.
func TierTimeoutError(d *llm.Deployment, ttft time.Duration, cause error) *llm.Error {
	return &llm.Error{
		Kind: llm.KindTimeout, Provider: d.Provider, Retryable: true, Code: codeTierTimeout,
		Message: fmt.Sprintf("deployment %s sent no first token within its %s tier timeout", d.Name, ttft), Err: cause,
	}
}

func isTierTimeout(err error) bool {
	var e *llm.Error
	return errors.As(err, &e) && e.Code == codeTierTimeout
}
