package gemini

import (
	"fmt"
	"slices"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// thinks reports whether the model thinks: a reasoning profile, or a
// model that thinks by its id (Gemini 2.5 and 3), as the real ones do.
func thinks(p *sim.Profile) bool { return p.Reasoning || wire.ThinkingModel(p.Model) }

// dynamicThoughts is what the simulated dynamic thinking spends: a
// sixty-fourth of its 8,192-token ceiling.
const dynamicThoughts = 8192 / 64

// thinksByDefault reports whether a model thinks when the request sets no
// budget or level: Gemini 2.5 (but 2.5 Flash-Lite) and Gemini 3.
func thinksByDefault(model string) bool {
	return wire.ThinkingModel(model) && !strings.HasPrefix(model, "gemini-2.5-flash-lite")
}

// askedThoughts is the thinking a request asks of a model whose profile
// reports no reasoning of its own: a sixty-fourth of a budget (dynamic,
// -1, as 8192), by level 16, 32, 128 or 256 tokens; none with budget 0;
// without a budget or a level, the dynamic default of a model that thinks
// by default.
func askedThoughts(model string, gc *wire.GenerationConfig) int {
	var tc wire.ThinkingConfig
	if gc != nil && gc.ThinkingConfig != nil {
		tc = *gc.ThinkingConfig
	}
	if tc.ThinkingBudget == nil && tc.ThinkingLevel == "" {
		if thinksByDefault(model) {
			return dynamicThoughts
		}
		return 0
	}
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

// spendThoughts fits the answer of g into maxOutputTokens the way Gemini
// counts it, thoughts first: the thoughts take what they need of the limit
// (all of it, if they need more) and the answer is cut to what is left,
// finish "length"; nothing left is no text at all. It returns the thoughts
// per candidate. Tool calls and JSON (which the simulator never cuts) are
// left whole.
func (g *generation) spendThoughts() int {
	thoughts := g.ans.ReasoningTokens
	if thoughts == 0 {
		thoughts = askedThoughts(g.p.Model, g.req.GenerationConfig)
	}
	gc := g.req.GenerationConfig
	if gc == nil || gc.MaxOutputTokens == nil || len(g.ans.ToolCalls) > 0 || g.ask.JSON {
		return thoughts
	}
	limit := *gc.MaxOutputTokens
	thoughts = min(thoughts, limit)
	if room := limit - thoughts; len(g.ans.Pieces) > room {
		g.ans.Pieces = g.ans.Pieces[:room]
		g.ans.Text = strings.Join(g.ans.Pieces, "")
		g.ans.Finish = "length"
	}
	g.ans.ReasoningTokens = 0
	g.ans.CompletionTokens = len(g.ans.Pieces)
	return thoughts
}

// validateThinking refuses the thinking settings the real models refuse,
// with their messages (peers' reports: a budget outside the range
// ai.google.dev/gemini-api/docs/thinking gives each Gemini 2.5 model,
// earendil-works/pi#2838, RooCodeInc/Roo-Code#10700 for a level on 2.5,
// egoist/chatwise-releases#1206 for a level Gemini 3 Pro does not take):
// a level and a budget together, a level on Gemini 2.5, a level the
// Gemini 3 model does not take (wire.ThinkingLevels), a budget outside
// the 2.5 model's range (0 on Pro, which cannot stop thinking). Other
// models are not checked.
func validateThinking(model string, tc *wire.ThinkingConfig) string {
	if tc == nil {
		return ""
	}
	model = strings.TrimPrefix(model, "models/")
	levels := wire.ThinkingLevels(model)
	switch {
	case tc.ThinkingLevel != "" && tc.ThinkingBudget != nil:
		return "Unable to submit request because thinking_budget and thinking_level are not supported together."
	case tc.ThinkingLevel != "" && strings.HasPrefix(model, "gemini-2.5-"):
		return "Thinking level is not supported for this model."
	case tc.ThinkingLevel != "" && levels != nil && !slices.Contains(levels, tc.ThinkingLevel):
		return "Thinking level " + tc.ThinkingLevel + " is not supported for this model. Please retry with other thinking level."
	case tc.ThinkingBudget == nil || *tc.ThinkingBudget == -1 || !strings.HasPrefix(model, "gemini-2.5-"):
		return ""
	}
	b := *tc.ThinkingBudget
	floor, ceiling := 0, 24576
	switch {
	case strings.Contains(model, "-pro"):
		if b == 0 {
			return "Budget 0 is invalid. This model only works in thinking mode."
		}
		floor, ceiling = 128, 32768
	case strings.Contains(model, "flash-lite") && b != 0:
		floor = 512
	}
	if b < floor || b > ceiling {
		return fmt.Sprintf("The thinking budget %d is invalid. Please choose a value between %d and %d.", b, floor, ceiling)
	}
	return ""
}
