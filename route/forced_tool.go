package route

// preferForcing applies a forced tool choice (NeedForcedTool) as a
// preference, not a requirement: when a candidate can force the call,
// those whose model refuses forced tool use (Claude Opus 5.5, Sonnet 5.5,
// Fable 5.1 and later) are rejected with ReasonForcedTool; when none can,
// they all stay, and their adapter asks for the call with tool_choice
// auto (anthropic.relaxToolChoice; the answer's dropped header names
// tool_choice). A pin is kept either way: the caller chose it.
func (d *decision) preferForcing(cands []ranked) []ranked {
	if d.in.Features.Needs&NeedForcedTool == 0 {
		return cands
	}
	forcing := false
	for i := range cands {
		if !cands[i].c.Deployment.noForcedTool {
			forcing = true
			break
		}
	}
	if !forcing {
		return cands
	}
	kept := cands[:0]
	for _, c := range cands {
		dep := c.c.Deployment
		if dep.noForcedTool && !c.c.Pinned {
			d.reject(Rejection{Deployment: dep.Name, Reason: ReasonForcedTool, By: "request", Note: dep.Model})
			continue
		}
		kept = append(kept, c)
	}
	return kept
}
