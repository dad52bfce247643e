package anthropic

import (
	"net/http"
	"strconv"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// serveTier decides the tier that serves g, as Anthropic assigns it: a
// request of a Message Batch is served by the Batch tier; a
// request that may use Priority Tier (service_tier auto, or none) to a
// model the simulated organization has a commitment for is served at
// priority while the minute's commitment holds its input (as Anthropic
// burns it down: sim.PriorityBurn) and its output, else at standard;
// standard_only, or a model without a commitment, always at standard.
// usage.service_tier says which; no header does, but a request that
// could use a commitment gets the anthropic-priority-* headers (the
// capacity left after it, whether it was served at priority or not: the
// documented way to tell a request was eligible).
func (s *server) serveTier(r *http.Request, h http.Header, g *generation) {
	g.usage.ServiceTier = wire.TierStandard
	if r.Context().Value(batchLine{}) != nil {
		g.usage.ServiceTier = wire.TierBatch // a batch's requests are the Batch tier's
		return
	}
	if g.req.ServiceTier == wire.TierStandardOnly {
		return
	}
	u := &g.usage
	write5m, write1h := u.CacheCreationInputTokens, 0
	if c := u.CacheCreation; c != nil {
		write5m, write1h = c.Ephemeral5mInputTokens, c.Ephemeral1hInputTokens
	}
	burn := sim.PriorityBurn(u.InputTokens, u.CacheReadInputTokens, write5m, write1h)
	grant, ok := s.behavior.PriorityTier().Assign(g.p.Model, burn, u.OutputTokens)
	if !ok {
		return
	}
	if grant.Priority {
		u.ServiceTier = wire.TierPriority
	}
	reset := grant.Reset.UTC().Format(time.RFC3339)
	h.Set("anthropic-priority-input-tokens-limit", strconv.Itoa(grant.InputLimit))
	h.Set("anthropic-priority-input-tokens-remaining", strconv.Itoa(grant.InputRemaining))
	h.Set("anthropic-priority-input-tokens-reset", reset)
	h.Set("anthropic-priority-output-tokens-limit", strconv.Itoa(grant.OutputLimit))
	h.Set("anthropic-priority-output-tokens-remaining", strconv.Itoa(grant.OutputRemaining))
	h.Set("anthropic-priority-output-tokens-reset", reset)
}
