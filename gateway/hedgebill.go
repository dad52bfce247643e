package gateway

import (
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/record"
)

// billHedgeLosers bills each hedged call that lost before its first
// chunk (cancelled once its twin answered) an estimate of the input its
// upstream read: the prompt's tokens at the deployment's input price,
// marked estimated. Providers bill the prompt they processed even when
// the call is cancelled before it generates; the router cannot know how
// much was, so it counts the whole prompt (an upper bound). A loser that
// had sent a chunk is billed what it produced, by onAbandon; a call the
// client cancelled (no twin answered) is not billed here.
func (g *Gateway) billHedgeLosers(rec *record.Record, as []dispatch.Attempt) {
	if rec.Plan == nil || !hedgeAnswered(as) {
		return
	}
	prompt := rec.Plan.Explanation.Features.PromptTokens
	for i := range as {
		if !hedgeLoser(as, i) || (i < len(rec.Trail) && rec.Trail[i].Usage.PromptTokens > 0) {
			continue
		}
		if t := g.byName[as[i].Deployment]; t != nil {
			bill(rec, i, &t.Deployment, cost.Estimate(prompt, 0), false)
		}
	}
}

// hedgeAnswered reports whether a hedged pair ran and one of the calls
// got its first chunk.
func hedgeAnswered(as []dispatch.Attempt) bool {
	hedged, answered := false, false
	for i := range as {
		hedged = hedged || as[i].Hedge
		answered = answered || as[i].TTFT > 0
	}
	return hedged && answered
}

// hedgeLoser reports whether call i of as was one of a hedged pair and
// was cancelled before its first chunk: the hedge itself, or the call
// the next one hedged.
func hedgeLoser(as []dispatch.Attempt, i int) bool {
	a := &as[i]
	inPair := a.Hedge || i+1 < len(as) && as[i+1].Hedge
	return inPair && a.Outcome == dispatch.OutcomeCanceled && a.TTFT == 0
}
