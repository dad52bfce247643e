package gemini

import (
	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// thinks reports whether the model thinks: a reasoning profile, or a
// model that thinks by its id (Gemini 2.5 and 3), as the real ones do.
func thinks(p *sim.Profile) bool { return p.Reasoning || wire.ThinkingModel(p.Model) }

// askedThoughts is the thinking a thinkingConfig asks of a model whose
// profile reports no reasoning of its own: a sixty-fourth of a budget
// (dynamic, -1, as 8192), by level 16, 32, 128 or 256 tokens; none
// without a config or with budget 0.
func askedThoughts(gc *wire.GenerationConfig) int {
	if gc == nil || gc.ThinkingConfig == nil {
		return 0
	}
	tc := gc.ThinkingConfig
	if b := tc.ThinkingBudget; b != nil {
		if *b < 0 {
			return 8192 / 64
		}
		return *b / 64
	}
	switch tc.ThinkingLevel {
	case "MINIMAL":
		return 16
	case "LOW":
		return 32
	case "MEDIUM":
		return 128
	case "HIGH":
		return 256
	}
	return 0
}
