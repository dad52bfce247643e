package config

import (
	"fmt"
	"slices"

	"switchyard/llm"
)

// effortNames are the levels reasoning_efforts takes, weakest first.
var effortNames = []string{"none", "minimal", "low", "medium", "high", "xhigh", "max"}

// efforts decodes a deployment's reasoning_efforts: its levels as
// written, an empty non-nil list for [] (Validate reports it) and nil for
// null.
func (d *decoder) efforts(e entry) []llm.Effort {
	els := d.list(e, "[minimal, low, medium, high]")
	if els == nil {
		return nil
	}
	out := make([]llm.Effort, 0, len(els))
	for _, el := range els {
		var s string
		d.str(el, &s)
		out = append(out, llm.Effort(s))
	}
	return out
}

// reasoningEfforts checks a deployment's reasoning_efforts: a non-empty
// list of known levels, none twice, on a deployment of kind openai or
// azure (the OpenAI wire's reasoning_effort; Claude's and Gemini's levels
// are known by their model ids).
func (v *validator) reasoningEfforts(path string, d *Deployment) {
	if d.ReasoningEfforts == nil {
		return
	}
	if len(d.ReasoningEfforts) == 0 {
		v.add(path, "is empty", "list the levels the model takes, e.g. [low, medium, high]; omit the field to decide by the model id")
		return
	}
	for i, e := range d.ReasoningEfforts {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case llm.EffortRank(e) < 0:
			v.add(p, fmt.Sprintf("unknown effort %q", e), choices(string(e), "valid efforts", effortNames))
		case slices.Contains(d.ReasoningEfforts[:i], e):
			v.add(p, fmt.Sprintf("effort %q is listed twice", e), "remove one")
		}
	}
	if p := v.c.Providers[d.Provider]; p != nil && p.Kind != KindOpenAI && p.Kind != KindAzure {
		v.add(path, fmt.Sprintf("a provider of kind %s has no reasoning_effort", p.Kind),
			"applies to openai and azure deployments only: Claude's and Gemini's efforts are known by the model id; remove it")
	}
}
