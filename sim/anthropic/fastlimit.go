package anthropic

import (
	"net/http"
	"strconv"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// Fast mode has a rate limit of its own, apart from the model's standard
// limits, and one for the whole context range. Past it the API answers a
// request in fast mode 429 rate_limit_error with retry-after, and every
// fast-mode answer carries its state in the anthropic-fast-* headers.

// fastTokensPerMinute is the simulated organization's fast-mode limit,
// for input and for output tokens alike.
const fastTokensPerMinute = 400000

// fastLimited answers a request in fast mode that a fast_rate_limit fault
// strikes (sim.FaultFastRateLimit) with Anthropic's 429, and reports
// whether it did. Requests at standard speed never see the fault.
func (s *server) fastLimited(w http.ResponseWriter, req *wire.MessagesRequest, p *sim.Profile) bool {
	if req.Speed != wire.SpeedFast || !fastServed(p.Model, req.Betas) {
		return false
	}
	ft, ok := s.faults.Take(sim.FaultFastRateLimit, p.Model)
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("retry-after", ft.RetryAfterSeconds())
	reset := time.Now().Add(ft.RetryAfter).UTC().Format(time.RFC3339)
	for _, kind := range []string{"input", "output"} {
		h.Set("anthropic-fast-"+kind+"-tokens-limit", strconv.Itoa(fastTokensPerMinute))
		h.Set("anthropic-fast-"+kind+"-tokens-remaining", "0")
		h.Set("anthropic-fast-"+kind+"-tokens-reset", reset)
	}
	writeError(w, wire.RateLimitError, "This request would exceed your organization's rate limit of "+strconv.Itoa(fastTokensPerMinute)+" fast mode input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.")
	return true
}
