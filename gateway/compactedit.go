package gateway

import (
	"context"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
	"switchyard/wire/anthropic"
)

// compactEditDropped names "compact_20260112" when req's
// context_management holds that edit (Claude compacting the conversation
// server-side) and a Claude deployment whose model does not take
// compaction (anthropic.TakesCompaction) is sent the rest of it, which
// the API would otherwise refuse: the answer reads the whole
// conversation. Another kind of deployment drops context_management
// whole (extraDropped). The Anthropic API's handler takes the edit out
// of a request it honoured itself (ContextEditing), which is then not
// named.
func compactEditDropped(kind, model string, req *llm.Request) []string {
	if compactsItself(kind, model) || kind != config.KindAnthropic || !anthropic.CompactsContext(req.ContextManagement) {
		return nil
	}
	return []string{anthropic.EditCompact}
}

// compactsItself reports whether a deployment of kind running model
// compacts a conversation itself when sent a compact_20260112 edit: a
// Claude model that takes compaction (anthropic.TakesCompaction).
func compactsItself(kind, model string) bool {
	return kind == config.KindAnthropic && anthropic.TakesCompaction(model)
}

// ContextEditing reports what the deployment req would be sent first
// (its plan's first candidate, routed as Chat routes it, without
// recording anything or admitting it against rate limits) does itself of
// Claude's context editing (context_management): edits, the clearing
// edits (a Claude deployment), and compacts, the compact_20260112 edit
// (compactsItself). Both are true when req cannot be routed: the request
// then fails as it would have. The Anthropic API asks it of a request
// with context edits, which the router applies for a deployment that
// cannot.
func (g *Gateway) ContextEditing(ctx context.Context, req *llm.Request, ov *route.Overrides) (edits, compacts bool) {
	g.resolveModel(req)
	ov = g.resolvePin(ov)
	if o, err := g.batchOverrides(ctx, req.Model); err != nil {
		return true, true
	} else if o != nil {
		if ov != nil {
			cp := *ov
			cp.Excluder = o.Excluder
			o = &cp
		}
		ov = o
	}
	plan, err := g.decide(ctx, req, ov, nil)
	if err != nil || plan == nil || len(plan.Tiers) == 0 || len(plan.Tiers[0].Candidates) == 0 {
		return true, true
	}
	t := g.byName[plan.Tiers[0].Candidates[0].Deployment.Name]
	if t == nil {
		return true, true
	}
	return t.Kind == config.KindAnthropic, compactsItself(t.Kind, t.Deployment.ModelID())
}
